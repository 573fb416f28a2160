"""The general-domain parallel sets in ``corpus/training/parallel``: declared, cleaned, filtered.

Each folder holds line-aligned ``zh`` and ``en`` files and a ``SOURCE.txt`` naming the
repository, commit, paths and licence it was copied from.  That file is the manifest the
leakage guard reads: a folder whose origin names a held-out evaluation set is refused.

The default recipe (:data:`DEFAULT_CAPS`) keeps every news, spoken and social pair and caps the
software-documentation sets, which are large but far from the news and industry prose the model
is for: on 2 CPU cores every training hour spent on ``:func:`` markup is an hour not spent on news.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
from dataclasses import dataclass
from pathlib import Path

from zhbridge import paths
from zhbridge.io import InputError, read_lines, read_text

Pair = tuple[str, str]
PARALLEL_DIR = paths.CORPUS_DIR / "training" / "parallel"

# Held out for good: never fetched, read or trained on.  Matched against each source's declared
# origin (SOURCE.txt) and folder name, so a copy of one of them cannot slip in under a new name.
HELD_OUT = re.compile(
    r"newstest2021|newsdev2021|wmt-?21|wmttest2021|generaltest2021|mac[/_-]test|eval/mac/test|"
    r"wmt2[56]-terminology|shared/bench",
    re.IGNORECASE,
)

DEFAULT_CAPS: dict[str, int] = {"python_docs_po": 12000, "django_docs_po": 8000}

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
# reST / Sphinx markup of the documentation sets: :role:`text <target>` → text, ``code`` → code
_REST_ROLE = re.compile(r":[\w:.-]+:`(?:~|!)?([^`<]*?)(?:\s*<[^>]*>)?`")
_REST_LINK = re.compile(r"`([^`<]+?)\s*<[^>]*>`_{1,2}")
_REST_LITERAL = re.compile(r"``([^`]+)``")
_REST_REF = re.compile(r"`([^`]+)`_{0,2}")
_REST_EMPH = re.compile(r"\*\*?([^*]+)\*\*?")
# HTML the model would otherwise learn to copy (the TED descriptions hold "&lt;em&gt;"): entities are
# decoded (twice: some sets are double-escaped), then tags dropped; a pair with a URL is dropped whole
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_URL = re.compile(r"https?://|www\.\w", re.IGNORECASE)


@dataclass(frozen=True)
class Source:
    name: str
    folder: Path
    origin: str  # SOURCE.txt, verbatim

    @property
    def licence(self) -> str:
        found = re.search(r"^licence:\s*(.+)$", self.origin, re.MULTILINE)
        return found.group(1).strip() if found else "unknown"

    @property
    def repository(self) -> str:
        found = re.search(r"^repository:\s*(.+)$", self.origin, re.MULTILINE)
        return found.group(1).strip() if found else "unknown"


def check_not_held_out(name: str, origin: str) -> None:
    """Refuse a source whose name or declared origin is a held-out evaluation set."""
    hit = HELD_OUT.search(name) or HELD_OUT.search(origin)
    if hit:
        raise InputError(f"training source {name!r} names held-out evaluation data ({hit.group(0)!r}); never train on it")


def verify_checksums(folder: Path) -> None:
    """Check the copies against ``SHA256SUMS`` (when present): a model is rebuilt from the same bytes."""
    sums = folder / "SHA256SUMS"
    if not sums.exists():
        return
    for line in read_text(sums).splitlines():
        if not line.strip():
            continue
        digest, name = line.split(maxsplit=1)
        path = folder / name.strip().lstrip("*")
        if not path.exists():
            raise InputError(f"{path}: listed in {sums.name} but missing")
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise InputError(f"{path}: differs from the copy recorded in {sums.name} (edited or corrupted)")


def discover(folder: Path | None = None) -> list[Source]:
    """Every ``*/SOURCE.txt`` folder under ``folder`` (default ``corpus/training/parallel``), by name."""
    folder = Path(folder or PARALLEL_DIR)
    verify_checksums(folder)
    found = []
    for manifest in sorted(folder.glob("*/SOURCE.txt")):
        origin = read_text(manifest)
        check_not_held_out(manifest.parent.name, origin)
        found.append(Source(manifest.parent.name, manifest.parent, origin))
    return found


def strip_markup(text: str) -> str:
    """Documentation markup reduced to its words (roles, literals, links, emphasis)."""
    text = html.unescape(html.unescape(text))
    text = _HTML_TAG.sub(" ", text)
    for pattern in (_REST_ROLE, _REST_LINK, _REST_LITERAL, _REST_REF, _REST_EMPH):
        text = pattern.sub(r"\1", text)
    return " ".join(text.split())


def keep_pair(zh: str, en: str, max_zh_chars: int = 200, max_en_chars: int = 600) -> bool:
    """Length, script and copy filters: what is left is a plausible zh→en translation pair.

    Over-long segments are dropped rather than truncated, since truncating both sides
    independently would teach the model to stop or ramble at the cut.
    """
    if not zh or not en or zh == en:
        return False
    if _URL.search(zh) or _URL.search(en) or "&" in en and re.search(r"&#?\w+;", en):
        return False
    if len(zh) > max_zh_chars or len(en) > max_en_chars:
        return False
    cjk = len(_CJK.findall(zh))
    if cjk == 0 or cjk < 0.3 * len(zh.replace(" ", "")):  # mostly code, URLs or Latin text
        return False
    if _CJK.search(en) or not _LATIN.search(en):
        return False
    ratio = len(en) / len(zh)
    return 0.5 <= ratio <= 9.0


def read_source(source: Source) -> list[Pair]:
    """Cleaned, filtered pairs of one source (line-aligned ``zh`` / ``en``; unequal counts are an error)."""
    zh_lines, en_lines = read_lines(source.folder / "zh"), read_lines(source.folder / "en")
    if len(zh_lines) != len(en_lines):
        raise InputError(f"{source.folder}: zh has {len(zh_lines)} lines but en has {len(en_lines)}")
    out = []
    for zh, en in zip(zh_lines, en_lines):
        zh, en = strip_markup(zh), strip_markup(en)
        if keep_pair(zh, en):
            out.append((zh, en))
    return out


def load_parallel(folder: Path | None = None, caps: dict[str, int] | None = None, seed: int = 0) -> dict[str, list[Pair]]:
    """name → pairs for every source, capped per :data:`DEFAULT_CAPS` (a seeded random sample)."""
    caps = DEFAULT_CAPS if caps is None else caps
    out: dict[str, list[Pair]] = {}
    for source in discover(folder):
        pairs = read_source(source)
        cap = caps.get(source.name)
        if cap is not None and len(pairs) > cap:
            pairs = random.Random(seed).sample(pairs, cap)
        out[source.name] = pairs
    return out
