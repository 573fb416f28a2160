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


# what XML 1.0 (XLIFF, TMX, docx) can carry: a character outside it makes every review file fail to write
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def check_xml_chars(text: str, name: str) -> None:
    """Refuse text with a control character (ESC, BEL, NUL, …), U+FFFE/U+FFFF or a lone surrogate.

    Such text decodes, but no XML output (XLIFF, TMX) can hold it, so a translation would fail
    half-written; refusing it up front names the character and its line instead.
    """
    bad = _NOT_XML_CHAR.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError(f"{name}: line {line}: character U+{ord(bad.group()):04X} is not text (a control character); remove it")


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    # UTF-32's little-endian mark begins with UTF-16's, so it is tried first
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_bytes(data: bytes, name: str = "<bytes>") -> str:
    """Decode user text: BOM-marked UTF-8/16/32, plain UTF-8, then GB18030 (a superset of GBK) or Big5.

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
    codecs = _utf16_codecs_without_bom(data) if nul >= 0 else []
    # Valid UTF-8 with a stray NUL is corrupted UTF-8, not UTF-16 (which reads as Chinese-looking
    # garbage); BOM-less UTF-16 that is also valid UTF-8 is mostly ASCII, so NULs fill half its bytes.
    if codecs and _is_utf8(data) and data.count(0) < len(data) // 4:
        codecs = []
    readings = []
    for codec in codecs:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _control_char_ratio(text) == 0:
            readings.append(text)
    # both byte orders can decode cleanly: the one reading as ASCII and common Chinese wins, if it reads
    # mostly so at all (b"\x00\x01" * n is clean UTF-16LE "ĀĀĀ…": binary, not text)
    readings = [r for r in readings if _plausible_chars(r) >= 0.8 * min(len(r), 8192)]
    if readings:
        return max(readings, key=_plausible_chars)
    if nul >= 0:
        raise InputError(f"{name}: NUL byte at byte {nul}: a binary or corrupted file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    legacy = _decode_chinese_legacy(data)
    if legacy is None:
        raise InputError(f"{name}: not UTF-8, UTF-16 or GBK/GB18030 (nor Big5) text; convert it to UTF-8 first")
    text = legacy
    if _control_char_ratio(text) > 0.01:
        raise InputError(f"{name}: binary file, not text")
    return text


def _decode_chinese_legacy(data: bytes) -> str | None:
    """GB18030 or Big5, whichever reads as common Chinese; None when neither decodes.

    Most Big5 byte strings are also valid GB18030 (and the reverse), decoding to rare or private-use
    characters (微短劇 → 稬祏粿). Each reading is scored by the share of its Han characters in its
    own encoding's frequent level (GB2312 level 1; Big5 level 1); Big5 must score strictly higher,
    so ambiguous short input stays GB18030, the mainland encoding this corpus mostly meets.
    """
    readings = {}
    for codec in ("gb18030", "big5"):
        try:
            readings[codec] = data.decode(codec)
        except UnicodeDecodeError:
            pass
    if len(readings) < 2:
        return next(iter(readings.values()), None)
    gb, big5 = readings["gb18030"], readings["big5"]
    gb_private = sum(1 for ch in gb if "\ue000" <= ch <= "\uf8ff")
    if gb_private > sum(1 for ch in big5 if "\ue000" <= ch <= "\uf8ff") or _common_han(big5, "big5") > _common_han(gb, "gb2312"):
        return big5
    return gb


def _common_han(text: str, codec: str) -> float:
    han = [ch for ch in text[:20000] if "\u3400" <= ch <= "\u9fff"]
    if not han:
        return 0.0
    common = 0
    for ch in han:
        try:
            lead = ch.encode(codec)[0]
        except UnicodeEncodeError:
            continue
        common += (0xB0 <= lead <= 0xD7) if codec == "gb2312" else (0xA4 <= lead <= 0xC6)
    return common / len(han)


def _utf16_codecs_without_bom(data: bytes) -> list[str]:
    """The UTF-16 byte orders worth trying, likelier first; none when the data cannot be UTF-16.

    ASCII characters (newlines included) put their NUL byte at one parity; a few Chinese characters
    (一 U+4E00, 开 U+5F00) put it at the other, so a mostly Chinese text has NULs at both. The
    parity with more NULs goes first, and decoding (no control characters) decides.
    """
    sample = data[:8192]
    if len(sample) < 2 or len(data) % 2:
        return []
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if not even_nuls and not odd_nuls:
        return []
    return ["utf-16-le", "utf-16-be"] if odd_nuls >= even_nuls else ["utf-16-be", "utf-16-le"]


def _plausible_chars(text: str) -> int:
    return sum(
        1
        for ch in text[:8192]
        if ch < "\x7f" or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
    )


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


def read_bytes(path: str | os.PathLike, *, max_bytes: int = MAX_INPUT_BYTES, what: str = "one document") -> bytes:
    """A user file's bytes (``-`` is stdin), refused past ``max_bytes``.

    The limit is applied while reading, not from the file's size alone: a device (``/dev/zero``),
    a FIFO or stdin reports no size and would otherwise be read until memory runs out.
    """
    limit = f"the {max_bytes / 2**20:.0f} MiB limit for {what}; split it"
    if is_stdio(path):
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"<stdin>: larger than {limit}")
        return data
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, expected a file")
    size = p.stat().st_size
    if size > max_bytes:
        raise InputError(f"{p}: {size / 2**20:.0f} MiB is larger than {limit}")
    try:
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise InputError(f"{p}: larger than {limit} (not a regular file?)")
    return data


def read_text(path: str | os.PathLike, *, allow_empty: bool = False, max_bytes: int = MAX_INPUT_BYTES) -> str:
    """Read a user's text file, whatever its encoding, with newlines normalised to ``\\n``."""
    label = "<stdin>" if is_stdio(path) else str(Path(path))
    text = decode_bytes(read_bytes(path, max_bytes=max_bytes), label)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not allow_empty and not text.strip():
        raise InputError(f"{label}: {'empty input' if is_stdio(path) else 'empty file'}")
    return text


def read_lines(path: str | os.PathLike, **kwargs) -> list[str]:
    """Lines of a one-segment-per-line file (no trailing newline characters)."""
    text = read_text(path, **kwargs)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def check_inside(folder: str | os.PathLike, name: str, where: str) -> Path:
    """``folder / name``, refused unless it stays inside ``folder`` once ``..`` and symlinks are resolved.

    Every command that reads a manifest (the corpus's, or ``align --manifest``'s pairs) then only
    touches files under the manifest's folder: a row naming ``../victim.txt``, ``/etc/passwd`` or a
    symlink out of the folder would otherwise be read by ``corpus build`` or ``align`` (and copied
    into its output) and deleted by ``corpus remove``.
    """
    if not name or Path(name).is_absolute() or ".." in Path(name).parts:
        raise InputError(f"{where}: file {name!r} must be a path inside {folder} (relative, without ..)")
    target = Path(folder) / name
    base = os.path.realpath(folder)
    if os.path.commonpath([base, os.path.realpath(target)]) != base:
        raise InputError(f"{where}: file {name!r} leads outside {folder} (through a symlink); refused")
    return target


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


def _lock_folder() -> Path:
    """The shared lock folder, world-writable and sticky like /tmp whatever the umask.

    ``mkdir(mode=0o1777)`` is cut by the umask (1755 under umask 022), which locked every other user
    out of ``glossary add``; the mode is therefore set explicitly. A folder left unwritable by another
    user's older zhbridge cannot be repaired by us: a per-user folder is used instead.
    """
    folder = Path(tempfile.gettempdir()) / "zhbridge-locks"
    with contextlib.suppress(FileExistsError):
        folder.mkdir()
        os.chmod(folder, 0o1777)
    with contextlib.suppress(OSError):
        if folder.stat().st_uid == os.getuid() and stat.S_IMODE(folder.stat().st_mode) != 0o1777:
            os.chmod(folder, 0o1777)
    if os.access(folder, os.W_OK | os.X_OK):
        return folder
    own = Path(tempfile.gettempdir()) / f"zhbridge-locks-{os.getuid()}"
    own.mkdir(mode=0o700, exist_ok=True)
    return own


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
    folder = _lock_folder()
    try:
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
        label = name or str(Path(source))
        try:
            data = read_bytes(source, max_bytes=max_bytes, what="one XML file")
        except InputError as exc:
            raise InputError(f"{label}: {str(exc).split(': ', 1)[-1]}") from None
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
