"""Repair the artefacts of how the source documents were published, and nothing else.

Each repair is a small named function that is faithful by construction: it
removes only characters that carry no text (BOMs, zero-width marks), or undoes a
mechanical duplication/wrapping that can be proven from the string itself.
Nothing is invented, and text is never dropped without being reported.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")
_LATIN_WORD_RE = re.compile(r"[A-Za-z]{2,}")
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)
# Chinese sentence-final marks: a wrapped line ending in one of these closes its paragraph.
ZH_FINAL = "。！？…；：”’」』）)》!?"


def is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def cjk_ratio(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if is_cjk(ch)) / len(letters)


def detect_lang(text: str) -> str:
    """'zh' or 'en' for a line of the sources; mixed lines count as zh when mostly Chinese."""
    return "zh" if cjk_ratio(text) >= 0.3 else "en"


def strip_invisible(text: str) -> str:
    """Remove BOMs, zero-width characters and soft hyphens; turn NBSP and ideographic space into spaces."""
    text = text.translate(_INVISIBLE)
    return text.replace("\u00a0", " ").replace("\u3000", " ")


def undouble_line(line: str) -> str:
    """Undo PDF extraction that printed every run of a headline twice.

    ``到到20272027年年，，全市…将达全市…将达100100亿元亿元`` → ``到2027年，全市…将达100亿元``.
    Applies only when the *whole* line splits into runs each immediately repeated,
    with at least one run longer than a character, so real repetitions inside
    ordinary text (天天, 谢谢, 1111) are never touched.
    """
    s = line.strip()
    n = len(s)
    if n < 4 or n % 2:
        return line
    # best[i] = the fewest runs that decompose s[i:], with the run lengths; fewest runs = longest runs
    best: list[tuple[int, list[int]] | None] = [None] * (n + 1)
    best[n] = (0, [])
    for i in range(n - 2, -1, -1):
        for k in range(1, (n - i) // 2 + 1):
            rest = best[i + 2 * k]
            if rest is None or s[i : i + k] != s[i + k : i + 2 * k]:
                continue
            current = best[i]
            if current is None or rest[0] + 1 < current[0]:
                best[i] = (rest[0] + 1, [k] + rest[1])
    if best[0] is None:
        return line
    runs = best[0][1]
    if len(runs) < 2 or max(runs) < 2:
        return line
    out, i = [], 0
    for k in runs:
        out.append(s[i : i + k])
        i += 2 * k
    return "".join(out)


def split_glued_caption(line: str) -> tuple[str, str] | None:
    """Split a caption printed as Chinese immediately followed by its English rendering.

    ``郑州大志影视基地Zhengzhou Dazhi Film and Television Base`` → (zh, en). The
    English tail is the longest suffix with no Chinese characters that holds at
    least two Latin words and starts a word (capital letter or opening quote).
    """
    s = line.strip()
    last_cjk = max((i for i, ch in enumerate(s) if is_cjk(ch)), default=-1)
    if last_cjk < 0:
        return None
    j = last_cjk + 1
    # closing marks that belong to the Chinese side (》”) stay with it
    while j < len(s) and s[j] in "》”’」』）":
        j += 1
    head, tail = s[:j].strip(), s[j:].strip()
    if len(_LATIN_WORD_RE.findall(tail)) < 2 or not re.match(r"[A-Z\"“'(]", tail):
        return None
    if len(head) > 80 or re.search("[。！？]", head):
        return None  # a Chinese paragraph that merely ends in Latin words, not a caption
    return head, tail


_STRAY_INITIAL_RE = re.compile(r"^([A-Z])((?:As|The|In|At|On|With|For|From|This|It|By|But|And|Since|While|To|Its|As)\b)")


def drop_stray_initial(paragraph: str) -> tuple[str, str | None]:
    """Remove a stray capital glued before a sentence-initial function word (``FAs domestic`` → ``As domestic``).

    Returns the repaired text and the removed character (reported by the caller).
    """
    m = _STRAY_INITIAL_RE.match(paragraph)
    if not m:
        return paragraph, None
    return paragraph[1:], m.group(1)


_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}


def fullwidth_punctuation(text: str) -> str:
    """Half-width punctuation inside Chinese text becomes full-width; ``4,900`` and ``10:30`` stay."""
    chars = list(text)
    for i, ch in enumerate(chars):
        full = _HALF_TO_FULL.get(ch)
        if full is None:
            continue
        prev = chars[i - 1] if i else ""
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if ch in ",:" and prev.isdigit() and nxt.isdigit():
            continue
        near_cjk = is_cjk(prev) or prev in "”’》）…" or is_cjk(nxt) or nxt in "“‘《（"
        if ch == "(":
            near_cjk = is_cjk(nxt) or is_cjk(prev)
        if ch == ")":
            near_cjk = is_cjk(prev) or is_cjk(nxt) or _opened_fullwidth(chars, i)
        if near_cjk:
            chars[i] = full
    return "".join(chars)


def _opened_fullwidth(chars: list[str], close: int) -> bool:
    for j in range(close - 1, -1, -1):
        if chars[j] in "（(":
            return chars[j] == "（"
    return False


# three or more 2–3-character Chinese words separated by single spaces, alone on their side of
# punctuation: names in a byline, not a line broken by layout (which splits words of any length)
_NAMES_RUN = re.compile(f"(?<![{CJK}])[{CJK}]{{2,3}}(?: [{CJK}]{{2,3}}){{2,}}(?![{CJK}])")
# two or more after a byline cue: "本报记者 武建玲 李居正", "通讯员 王芳 李华"
_CUED_NAMES = re.compile(
    f"(?:记者|通讯员|作者|编辑|责编|摄影|摄|文|图)(?:[/／：:] ?| )[{CJK}]{{2,3}}(?: [{CJK}]{{2,3}})+(?![{CJK}])"
)
_KEPT_SPACE = "\x00"  # decoding refuses NUL in user text, so it cannot clash


def normalize_paragraph(text: str, lang: str) -> str:
    """Clean one paragraph: invisible characters, Unicode NFC, collapsed spaces, zh punctuation."""
    text = unicodedata.normalize("NFC", strip_invisible(text))
    text = re.sub(r"[ \t]+", " ", text).strip()
    if lang == "zh":
        text = fullwidth_punctuation(text)
        # spaces between two CJK characters are layout, not text (e.g. "结合 河南文化"), except
        # between the names of a byline ("武建玲 李居正 王芳"), where they are all that parts two people
        text = _NAMES_RUN.sub(lambda m: m.group().replace(" ", _KEPT_SPACE), text)
        text = _CUED_NAMES.sub(lambda m: m.group().replace(" ", _KEPT_SPACE), text)
        text = re.sub(f"(?<=[{CJK}，。、；：？！”“）（])\\s+(?=[{CJK}，。、；：？！“”（）])", "", text)
        text = text.replace(_KEPT_SPACE, " ")
        # justified PDF columns pad digits too ("争取到 2027年")
        text = re.sub(f"(?<=[{CJK}])\\s+(?=\\d)|(?<=\\d)\\s+(?=[{CJK}])", "", text)
    return text


@dataclass
class Unwrapped:
    paragraphs: list[str]
    repairs: list[str]


_BYLINE_RE = re.compile(r"^(本报记者|记者|通讯员|本报讯)")


def unwrap_hard_wrapped(text: str) -> Unwrapped:
    """Rebuild paragraphs of a PDF page whose lines were wrapped at the column edge.

    Lines of one block are joined without spaces (Chinese has none). PDF extraction
    also puts blank lines mid-sentence, so a blank ends a paragraph only when the
    text before it closes a sentence, or is a headline: a line that was printed
    twice, a byline, or a one-line block standing after a finished paragraph.
    """
    repairs: list[str] = []
    blocks: list[tuple[list[str], bool]] = []  # (lines, standalone: bounded by blank lines or page edges)
    current: list[str] = []
    headlines: set[int] = set()
    after_blank = True

    def close(standalone: bool) -> None:
        if current:
            blocks.append((current.copy(), standalone))
            current.clear()

    for raw in text.split("\n"):
        line = strip_invisible(raw).strip()
        if not line:
            close(after_blank)
            after_blank = True
            continue
        fixed = undouble_line(line)
        if fixed != line or _BYLINE_RE.match(line):
            if fixed != line:
                repairs.append(f"undoubled headline: {line!r} -> {fixed!r}")
            close(after_blank)
            headlines.add(len(blocks))
            blocks.append(([fixed], True))
            after_blank = False
            continue
        if raw[:1].isspace() and current:
            # an indented line opens a new paragraph even without a blank line before it
            close(after_blank)
            after_blank = False
        current.append(fixed)
    close(after_blank)
    paragraphs: list[str] = []
    previous_is_headline = True
    for index, (lines, standalone) in enumerate(blocks):
        joined = _join_lines(lines)
        is_headline = index in headlines
        open_sentence = bool(paragraphs) and paragraphs[-1][-1] not in ZH_FINAL and not previous_is_headline
        if standalone and len(lines) == 1 and not open_sentence and joined[-1] not in ZH_FINAL:
            is_headline = True
        if open_sentence and not is_headline:
            repairs.append(f"joined across blank line: …{paragraphs[-1][-6:]}|{joined[:6]}…")
            paragraphs[-1] += joined
        else:
            paragraphs.append(joined)
            previous_is_headline = is_headline
    return Unwrapped(paragraphs, repairs)


def _join_lines(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        # a Latin word broken across lines keeps a space; CJK joins directly
        if out[-1:].isascii() and out[-1:].isalnum() and line[:1].isascii() and line[:1].isalnum():
            out += " " + line
        else:
            out += line
    return out
