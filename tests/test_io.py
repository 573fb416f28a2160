"""Bad input handling shared by every stage: encodings, binary, empty, huge, hostile XML, atomic writes."""
from __future__ import annotations

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
