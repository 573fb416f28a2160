"""Where an enforced term goes in a translation, and what it must not leave behind (issue 27 §2).

Three repairs that :func:`zhbridge.mt.enforce.enforce_terms` applies instead of blind insertion:

- :func:`near_match`: the model nearly wrote the term ("Mini Series Creation Hubans",
  "Mini Series Creation Center"): that stretch is replaced by the term, not kept beside a copy;
- :func:`drop_echoes`: words next to a placed term that repeat part of it ("shooting base base
  bases", "mini mini series" — forced decoding restarting the words the model had planned) go;
- :func:`aligned_insertion`: a term the model did not write goes next to the English of the
  source words around it (landmarks: other terms, numbers, Latin words, dictionary words), or,
  when the source between two landmarks is the term alone, replaces the English between them.
Only where no landmark exists does the proportional position remain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Span = tuple[int, int]
# Chinese between a term and a landmark that carries no English of its own
_FUNCTION_CHARS = re.compile(r"[\s的之了和与及、，,。.！!？?：:；;“”\"'‘’《》〈〉（）()「」【】—-]*")


def _words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lower-cased letters-and-digits core) of each word; start/end bound the core."""
    out = []
    for m in re.finditer(r"\S+", text):
        core = re.search(r"[\w][\w'’+-]*[\w+]|[\w]", m.group(0))
        if core is not None:
            out.append((m.start() + core.start(), m.start() + core.end(), core.group(0).lower()))
    return out


def _term_words(term: str) -> list[str]:
    return [w for _, _, w in _words(term)]


def _overlaps(span: Span, avoid: Sequence[Span]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in avoid)


def _glued(word: str, term_word: str) -> bool:
    """``word`` is ``term_word`` with letters stuck on ("hubans", "zhengzhouan")."""
    return len(term_word) >= 3 and word.startswith(term_word) and word[len(term_word) :].isalpha()


def near_match(text: str, term: str, avoid: Sequence[Span] = ()) -> Span | None:
    """A stretch of ``text`` that is ``term`` garbled at its end, to be replaced by the term; or None.

    The term's words from its first, then either the last one with letters glued on, or all
    but the last followed by one other word (the model's own word for it; terms of 3+ words).
    """
    tw = _term_words(term)
    n = len(tw)
    if not n:
        return None
    ws = _words(text)
    for i in range(len(ws)):
        m = 0
        while m < n and i + m < len(ws) and ws[i + m][2] == tw[m]:
            m += 1
        span: Span | None = None
        if m < n and i + m < len(ws) and _glued(ws[i + m][2], tw[m]) and (m == n - 1) and (n > 1 or len(tw[0]) >= 4):
            span = (ws[i][0], ws[i + m][1])
        elif n >= 3 and m == n - 1 and i + m < len(ws) and ws[i + m][2].isalpha():
            if text[ws[i + m][0]].isupper() == term.split()[-1][:1].isupper():
                span = (ws[i][0], ws[i + m][1])
        if span is not None and not _overlaps(span, avoid):
            return span
    return None


def drop_echoes(text: str, span: Span, term: str) -> tuple[str, Span]:
    """``text`` without the words beside ``span`` (where ``term`` sits) that repeat part of the term.

    After the term: a run of its last words again ("base base", "Series Creation Hubans"); a
    plural the echo carried ("bases") moves onto the term. Before it: its first words again.
    """
    tw = _term_words(term)
    n = len(tw)
    changed = True
    while changed and n:
        changed = False
        after = [w for w in _words(text) if w[0] >= span[1]]
        # proper parts only: a whole second copy may be the term's second occurrence in the source
        for j in range(min(n - 1, len(after)), 0, -1):
            run, want = after[:j], tw[n - j :]
            if text[span[1] : run[0][0]].strip() or any(text[a[1] : b[0]].strip() for a, b in zip(run, run[1:])):
                continue  # only words directly after the term, separated by spaces
            if [w[2] for w in run[:-1]] != want[:-1]:
                continue
            last, target = run[-1][2], want[-1]
            if last != target and not _glued(last, target):
                continue
            suffix = last[len(target) :] if last.startswith(target) and last[len(target) :] in ("s", "es") else ""
            text = text[: span[1]] + suffix + text[run[-1][1] :]
            span = (span[0], span[1] + len(suffix))
            changed = True
            break
        if changed:
            continue
        before = [w for w in _words(text) if w[1] <= span[0]]
        for j in range(min(n - 1, len(before)), 0, -1):
            run = before[-j:]
            if text[run[-1][1] : span[0]].strip() or any(text[a[1] : b[0]].strip() for a, b in zip(run, run[1:])):
                continue
            if [w[2] for w in run] == tw[:j]:
                cut = run[0][0]
                text = text[:cut] + text[span[0] :]
                span = (cut, cut + span[1] - span[0])
                changed = True
                break
    return text, span


def aligned_insertion(
    src: str,
    tgt: str,
    term: str,
    start: int,
    end: int,
    landmarks: Sequence[tuple[int, int, int, int]],
    avoid: Sequence[Span] = (),
) -> str | None:
    """``tgt`` with ``term`` (source ``start:end``) placed by the landmarks, or None when none is usable."""
    marks = [lm for lm in landmarks if lm[1] > lm[0] and lm[3] > lm[2] and (lm[1] <= start or lm[0] >= end)]
    left = max((lm for lm in marks if lm[1] <= start), key=lambda lm: (lm[1], lm[3]), default=None)
    right = min((lm for lm in marks if lm[0] >= end), key=lambda lm: (lm[0], lm[2]), default=None)
    if left is None and right is None:
        return None
    if left is not None and right is not None and left[3] <= right[2]:
        gap_src = src[left[1] : start] + src[end : right[0]]
        gap = tgt[left[3] : right[2]]
        words = re.findall(r"[A-Za-z0-9]+", gap)
        if _FUNCTION_CHARS.fullmatch(gap_src) and 0 < len(words) <= len(term.split()) + 2:
            lead = len(gap) - len(gap.lstrip(" \t,.;:!?\"'“”()"))
            trail = len(gap) - len(gap.rstrip(" \t,.;:!?\"'“”()"))
            span = (left[3] + lead, right[2] - trail)
            if span[0] < span[1] and not _overlaps(span, avoid):
                # the English between the two neighbours is the model's (wrong) rendering of the term
                return tgt[: span[0]] + term + tgt[span[1] :]
    if left is not None and (right is None or start - left[1] <= right[0] - end):
        pos = left[3]
        m = re.match(r"[^\s]*", tgt[pos:])  # after the neighbour's word, its punctuation included
        pos += m.end() if m else 0
    else:
        assert right is not None
        pos = right[2]
    for s, e in avoid:
        if s < pos < e:
            pos = e
    head, tail = tgt[:pos].rstrip(), tgt[pos:].lstrip()
    return " ".join(p for p in (head, term.strip(), tail) if p)
