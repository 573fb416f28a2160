"""Glossary terms as placeholders (issue 27 §2, method c): ``<T1>`` in the source, copied by the model, restored after.

Training (``zhbridge train --term-placeholders``): in a pair whose Chinese contains a glossary
term *and* whose English reference contains one of its renderings, both are replaced by the
same token ``<Tk>`` (k numbered from 1 in source order). The model learns to copy the token to
where the term belongs; what the term means no longer matters to it, so a weak model cannot
mistranslate or ramble around it.

Decoding: the source's glossary terms become ``<T1>``, ``<T2>``, …; after translation each
token is replaced by the glossary's preferred English. The hard length rule holds here too: a
source with terms is also decoded as it is, and a restored output longer than that by more than
the terms and a few words (:func:`zhbridge.mt.enforce.allowed_words`, the rule method (a) obeys)
is dropped for the model's own output, in which the terms are then placed. A token the model dropped is reported
as missing (the caller falls back to :mod:`zhbridge.mt.enforce`'s insertion); a token it
repeated or invented is deleted, so a placeholder never becomes two copies of a term.

The token needs no vocabulary change: ``<``, ``T``, digits and ``>`` are pieces of the shipped
SentencePiece vocabularies on both sides (``▁<`` ``T`` ``1`` ``>``), so it round-trips through
the tokenizer of an existing model that is fine-tuned with the transform.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

TOKEN = "<T{}>"
# the model may space the pieces out or change the letter's case; all of these are the same token
TOKEN_RE = re.compile(r"<\s*[Tt]\s*(\d{1,2})\s*>")

# half a token the model garbled ("02>" for "<T2>", "<T3" at the end): never English, so it goes too
STRAY_RE = re.compile(r"<\s*[Tt]\s*\d{0,2}(?!\s*\d|\s*>)|(?<=[\dTt])>")

Pair = tuple[str, str]


@dataclass(frozen=True)
class Slot:
    """One placeholder of a masked source: its number, the source span it replaced, what restores it."""

    k: int
    zh: str
    start: int
    end: int
    en: str


def _replace_spans(text: str, spans: Sequence[tuple[int, int, str]]) -> str:
    out, last = [], 0
    for start, end, token in sorted(spans):
        out += [text[last:start], token]
        last = end
    return "".join(out) + text[last:]


def _possessive_start(text: str, start: int, end: int) -> int:
    # the matcher accepts "Zhengzhou's"; the token replaces the name only, so "'s" stays in the sentence
    m = re.search(r"['\u2019]s?$", text[start:end])
    return start + m.start() if m else end


def mask_pair(zh: str, en: str, matches) -> tuple[str, str, int]:
    """``(zh, en)`` with every glossary term found on both sides replaced by ``<Tk>``; and how many."""
    from zhbridge.terms.match import claim_renderings

    matches = list(matches)
    claims = claim_renderings(en, [tuple(r for r in m.entry.renderings if r and r.strip()) for m in matches])
    both = [(m, span) for m, (_, span) in zip(matches, claims) if span is not None]
    both.sort(key=lambda ms: ms[0].start)
    zh_spans = [(m.start, m.end, TOKEN.format(k)) for k, (m, _) in enumerate(both, 1)]
    en_spans = [(s, _possessive_start(en, s, e), TOKEN.format(k)) for k, (_, (s, e)) in enumerate(both, 1)]
    return _replace_spans(zh, zh_spans), _replace_spans(en, en_spans), len(both)


def mask_pairs(pairs: Sequence[Pair], find: Callable[[str], list]) -> tuple[list[Pair], int]:
    """The training transform over ``pairs`` (``find`` = ``Glossary.find``); also how many pairs changed."""
    out, changed = [], 0
    for zh, en in pairs:
        mzh, men, n = mask_pair(zh, en, find(zh))
        out.append((mzh, men))
        changed += n > 0
    return out, changed


def mask_source(zh: str, matches) -> tuple[str, list[Slot]]:
    """The decode side: every glossary term of ``zh`` replaced by ``<Tk>``, and the slots to restore."""
    slots = [
        Slot(k, m.entry.zh, m.start, m.end, m.entry.en)
        for k, m in enumerate(sorted(matches, key=lambda m: m.start), 1)
        if m.entry.en and m.entry.en.strip()
    ]
    return _replace_spans(zh, [(s.start, s.end, TOKEN.format(s.k)) for s in slots]), slots


def restore(text: str, slots: Sequence[Slot]) -> tuple[str, list[Slot]]:
    """``text`` with each slot's first ``<Tk>`` replaced by its English and every other token removed.

    Returns the restored text and the slots whose token the model lost (not in ``text``).
    """
    by_k = {s.k: s for s in slots}
    used: set[int] = set()

    def sub(m: re.Match) -> str:
        k = int(m.group(1))
        if k in by_k and k not in used:
            used.add(k)
            return by_k[k].en.strip()
        return ""  # a repeat or a token with no slot: deleting it is better than a duplicate term

    restored = STRAY_RE.sub("", TOKEN_RE.sub(sub, text))
    restored = re.sub(r"\s+([,.;:!?)])", r"\1", re.sub(r"\s{2,}", " ", restored)).strip()
    if restored and restored[0].islower() and TOKEN_RE.match(text.lstrip()):
        restored = restored[0].upper() + restored[1:]  # a term that opens the sentence
    return restored, [s for s in slots if s.k not in used]


class PlaceholderTranslator:
    """A Translator for a model trained with ``--term-placeholders``: masks, translates, restores.

    Everything else (token counts, scoring, options) is the wrapped translator's. ``lost`` holds,
    per source of the last :meth:`translate` call, the slots whose token did not come back;
    :func:`zhbridge.mt.enforce.enforce_terms` then inserts those terms instead of re-decoding.
    """

    placeholders = True

    def __init__(self, inner, find: Callable[[str], list]):
        self.inner = inner
        self.find = find
        self.lost: dict[str, list[Slot]] = {}

    def __getattr__(self, name):
        return getattr(self.inner, name)

    @property
    def fingerprint(self) -> str:
        return self.inner.fingerprint + ":term-placeholders"

    def translate(self, texts: list[str]) -> list[str]:
        from zhbridge.mt.enforce import allowed_words

        masked = [mask_source(t, self.find(t)) for t in texts]
        outputs = self.inner.translate([m for m, _ in masked])
        # the model's own output of the sources that have terms: the yardstick of the hard length rule
        with_terms = [i for i, (_, slots) in enumerate(masked) if slots]
        plain = dict(zip(with_terms, self.inner.translate([texts[i] for i in with_terms]))) if with_terms else {}
        result = []
        for i, (text, (_, slots), out) in enumerate(zip(texts, masked, outputs)):
            restored, lost = restore(out, slots)
            if i in plain:
                own = plain[i]
                if len(restored.split()) > allowed_words(own, [s.en for s in slots]):
                    # the masked decode ran past the model's own output by more than the terms and a few words:
                    # keep the model's own output; enforce_terms then places what it lacks (what the guard
                    # costs and buys is measured in docs/decoding.md §2)
                    restored, lost = own, list(slots)
            self.lost[text] = lost
            result.append(restored)
        return result
