"""Calling the ``zhbridge`` command in-process: exit status, stdout and stderr of one ``main(argv)``."""

from __future__ import annotations

import pytest


@pytest.fixture()
def zhbridge(capsys):
    from zhbridge.cli import main

    def run(*argv) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exc:
            main([str(a) for a in argv])
        out, err = capsys.readouterr()
        code = exc.value.code
        return (0 if code is None else int(code)), out, err

    return run
