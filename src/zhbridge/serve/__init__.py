"""`zhbridge serve`: a LibreTranslate-compatible translation server and a review page over one loaded engine.

:func:`create_app` (in :mod:`zhbridge.serve.app`) builds the ASGI app; :mod:`zhbridge.serve.batcher`
pools concurrent requests into the model; :mod:`zhbridge.serve.work` turns requests into the CLI's
documents and back. :func:`run` serves an app with uvicorn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zhbridge.mt.translate import Engine
    from zhbridge.serve.app import ServeOptions


def read_api_keys(path) -> frozenset[str]:
    """One key per line; blank lines and ``#`` comments are skipped. An empty file is refused (it would lock everyone out)."""
    from zhbridge.io import InputError, read_lines

    keys = frozenset(line.strip() for line in read_lines(path) if line.strip() and not line.lstrip().startswith("#"))
    if not keys:
        raise InputError(f"{path}: no API keys in the file")
    return keys


def run(engine: Engine, *, host: str = "127.0.0.1", port: int = 5000, options: ServeOptions | None = None) -> None:
    """Serve until interrupted (uvicorn, one process: the model is loaded once and shared by every request)."""
    import uvicorn

    from zhbridge.serve.app import create_app

    uvicorn.run(create_app(engine, options), host=host, port=port, log_level="info", access_log=False)
