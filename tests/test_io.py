"""Bad input handling shared by every stage: encodings, binary, empty, huge, hostile XML, atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhbridge.io import (
    InputError,
    OutputExistsError,
    atomic_write_text,
    atomic_writer,
    parse_xml,
    read_text,
)

TEXT = "郑州被称为“竖店”。\n微短剧+\n"


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gbk", "gb18030"])
def test_read_text_decodes_common_encodings(tmp_path, codec):
    path = tmp_path / f"a.{codec}.txt"
    path.write_bytes(TEXT.encode(codec))
    assert read_text(path) == TEXT


def test_read_text_normalises_crlf(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert read_text(path) == TEXT


@pytest.mark.parametrize("content", [b"", b"  \n\n "])
def test_read_text_refuses_empty(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match="empty file"):
        read_text(path)


def test_read_text_refuses_binary(tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(InputError, match="binary"):
        read_text(path)


def test_read_text_refuses_huge_file(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(InputError, match="limit"):
        read_text(path, max_bytes=1024)


def test_error_message_is_one_line_and_names_file(tmp_path):
    path = tmp_path / "missing.txt"
    with pytest.raises(InputError) as info:
        read_text(path)
    assert "\n" not in str(info.value) and "missing.txt" in str(info.value)


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as fh:
            fh.write("half of the new")
            raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_write_refuses_to_overwrite_unless_asked(tmp_path):
    target = tmp_path / "keep.txt"
    target.write_text("user data", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        atomic_write_text(target, "new", overwrite=False)
    assert target.read_text(encoding="utf-8") == "user data"
    atomic_write_text(target, "new", overwrite=True)
    assert target.read_text(encoding="utf-8") == "new"


EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<tmx version="1.4"><body><tu><tuv xml:lang="zh"><seg>&xxe;</seg></tuv></tu></body></tmx>"""

ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<tmx version="1.4"><body><tu><tuv xml:lang="zh"><seg>&lol3;</seg></tuv></tu></body></tmx>"""


@pytest.mark.parametrize("payload", [EXTERNAL_ENTITY, ENTITY_BOMB])
def test_parse_xml_refuses_entities(payload):
    with pytest.raises(InputError, match="unsafe XML"):
        parse_xml(payload, name="hostile.tmx")


def test_parse_xml_reports_malformed():
    with pytest.raises(InputError, match="malformed XML"):
        parse_xml(b"<tmx><body></tmx>", name="broken.tmx")


def test_parse_xml_parses_plain_document():
    root = parse_xml('<tmx version="1.4"><body><tu><tuv xml:lang="zh"><seg>竖店</seg></tuv></tu></body></tmx>'.encode())
    assert root.find(".//seg").text == "竖店"


def test_nul_byte_in_utf8_is_refused_not_read_as_utf16(tmp_path):
    # even length, one NUL at an odd offset: this once decoded as UTF-16 into 菩麷뻥… with exit 0
    path = tmp_path / "nul.txt"
    path.write_bytes("郑州微短剧产业\0发展迅速。\n剧组同步开机。\n".encode())
    with pytest.raises(InputError, match="NUL byte at byte 21"):
        read_text(path)


def test_bomless_utf16_of_ascii_text_still_decodes(tmp_path):
    path = tmp_path / "ascii16.txt"
    path.write_bytes("Zhengzhou short drama\n".encode("utf-16-le"))
    assert read_text(path) == "Zhengzhou short drama\n"


def test_new_files_follow_the_umask_and_replaced_files_keep_their_mode(tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        fresh = atomic_write_text(tmp_path / "fresh.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    shared = tmp_path / "shared.tsv"
    shared.write_text("old", encoding="utf-8")
    shared.chmod(0o664)
    atomic_write_text(shared, "new")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o664 and shared.read_text(encoding="utf-8") == "new"


def test_writes_go_through_symlinks(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    atomic_write_text(link, "new")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new"


@pytest.mark.parametrize("where", ["dir", "fifo", "/proc/x"])
def test_directories_devices_and_unwritable_places_are_refused(tmp_path, where):
    # a FIFO stands in for a device node: an old build replaced /dev/full with a regular file
    import os
    import stat

    path = {"dir": tmp_path, "fifo": tmp_path / "pipe", "/proc/x": Path("/proc/x")}[where]
    if where == "fifo":
        os.mkfifo(path)
    with pytest.raises(InputError, match="not a regular file|cannot write there"):
        atomic_write_text(path, "x", overwrite=True)
    if where == "fifo":
        assert stat.S_ISFIFO(path.stat().st_mode)


def test_dash_means_stdout_and_stdin(capsysbinary, monkeypatch, tmp_path):
    import io
    import sys

    monkeypatch.chdir(tmp_path)

    atomic_write_text("-", "郑州\n")
    assert capsysbinary.readouterr().out == "郑州\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("竖店\n".encode("gbk"))))
    assert read_text("-") == "竖店\n"
    assert not (tmp_path / "-").exists()


_COUNTER = """
import sys
from pathlib import Path
from zhbridge.io import atomic_write_text, locked
path = Path(sys.argv[1])
for _ in range(25):
    with locked(path):
        atomic_write_text(path, str(int(path.read_text()) + 1))
"""


def test_lock_serialises_read_modify_write_across_processes(tmp_path):
    import subprocess
    import sys

    counter = tmp_path / "count.txt"
    counter.write_text("0")
    procs = [subprocess.Popen([sys.executable, "-c", _COUNTER, str(counter)]) for _ in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    assert counter.read_text() == "100"  # without the lock, increments are lost


BIG5_TEXT = "鄭州市微短劇產業聯盟成立，豎店吸引了很多演員。\n微短劇\n"


def test_big5_is_decoded_as_big5_not_gb18030_garbage(tmp_path):
    path = tmp_path / "big5.txt"
    path.write_bytes(BIG5_TEXT.encode("big5"))
    assert read_text(path) == BIG5_TEXT
    short = tmp_path / "short.txt"
    short.write_bytes("微短劇".encode("big5"))  # the case: it read as 稬祏粿
    assert read_text(short) == "微短劇"
    # and simplified (or traditional) text in GBK keeps reading as GBK
    for text in (TEXT, "出海\n", "河南\n", "鄭州是微短劇創作之都。\n"):
        path.write_bytes(text.encode("gbk"))
        assert read_text(path) == text


def test_big5_glossary_import_writes_the_right_characters(tmp_path):
    """A Big5 TSV through the real command: the glossary holds 微短劇, not GB18030 garbage."""
    import subprocess
    import sys

    from zhbridge.terms.glossary import load_glossary

    source = tmp_path / "big5.tsv"
    source.write_bytes("zh\ten\tvariants\tpinyin\tcategory\tnote\tsource\n微短劇\tmicro-drama\t\t\t\t\t\n".encode("big5"))
    glossary = tmp_path / "g.tsv"
    glossary.write_text("zh\ten\tvariants\tpinyin\tcategory\tnote\tsource\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "zhbridge", "glossary", "import", str(source), "-g", str(glossary)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert [e.zh for e in load_glossary(glossary)] == ["微短劇"]


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-be"])
def test_utf32_with_a_bom_is_read(tmp_path, codec):
    path = tmp_path / "a.txt"
    data = TEXT.encode(codec)
    path.write_bytes(data if codec == "utf-32" else b"\x00\x00\xfe\xff" + data)
    assert read_text(path) == TEXT


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_with_characters_that_hold_a_nul_byte(tmp_path, codec):
    # 一 (U+4E00) and 开 (U+5F00) put a NUL in the other half of the byte pair than ASCII does
    path = tmp_path / "a.txt"
    for text in ("第一部微短剧开机。\nAI short drama 一开\n", "第一部微短剧开机。AI 一开\n"):  # mostly Chinese too
        path.write_bytes(text.encode(codec))
        assert read_text(path) == text


def test_devices_and_streams_are_read_with_the_size_cap(tmp_path, monkeypatch):
    import io
    import sys

    with pytest.raises(InputError, match="limit") as caught:
        read_text("/dev/zero", max_bytes=1 << 20)
    assert "\n" not in str(caught.value)
    with pytest.raises(InputError, match="limit"):
        parse_xml("/dev/zero", max_bytes=1 << 20)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * (2 << 20))))
    with pytest.raises(InputError, match="<stdin>: larger than"):
        read_text("-", max_bytes=1 << 20)


def test_xml_expected_but_a_directory_given_is_one_line(tmp_path):
    with pytest.raises(InputError, match="is a directory") as caught:
        parse_xml(tmp_path)
    assert "\n" not in str(caught.value)


def test_the_lock_folder_is_shared_whatever_the_umask(tmp_path):
    """Created under umask 022 it was 1755, so another user's `glossary add` could not lock."""
    import subprocess
    import sys

    code = "import os; os.umask(0o022); from zhbridge.io import locked\nwith locked(os.environ['T'] + '/g.tsv'): pass"
    env = {**__import__("os").environ, "TMPDIR": str(tmp_path), "T": str(tmp_path)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    assert (tmp_path / "zhbridge-locks").stat().st_mode & 0o7777 == 0o1777


def test_cli_errors_on_stdout_and_read_only_folders_are_one_line(tmp_path):
    import os
    import subprocess
    import sys

    def cli(*args, stdout=subprocess.DEVNULL):
        return subprocess.run([sys.executable, "-m", "zhbridge", *args], stdout=stdout, stderr=subprocess.PIPE, text=True)

    with open("/dev/full", "w") as full:
        result = cli("corpus", "export", "-", "--format", "tsv", stdout=full)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    if os.geteuid() != 0:  # root writes anywhere
        (tmp_path / "ro").mkdir(mode=0o555)
        result = cli("corpus", "export", str(tmp_path / "ro" / "x.tsv"), "--format", "tsv")
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    for args in (["tm", "import", str(tmp_path)], ["glossary", "import", str(tmp_path), "-f", "tbx"]):
        result = cli(*args, "--memory" if args[0] == "tm" else "-g", str(tmp_path / "x"))
        assert result.returncode == 2 and "is a directory" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
