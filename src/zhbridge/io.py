"""The one place for reading user files, writing results and parsing XML safely.

Every stage reads text through :func:`read_text` (so encodings, binary files and
empty files fail the same way everywhere), writes through :func:`atomic_write_text`
/ :func:`atomic_writer` (so an interrupted run never leaves half a file), and
parses XML through :func:`parse_xml` (so external entities and entity bombs are
refused before lxml sees them).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

MAX_INPUT_BYTES = 32 * 1024 * 1024  # one article or segment file past this is a mistake, not a document
MAX_XML_BYTES = 256 * 1024 * 1024  # TMX/TBX exports of whole translation memories are legitimately large
# ids that name output files (manifest pairs, dataset articles): no separators, no leading dot, nothing a
# shell or another OS would mangle
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
SAFE_ID_RULE = "letters, digits, '.', '_', '-', first a letter or digit"


class InputError(ValueError):
    """A user file that cannot be used; the message is one line naming the file."""


class OutputExistsError(InputError):
    """Refusing to overwrite a file the user already has."""


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_bytes(data: bytes, name: str = "<bytes>") -> str:
    """Decode user text: BOM-marked UTF-8/16, plain UTF-8, then GB18030 (a superset of GBK).

    Refuses binary data and anything that no candidate decodes cleanly, instead of
    substituting replacement characters and losing text silently.
    """
    codec: str | None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name}: starts with a {codec} byte-order mark but is not valid {codec} ({exc.reason} at byte {exc.start})"
                ) from None
    nul = data.find(b"\x00")
    codec = _utf16_codec_without_bom(data) if nul >= 0 else None
    # Valid UTF-8 with a stray NUL is corrupted UTF-8, not UTF-16 (which reads as Chinese-looking
    # garbage); BOM-less UTF-16 that is also valid UTF-8 is mostly ASCII, so NULs fill half its bytes.
    if codec and _is_utf8(data) and data.count(0) < len(data) // 4:
        codec = None
    if codec:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = None
        if text is not None and _control_char_ratio(text) == 0:
            return text
    if nul >= 0:
        raise InputError(f"{name}: NUL byte at byte {nul}: a binary or corrupted file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8, UTF-16 or GBK/GB18030 text; convert it to UTF-8 first") from None
    if _control_char_ratio(text) > 0.01:
        raise InputError(f"{name}: binary file, not text")
    return text


def _utf16_codec_without_bom(data: bytes) -> str | None:
    sample = data[:8192]
    if len(sample) < 2 or len(data) % 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    # UTF-16 puts the NUL half of every ASCII character (newlines included) at one parity only;
    # binary data scatters NULs over both.
    if (even_nuls == 0) == (odd_nuls == 0):
        return None
    return "utf-16-le" if odd_nuls else "utf-16-be"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _control_char_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return bad / len(text)


def read_text(path: str | os.PathLike, *, allow_empty: bool = False, max_bytes: int = MAX_INPUT_BYTES) -> str:
    """Read a user's text file, whatever its encoding, with newlines normalised to ``\\n``."""
    if str(path) == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"<stdin>: larger than the {max_bytes / 2**20:.0f} MiB limit for one document; split it")
        text = decode_bytes(data, "<stdin>").replace("\r\n", "\n").replace("\r", "\n")
        if not allow_empty and not text.strip():
            raise InputError("<stdin>: empty input")
        return text
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, expected a file")
    size = p.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"{p}: {size / 2**20:.0f} MiB is larger than the {max_bytes / 2**20:.0f} MiB limit for one document; split it"
        )
    data = p.read_bytes()
    text = decode_bytes(data, str(p))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not allow_empty and not text.strip():
        raise InputError(f"{p}: empty file")
    return text


def read_lines(path: str | os.PathLike, **kwargs) -> list[str]:
    """Lines of a one-segment-per-line file (no trailing newline characters)."""
    text = read_text(path, **kwargs)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def is_stdio(path: str | os.PathLike) -> bool:
    """``-`` stands for standard output (or input) wherever a path is taken."""
    return str(path) == "-"


def check_writable(path: str | os.PathLike, *, overwrite: bool) -> Path:
    """The file to write for ``path``: symlinks are followed, directories and devices refused."""
    p = Path(path)
    if is_stdio(p):
        return p
    if p.is_symlink():
        p = Path(os.path.realpath(p))
    if p.exists() and not p.is_file():
        raise InputError(f"{path}: not a regular file (a directory or device); give a file path")
    if p.exists() and not overwrite:
        raise OutputExistsError(f"{path}: already exists; pass --overwrite to replace it")
    return p


def _new_file_mode(target: Path) -> int:
    """The replaced file's permissions, or what the umask gives a new file (mkstemp's 0600 would stick)."""
    with contextlib.suppress(FileNotFoundError):
        return stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def locked(path: str | os.PathLike, timeout: float = 120) -> Iterator[None]:
    """Hold an exclusive inter-process lock for a read-modify-write of ``path``.

    Two ``glossary add`` (or ``corpus add``) runs at once would each read the old file and the last
    rename would drop the other's entry; the lock serialises them.
    """
    import hashlib

    from filelock import FileLock, Timeout

    # lock files live in one temp folder, keyed by the real path, so users' folders stay clean
    key = hashlib.sha256(os.path.realpath(path).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    folder = Path(tempfile.gettempdir()) / "zhbridge-locks"
    try:
        folder.mkdir(mode=0o1777, exist_ok=True)
        lock = FileLock(str(folder / f"{key}.lock"), timeout=timeout, mode=0o666)
        with lock:
            yield
    except Timeout:
        raise InputError(f"{path}: another zhbridge process has held its lock for {timeout:.0f} s; try again") from None
    except PermissionError as exc:
        raise InputError(f"{path}: cannot lock for writing ({exc.strerror})") from None


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike, mode: str = "w", *, overwrite: bool = True, encoding: str = "utf-8") -> Iterator[IO]:
    """Write to a temporary file beside ``path`` and rename it into place on success.

    On any exception the temporary file is removed, so readers see either the old
    file or the complete new one, never a prefix.
    """
    p = check_writable(path, overwrite=overwrite)
    if is_stdio(p):
        yield cast(IO, _Unclosed(sys.stdout.buffer if "b" in mode else sys.stdout))  # a proxy with the stream's methods
        sys.stdout.flush()
        return
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".part", dir=p.parent)
        os.fchmod(fd, _new_file_mode(p))
    except OSError as exc:
        raise InputError(f"{path}: cannot write there ({exc.strerror or exc})") from None
    try:
        if "b" in mode:
            fh = os.fdopen(fd, mode)
        else:
            fh = os.fdopen(fd, mode, encoding=encoding, newline="")
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class _Unclosed:
    """Standard output handed to code that may close its file: closing must not close stdout."""

    def __init__(self, stream: IO):
        self._stream = stream

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def close(self) -> None:
        self._stream.flush()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def atomic_write_text(path: str | os.PathLike, text: str, *, overwrite: bool = True) -> Path:
    with atomic_writer(path, "w", overwrite=overwrite) as fh:
        fh.write(text)
    return Path(path)


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, overwrite: bool = True) -> Path:
    with atomic_writer(path, "wb", overwrite=overwrite) as fh:
        fh.write(data)
    return Path(path)


def parse_xml(source: str | os.PathLike | bytes, *, name: str | None = None, max_bytes: int = MAX_XML_BYTES):
    """Parse XML (TMX, TBX, XLIFF) refusing DTD entities, external references and huge inputs.

    Returns an lxml root element. defusedxml's checks run first because lxml alone
    would still expand internal entities; lxml is then used for the real parse
    because its tree API is what the format modules are written against.
    """
    import defusedxml.ElementTree as safe_et
    from defusedxml import DefusedXmlException
    from lxml import etree

    if isinstance(source, bytes):
        data, label = source, name or "<xml>"
    else:
        p = Path(source)
        label = name or str(p)
        if not p.exists():
            raise InputError(f"{label}: no such file")
        if p.stat().st_size > max_bytes:
            raise InputError(f"{label}: larger than the {max_bytes / 2**20:.0f} MiB limit for one XML file")
        data = p.read_bytes()
    if not data.strip():
        raise InputError(f"{label}: empty file")
    try:
        safe_et.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InputError(
            f"{label}: refused unsafe XML ({type(exc).__name__}: entities and external references are not allowed)"
        ) from None
    except Exception as exc:  # ParseError from expat
        raise InputError(f"{label}: malformed XML ({exc})") from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{label}: malformed XML ({exc})") from None
