"""Terminology enforcement: every glossary term in a source segment ends up in its English, or is reported.

Three layers, cheapest first:
1. check: the MT output already contains the preferred or an allowed rendering;
2. constrained re-decoding: the model translates again with the missing terms forced
   (HF: :class:`TermForcingProcessor`; CTranslate2: ``target_prefix``), so the model
   chooses where the term goes and writes the rest of the sentence around it;
3. post-edit placement (:mod:`zhbridge.mt.placement`): over the model's garbled try at the term,
   else next to the English of the source words around it, else at its relative source
   position; this guarantees presence even for a model that never learnt the term (flagged).
Constrained output longer than :func:`allowed_words` is discarded for placement (issue 27 §2).
transformers 5 dropped constrained beam search, hence the processor.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

# the evaluation's matcher (plural/possessive, space/hyphen tolerant), so that "honoured"
# here means exactly what `zhbridge evaluate` counts as a correct term
from zhbridge.terms.match import claim_renderings, rendering_pattern

HONOURED = "honoured"
FORCED = "constrained-decoding"
POST_EDITED = "post-edited"
NOT_HONOURED = "not-honoured"
BOOST = 2.0  # added to a missing term's first token: nudges the model to start it where it fits
LENGTH_SLACK_WORDS = 3  # what constrained decoding may add beyond the terms themselves (issue 27 §2)


@dataclass(eq=False)
class TermCheck:
    zh: str
    en: str
    start: int
    end: int
    status: str
    found: str = ""
    reason: str = ""
    span: tuple[int, int] | None = None  # where ``found`` sits in the translation (not serialised)

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("span")
        return d

    @property
    def ok(self) -> bool:
        return self.status != NOT_HONOURED


def find_rendering(text: str, renderings) -> str:
    """The first of ``renderings`` present in ``text`` (case-insensitive, whole words), or ''."""
    for r in renderings:
        pattern = rendering_pattern(r) if r.strip() else None
        if pattern is not None and pattern.search(text):
            return r
    return ""


def cut_at_word(text: str, ratio: float, floor: int = 0, avoid: Sequence[tuple[int, int]] = ()) -> str:
    """``text`` up to the word boundary nearest ``ratio`` of its length, never before ``floor``
    and never inside one of the ``avoid`` spans (terms already in place)."""
    floor = min(floor, len(text))
    target = max(floor, int(round(len(text) * ratio)))
    candidates = [m.start() for m in re.finditer(r"\s", text) if m.start() >= floor] + [len(text), floor]
    candidates = [i for i in candidates if not any(start < i < end for start, end in avoid)] or [len(text)]
    best = min(candidates, key=lambda i: (abs(i - target), i))
    return text[:best].rstrip()


def insert_term(text: str, term: str, ratio: float, avoid: Sequence[tuple[int, int]] = ()) -> str:
    head = cut_at_word(text, ratio, avoid=avoid)
    tail = text[len(head) :].strip()
    return " ".join(p for p in (head.strip(), term.strip(), tail) if p)


class TermForcingProcessor:
    """A LogitsProcessor that makes each token sequence in ``sequences`` appear in the output.

    Per hypothesis: a term already started is continued token by token; while terms are
    missing, end-of-sentence is blocked and their first tokens get a small boost; when the
    remaining budget only just fits the missing terms, the next one is started outright.
    """

    def __init__(
        self, sequences: list[list[int]], eos_token_id: int, max_new_tokens: int, prompt_length: int = 1, may_follow_term=None
    ):
        self.sequences = [s for s in sequences if s]
        # bool mask over the vocabulary: pieces that start a new word or are punctuation. Right after
        # a term only these may come, so the term is not glued into a longer word ("dramamit").
        self.may_follow_term = may_follow_term
        self.eos = eos_token_id
        self.max_new_tokens = max_new_tokens
        self.prompt_length = prompt_length

    @staticmethod
    def _count(gen: list[int], seq: list[int]) -> int:
        n, i, count = len(seq), 0, 0
        while i <= len(gen) - n:
            if gen[i : i + n] == seq:
                count, i = count + 1, i + n
            else:
                i += 1
        return count

    def _missing(self, gen: list[int]) -> list[list[int]]:
        # a term required twice (twice in the source) must be generated twice
        missing, seen = [], []
        for seq in self.sequences:
            seen.append(seq)
            if self._count(gen, seq) < seen.count(seq):
                missing.append(seq)
        return missing

    def _next_forced(self, gen: list[int]) -> int | None:
        missing = self._missing(gen)
        if not missing:
            return None
        best_k, best_tok = 0, None
        for seq in missing:
            for k in range(min(len(seq) - 1, len(gen)), 0, -1):
                if gen[-k:] == seq[:k]:
                    if k > best_k:
                        best_k, best_tok = k, seq[k]
                    break
        if best_tok is not None:
            return best_tok
        need = sum(len(s) for s in missing) + 1
        if self.max_new_tokens - len(gen) <= need:
            return missing[0][0]
        return -1  # terms missing but room left: only block EOS and boost

    def __call__(self, input_ids, scores):
        import torch

        if input_ids.shape[1] < self.prompt_length:
            return scores
        for row in range(input_ids.shape[0]):
            gen = input_ids[row, self.prompt_length :].tolist()
            forced = self._next_forced(gen)
            if self.may_follow_term is not None and forced in (None, -1):
                if any(len(gen) >= len(q) and gen[-len(q) :] == q for q in self.sequences):
                    scores[row, ~self.may_follow_term] = -float("inf")
            if forced is None:
                continue
            if forced >= 0:
                scores[row, :] = -float("inf")
                scores[row, forced] = 0.0
                continue
            scores[row, self.eos] = -float("inf")
            for seq in self._missing(gen):
                if torch.isfinite(scores[row, seq[0]]):
                    scores[row, seq[0]] += BOOST
        return scores


def enforce_terms(
    source: str, target: str, matches, *, translator=None, enabled: bool = True, verbatim_reason: str = "", lexicon=None
) -> tuple[str, list[TermCheck]]:
    """Return the (possibly re-translated or post-edited) target and one check per source term.

    ``matches`` are the glossary's TermMatch objects for ``source``. ``verbatim_reason``
    set means the target must not change (an exact TM match): missing terms are reported.
    ``lexicon`` (zhbridge.terms.lexicon.Lexicon, or a function returning one, called only when a term
    has to be placed: loading it takes seconds) adds dictionary words to the landmarks that place
    an inserted term; a translator with ``placeholders`` (mt.placeholders) is not re-decoded.
    """
    checks: list[TermCheck] = []
    for m in matches:
        entry = m.entry
        renderings = [r for r in entry.renderings if r and r.strip()]
        check = TermCheck(entry.zh, entry.en, m.start, m.end, HONOURED)
        if not renderings:
            check.status, check.reason = NOT_HONOURED, "glossary entry has no English rendering"
        checks.append(check)

    active = [(c, m) for c, m in zip(checks, matches) if c.status != NOT_HONOURED]

    def refresh(text: str) -> list[TermCheck]:
        claims = claim_renderings(text, [tuple(m.entry.renderings) for _, m in active])
        missing = []
        for (check, _), (found, span) in zip(active, claims):
            check.found, check.span = found, span
            if not found:
                missing.append(check)
        return missing

    missing = refresh(target)
    if not missing:
        return target, checks
    if verbatim_reason or not enabled:
        for check in missing:
            check.status, check.reason = NOT_HONOURED, verbatim_reason or "enforcement off (--no-enforce)"
        return target, checks
    length = max(1, len(source))
    if translator is not None and not getattr(translator, "placeholders", False):
        constrained = translator.translate_with_terms(source, [(c.en, c.start / length) for c in missing])
        # the hard rule: no longer than the model's own output plus the terms and a few words (and those few
        # only within 1.5x), or a weak model's filler ("The minim is the top of the elevis. The Shudian") is kept
        allowed = allowed_words(target, [c.en for c in missing])
        still = refresh(constrained)
        if len(constrained.split()) > allowed:
            for check in missing:
                check.reason = f"constrained decoding ran {len(constrained.split())} words (allowed {allowed}); inserted instead"
            missing = refresh(target)
        elif len(still) <= len(missing):
            for check in missing:
                if all(check is not c for c in still):
                    check.status = FORCED
            # a term present before re-decoding but lost by it is restored by the insertion below
            target, missing = constrained, still
        else:
            missing = refresh(target)
    for check in missing:
        refresh(target)
        target = place_term(source, target, check, checks, lexicon)
        check.status = POST_EDITED
        check.reason = check.reason or "model did not produce it; inserted at the aligned position, check placement"
    target = _without_echoes(target, checks, refresh)
    refresh(target)
    for check in checks:
        if check.status != NOT_HONOURED and not check.found:
            check.status, check.reason = NOT_HONOURED, "lost while placing another term"
    return target, checks


def allowed_words(unenforced: str, terms: Sequence[str]) -> int:
    """The most words an enforced segment may have: the model's own output, the terms, and up to
    LENGTH_SLACK_WORDS more as long as that stays within 1.5x the model's own output."""
    base = len(unenforced.split())
    term_words = sum(len(t.split()) for t in terms)
    return base + term_words + max(0, min(LENGTH_SLACK_WORDS, int(1.5 * base) - base - term_words))


def place_term(source: str, target: str, check: TermCheck, checks: Sequence[TermCheck], lexicon=None) -> str:
    """``target`` with ``check``'s term put in: over the model's garbled try at it, at the English of the
    source words around it, or (no landmark) at its relative source position."""
    from zhbridge.mt.inline import lexicon_landmarks
    from zhbridge.mt.inline_map import landmarks
    from zhbridge.mt.placement import aligned_insertion, near_match

    placed = [c.span for c in checks if c.span]
    if callable(lexicon):
        lexicon = lexicon()
    near = near_match(target, check.en, placed)
    if near is not None:
        return target[: near[0]] + check.en.strip() + target[near[1] :]
    found = [(c.start, c.end, c.span[0], c.span[1]) for c in checks if c.span and c is not check]
    marks = landmarks(source, target) + found
    if lexicon is not None:
        taken = [(a, b) for a, b, _, _ in marks]
        marks += [lm for lm in lexicon_landmarks(source, target, lexicon) if not any(lm[0] < b and a < lm[1] for a, b in taken)]
    aligned = aligned_insertion(source, target, check.en.strip(), check.start, check.end, marks, placed)
    if aligned is not None:
        return aligned
    return insert_term(target, check.en, check.start / max(1, len(source)), avoid=placed)


def _without_echoes(target: str, checks: Sequence[TermCheck], refresh) -> str:
    # forced decoding restarts words the model had planned ("shooting base base bases"), and an insertion
    # next to the model's own try doubles it ("mini mini series"): drop those repeats around placed terms
    from zhbridge.mt.placement import drop_echoes

    for check in checks:
        if check.status in (FORCED, POST_EDITED):
            refresh(target)
            if check.span is not None:
                target, _ = drop_echoes(target, check.span, check.found or check.en)
    return target
