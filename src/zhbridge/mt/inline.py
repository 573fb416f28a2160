"""Inline markup across translation: a unit is a list of spans, each with the tags open around it.

The model only ever sees plain text (a small model garbles tag tokens, and HF, CTranslate2
and TM matches must all behave alike), so tags are lifted out before translation and put
back after it:

* a unit's text is cut into :class:`Span` s at every run / emphasis / link boundary; a
  standalone placeholder (footnote reference, ``[^1]``) is a span with no text and ``x`` set;
* each sentence segment records which span covers which stretch of its source (``inline``);
* after decoding, :func:`map_spans` cuts the English into as many stretches, in the same
  order: a tagged span whose source is covered by landmarks (glossary terms, numbers, Latin
  words, dictionary word alignments) takes their English; other boundaries fall at the
  proportional position between the nearest landmarks, snapped to a word boundary. Every
  tagged span that has words gets at least one English word, so no tag is dropped or
  emptied; tags keep their source order (the order is recorded as the identity).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from zhbridge.mt.segments import InlineEntry

_WORDY = re.compile(r"[^\W_]")
# target tokens: words (with inner hyphens, apostrophes and number punctuation), a Chinese character
# (a model may leave some untranslated), or one punctuation mark
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_TOKEN = re.compile(rf"[{_HAN}]|[^\W_{_HAN}](?:(?:[^\W{_HAN}]|['’.,%-])*[^\W_{_HAN}])?%?|[^\w\s]")
_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+#_-]*[A-Za-z0-9+#]|[A-Za-z0-9]")
VERBATIM_CTYPES = ("x-code",)  # tags whose content is copied, not translated
MIN_COVERAGE = 0.6  # share of a tagged span's characters that landmarks must cover to pin it


@dataclass
class Tag:
    """A paired tag (``<g>``: emphasis, link, run format) or a standalone placeholder (``<x/>``)."""

    id: int
    ctype: str  # XLIFF 1.2 ctype: bold, italic, underlined, link, lb, or x-…
    open: str = ""  # Markdown markup written before the content (``**``, ``[``)
    close: str = ""  # … and after it (``**``, ``](url)``)
    verbatim: bool = False  # content is kept as in the source (inline code)


@dataclass
class Span:
    text: str
    tags: tuple[int, ...] = ()  # ids of the paired tags open around the text, outermost first
    x: int | None = None  # a standalone placeholder: text is empty
    source: Any = field(default=None, repr=False, compare=False)  # format-specific handle (docx runs)


def plain(spans: list[Span]) -> str:
    return "".join(s.text for s in spans)


def has_markup(spans: list[Span]) -> bool:
    return any(s.tags or s.x is not None for s in spans)


def strip_edges(spans: list[Span]) -> list[Span]:
    """Spans with the unit's leading/trailing whitespace removed (the unit text is stripped too)."""
    spans = list(spans)
    for order in (range(len(spans)), range(len(spans) - 1, -1, -1)):
        for k in order:
            s = spans[k]
            if s.x is not None:
                continue
            new = s.text.lstrip() if order.step == 1 else s.text.rstrip()
            spans[k] = Span(new, s.tags, s.x, s.source)
            if new:
                break
    return spans


def offset_map(raw: str, norm: str):
    """A function from offsets in ``raw`` to offsets in ``norm`` (its normalised form)."""
    ops = difflib.SequenceMatcher(None, raw, norm, autojunk=False).get_opcodes()

    def to_norm(p: int) -> int:
        for tag, i1, i2, j1, j2 in ops:
            if p < i2 or (p == i2 and tag == "equal" and i2 == len(raw)):
                if tag == "equal":
                    return j1 + (p - i1)
                return j1 if p == i1 else j2
        return len(norm)

    return to_norm


def segment_entries(spans: list[Span], tags: dict[int, Tag], norm: str, sentences: list[tuple[int, int]]) -> list[dict]:
    """Per sentence (start, end offsets in ``norm``): its span entries and the role of each tag in it.

    Entry: span index, start/end in the sentence's own text, open tag ids, placeholder id.
    Roles: ``g`` opens and closes in the sentence, ``bx`` opens only, ``ex`` closes only,
    ``in`` covers it entirely (a bold run across a sentence end).
    """
    raw = plain(spans)
    to_norm = offset_map(raw, norm)
    bounds, pos = [], 0
    for s in spans:
        bounds.append((to_norm(pos), to_norm(pos + len(s.text))))
        pos += len(s.text)
    extent: dict[int, list[int]] = {}
    for k, s in enumerate(spans):
        for t in s.tags + ((s.x,) if s.x is not None else ()):
            extent.setdefault(t, [bounds[k][0], bounds[k][1]])[1] = bounds[k][1]
    out = []
    for n, (a, b) in enumerate(sentences):
        first, last = n == 0, n == len(sentences) - 1
        here = functools.partial(_in_sentence, a=a, b=b, first=first, last=last)

        entries = []
        for k, (s, e) in enumerate(bounds):
            if (min(e, b) > max(s, a)) if e > s else here(s):
                entries.append({"span": k, "start": min(max(s, a), b) - a, "tags": list(spans[k].tags), "x": spans[k].x})
        if not entries:
            entries.append({"span": None, "start": 0, "tags": [], "x": None})
        entries[0]["start"] = 0
        for j in range(1, len(entries)):
            entries[j]["start"] = max(entries[j]["start"], entries[j - 1]["start"])
        for j, entry in enumerate(entries):
            entry["end"] = entries[j + 1]["start"] if j + 1 < len(entries) else b - a
        for j, entry in enumerate(entries):
            if j and entry["x"] is not None and entry["end"] > entry["start"]:
                entry["start"] = entry["end"]  # a placeholder holds no text: the gap goes to the stretch before it
                if j:
                    entries[j - 1]["end"] = entry["start"]
        roles = []
        for t in sorted({t for en in entries for t in en["tags"] + ([en["x"]] if en["x"] is not None else [])}):
            start, end = extent[t]
            opens = here(start)
            closes = here(end, closing=True) or (end == start and opens)
            roles.append([t, tags[t].ctype, "g" if opens and closes else "bx" if opens else "ex" if closes else "in"])
        out.append({"entries": entries, "roles": roles})
    return out


def _in_sentence(p: int, closing: bool = False, *, a: int, b: int, first: bool, last: bool) -> bool:
    """Whether offset ``p`` (a tag's start, or its end when ``closing``) falls in sentence [a, b);
    the first and last sentences also take what lies before or after them."""
    if closing:
        return a < p <= b or (first and p <= a) or (last and p > b)
    return a <= p < b or (first and p < a) or (last and p >= b)


# ------------------------------------------------------------------ mapping onto the translation


def _tokens(tgt: str) -> list[tuple[int, int, bool]]:
    return [(m.start(), m.end(), bool(_WORDY.search(m.group(0)))) for m in _TOKEN.finditer(tgt)]


def monotone(landmarks: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """The longest chain of landmarks increasing on both sides (one word crossing the others is dropped)."""
    items = sorted(set(landmarks))
    best: list[list] = []
    for i, (a, _, c, _) in enumerate(items):
        chain = [items[i]]
        for j in range(i):
            _, pb, _, pd = items[j]
            if pb <= a and pd <= c and len(best[j]) + 1 > len(chain):
                chain = best[j] + [items[i]]
        best.append(chain)
    return max(best, key=len, default=[])


def map_spans(
    src: str, entries: Sequence[InlineEntry], tgt: str, landmarks: Sequence[tuple[int, int, int, int]] = ()
) -> list[str]:
    """The English of each entry: consecutive stretches of ``tgt`` in entry order (they join back to ``tgt``).

    ``landmarks`` are (source start, end, target start, end) pairs known to translate each other.
    """
    n = len(entries)
    if n == 1:
        return [tgt]
    tokens = _tokens(tgt)
    starts = [t[0] for t in tokens] + [len(tgt)]  # allowed cut points: token starts and the end
    words_before = [0]
    for _, _, wordy in tokens:
        words_before.append(words_before[-1] + wordy)
    chain = monotone([lm for lm in landmarks if lm[1] > lm[0] and lm[3] > lm[2]])

    def cut_index(char: float) -> int:
        return min(range(len(starts)), key=lambda i: (abs(starts[i] - char), i))

    def index_at_or_after(char: int) -> int:
        return next((i for i, s in enumerate(starts) if s >= char), len(starts) - 1)

    def interpolate(p: float) -> int:
        points = [(0, 0)] + [(a, c) for a, _, c, _ in chain] + [(b, d) for _, b, _, d in chain] + [(len(src), len(tgt))]
        points.sort()
        left = max((q for q in points if q[0] <= p), default=(0, 0))
        right = min((q for q in points if q[0] >= p and q[1] >= left[1]), default=(len(src), len(tgt)))
        if right[0] == left[0]:
            return cut_index(left[1])
        return cut_index(left[1] + (p - left[0]) / (right[0] - left[0]) * (right[1] - left[1]))

    pins: dict[int, tuple[int, int]] = {}
    for k, e in enumerate(entries):
        size = len(re.findall(r"\w", src[e["start"] : e["end"]]))
        if not e["tags"] or not size:
            continue
        inside = [lm for lm in chain if lm[0] >= e["start"] and lm[1] <= e["end"]]
        covered = sum(len(re.findall(r"\w", src[a:b])) for a, b, _, _ in inside)
        if inside and covered >= MIN_COVERAGE * size:
            pins[k] = (index_at_or_after(min(c for _, _, c, _ in inside)), index_at_or_after(max(d for *_, d in inside)))
    cuts = [0] * (n + 1)
    cuts[n] = len(starts) - 1
    for k in range(1, n):
        if k in pins:
            cuts[k] = pins[k][0]
        elif k - 1 in pins:
            cuts[k] = pins[k - 1][1]
        else:
            cuts[k] = interpolate(entries[k]["start"])
    required = [bool(e["tags"]) and bool(_WORDY.search(src[e["start"] : e["end"]])) for e in entries]
    for k in range(1, n):  # forward: order, and room for each required stretch before the cut
        cuts[k] = max(cuts[k], cuts[k - 1])
        if required[k - 1] and words_before[cuts[k]] == words_before[cuts[k - 1]]:
            cuts[k] = next(
                (i for i in range(cuts[k - 1] + 1, len(starts)) if words_before[i] > words_before[cuts[k - 1]]), cuts[k]
            )
    for k in range(n - 1, 0, -1):  # backward: room for each required stretch after the cut
        cuts[k] = min(cuts[k], cuts[k + 1])
        if required[k] and words_before[cuts[k + 1]] == words_before[cuts[k]]:
            cuts[k] = next(
                (i for i in range(cuts[k + 1] - 1, -1, -1) if words_before[i] < words_before[cuts[k + 1]] and tokens[i][2]),
                cuts[k],
            )
    for k in range(1, n):
        cuts[k] = max(cuts[k], cuts[k - 1])
    pieces = [tgt[starts[cuts[k]] if k else 0 : starts[cuts[k + 1]] if k + 1 < n else len(tgt)] for k in range(n)]
    return move_spaces(pieces, [tuple(e["tags"]) for e in entries], [e["x"] is not None for e in entries])


def move_spaces(pieces: list[str], stacks: list[tuple[int, ...]], holders: list[bool] | None = None) -> list[str]:
    """Whitespace at the edge of a tagged stretch goes to the untagged neighbour (a bold run holds
    ``Shudian``, not ``Shudian ``); between two different tags it stays where it is. A placeholder
    (``holders[k]``) holds no text: whatever lands on it moves to the next stretch."""
    pieces = list(pieces)
    holders = holders or [False] * len(pieces)
    texts = [k for k, h in enumerate(holders) if not h]
    for k, h in enumerate(holders):
        if h and pieces[k] and texts:
            after = [j for j in texts if j > k]
            if after:
                pieces[after[0]] = pieces[k] + pieces[after[0]]
            else:
                pieces[texts[-1]] += pieces[k]
            pieces[k] = ""
    keep = texts  # whitespace moves between text stretches, over placeholders
    stacks = [stacks[k] for k in keep]
    sub = [pieces[k] for k in keep]
    moved = _move_edge_spaces(sub, stacks)
    for k, text in zip(keep, moved):
        pieces[k] = text
    return pieces


def _move_edge_spaces(pieces: list[str], stacks: list[tuple[int, ...]]) -> list[str]:
    for k in range(len(pieces) - 1):
        closing = bool(set(stacks[k]) - set(stacks[k + 1]))
        opening = bool(set(stacks[k + 1]) - set(stacks[k]))
        if closing and not opening and pieces[k] != pieces[k].rstrip():
            body = pieces[k].rstrip()
            pieces[k], pieces[k + 1] = body, pieces[k][len(body) :] + pieces[k + 1]
        if opening and not closing and pieces[k + 1] != pieces[k + 1].lstrip():
            body = pieces[k + 1].lstrip()
            pieces[k], pieces[k + 1] = pieces[k] + pieces[k + 1][: len(pieces[k + 1]) - len(body)], body
    return pieces


def latin_landmarks(src: str, tgt: str) -> list[tuple[int, int, int, int]]:
    """Latin words and codes written the same in both (``App``, ``AI``, ``5G``)."""
    found, used = [], set()
    for m in _LATIN.finditer(src):
        for t in re.finditer(rf"(?<![\w]){re.escape(m.group(0))}(?![\w])", tgt, re.IGNORECASE):
            if t.start() not in used:
                used.add(t.start())
                found.append((m.start(), m.end(), t.start(), t.end()))
                break
    return found


def lexicon_landmarks(src: str, tgt: str, lexicon) -> list[tuple[int, int, int, int]]:
    """Chinese dictionary words whose English lemma occurs once in ``tgt`` (ambiguous ones are skipped)."""
    from zhbridge.terms.lexicon import stem

    words = [(m.start(), m.end(), stem(m.group(0))) for m in re.finditer(r"[A-Za-z][A-Za-z'-]*", tgt)]
    found = []
    for word in lexicon.segment(src):
        lemmas = lexicon.translations(word)
        hits = [w for w in words if w[2] in lemmas]
        spots = [m.start() for m in re.finditer(re.escape(word), src)]
        if len(hits) == 1 and len(spots) == 1:
            found.append((spots[0], spots[0] + len(word), hits[0][0], hits[0][1]))
    return found


# ------------------------------------------------------------------ Markdown inline syntax

_MD_INLINE = re.compile(
    r"(?P<code>(?P<ticks>`+)(?P<code_body>.+?)(?P=ticks))"
    r"|(?P<fn>\[\^[^\]\s]+\])"
    r"|(?P<br><br\s*/?>)"
    r"|(?P<auto><(?:https?|mailto):[^>\s]+>)"
    r"|(?P<img>!\[(?P<img_body>[^\]]*)\](?P<img_dest>\([^)]*\)))"
    r"|(?P<link>\[(?P<link_body>[^\]]+)\](?P<link_dest>\([^)]*\)))"
    r"|(?P<strong>(?P<smark>\*\*|__)(?=\S)(?P<strong_body>.+?)(?<=\S)(?P=smark))"
    r"|(?P<del>~~(?=\S)(?P<del_body>.+?)(?<=\S)~~)"
    r"|(?P<em>\*(?=[^\s*])(?P<em_body>.+?)(?<=[^\s*])\*|(?<![^\W_])_(?=\S)(?P<em2_body>.+?)(?<=\S)_(?![^\W_]))"
)


def markdown_spans(text: str) -> tuple[list[Span], dict[int, Tag]]:
    """Spans of a Markdown unit's inline syntax: emphasis, strike, links and images are paired tags
    (their text is translated), inline code a paired tag kept verbatim, footnote references,
    ``<br>`` and autolinks standalone placeholders."""
    tags: dict[int, Tag] = {}
    spans: list[Span] = []

    def new(ctype: str, open_: str, close: str = "", verbatim: bool = False) -> int:
        tid = len(tags) + 1
        tags[tid] = Tag(tid, ctype, open_, close, verbatim)
        return tid

    def parse(chunk: str, stack: tuple[int, ...]) -> None:
        pos = 0
        for m in _MD_INLINE.finditer(chunk):
            if m.start() > pos:
                spans.append(Span(chunk[pos : m.start()], stack))
            pos = m.end()
            kind = (
                m.lastgroup
                if m.lastgroup in ("fn", "br", "auto")
                else next(k for k in ("code", "img", "link", "strong", "del", "em") if m.group(k))
            )
            if kind in ("fn", "br", "auto"):
                spans.append(Span("", stack, new({"fn": "x-footnote", "br": "lb", "auto": "x-autolink"}[kind], m.group(0))))
            elif kind == "code":
                code = new(VERBATIM_CTYPES[0], m.group("ticks"), m.group("ticks"), True)
                spans.append(Span(m.group("code_body"), stack + (code,)))
            elif kind == "img":
                parse(m.group("img_body"), stack + (new("x-image", "![", "]" + m.group("img_dest")),))
            elif kind == "link":
                parse(m.group("link_body"), stack + (new("link", "[", "]" + m.group("link_dest")),))
            elif kind == "strong":
                parse(m.group("strong_body"), stack + (new("bold", m.group("smark"), m.group("smark")),))
            elif kind == "del":
                parse(m.group("del_body"), stack + (new("x-strike", "~~", "~~"),))
            else:
                mark = "*" if m.group("em_body") is not None else "_"
                parse(m.group("em_body") or m.group("em2_body"), stack + (new("italic", mark, mark),))
        if pos < len(chunk) or not spans:
            spans.append(Span(chunk[pos:], stack))

    parse(text, ())
    return [s for s in spans if s.text or s.x is not None or s.tags], tags


def transitions(stacks: list[tuple[int, ...]]):
    """For each stretch, the tags to close (innermost first) and to open before it."""
    current: tuple[int, ...] = ()
    for want in list(stacks) + [()]:
        common = 0
        while common < min(len(current), len(want)) and current[common] == want[common]:
            common += 1
        yield list(reversed(current[common:])), list(want[common:])
        current = want


def markdown_render(spans: list[Span], tags: dict[int, Tag], texts: list[str]) -> str:
    """The Markdown of a unit from one stretch per span; whitespace at a stretch's edges goes
    outside the markup, which would not parse as emphasis otherwise (``**Shudian **``)."""
    out: list[str] = []
    pending = ""
    steps = list(transitions([s.tags for s in spans]))
    for (closes, opens), span, text in zip(steps, spans, texts):
        if span.x is None and any(tags[t].verbatim for t in span.tags):
            text = span.text  # inline code is not translated
        core = text.strip()
        lead = text[: len(text) - len(text.lstrip())] if core else text
        trail = text[len(text.rstrip()) :] if core else ""
        out += [tags[t].close for t in closes] + [pending, lead] + [tags[t].open for t in opens]
        if span.x is not None:
            out.append(tags[span.x].open)
        out.append(core)
        pending = trail
    out += [tags[t].close for t in steps[-1][0]] + [pending]
    return "".join(out)
