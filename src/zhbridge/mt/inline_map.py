"""Placing a segment's inline tags in its translation, outside the model (so HF, CTranslate2 and
TM matches behave alike): landmarks that tie source stretches to English stretches, then
:func:`zhbridge.mt.inline.map_spans`; and a unit's English per span from its segments."""

from __future__ import annotations

from zhbridge.mt.inline import VERBATIM_CTYPES, latin_landmarks, lexicon_landmarks, map_spans, move_spaces
from zhbridge.mt.segments import Segment


def term_landmarks(src: str, tgt: str, matches) -> list[tuple[int, int, int, int]]:
    """Glossary terms of the source and the rendering each one found in the translation."""
    from zhbridge.terms.match import claim_renderings

    matches = list(matches)
    claims = claim_renderings(tgt, [tuple(r for r in m.entry.renderings if r and r.strip()) for m in matches])
    return [(m.start, m.end, span[0], span[1]) for m, (_, span) in zip(matches, claims) if span is not None]


def number_landmarks(src: str, tgt: str) -> list[tuple[int, int, int, int]]:
    """Source numbers and the English number of the same value (120个 ↔ 120, 1.2亿 ↔ 120 million)."""
    from zhbridge.text.numbers import EN_NUMBER, same_value, source_numbers, target_values

    english = [(m, target_values(m.group(0))) for m in EN_NUMBER.finditer(tgt)]
    used: set[int] = set()
    found, cursor = [], 0
    for n in source_numbers(src):
        start = src.find(n.text, cursor)
        if start < 0 or n.value is None:
            continue
        cursor = start + len(n.text)
        hit = next((m for m, values in english if m.start() not in used and any(same_value(v, n.value) for v in values)), None)
        if hit is not None:
            used.add(hit.start())
            found.append((start, cursor, hit.start(), hit.end()))
    return found


def engine_lexicon(engine):
    """The engine's bilingual lexicon, loaded once on first use (None when it cannot be loaded)."""
    if getattr(engine, "lexicon", None) is None:
        try:
            from zhbridge.terms.lexicon import load_lexicon

            engine.lexicon = load_lexicon()
        except Exception:  # the dictionary only refines placement; proportional positions still work
            engine.lexicon = False
    return engine.lexicon or None


def landmarks(src: str, tgt: str, matches=(), lexicon=None) -> list[tuple[int, int, int, int]]:
    found = term_landmarks(src, tgt, matches) + number_landmarks(src, tgt) + latin_landmarks(src, tgt)
    if lexicon is not None:
        taken = [(a, b) for a, b, _, _ in found]
        found += [lm for lm in lexicon_landmarks(src, tgt, lexicon) if not any(lm[0] < b and a < lm[1] for a, b in taken)]
    return found


def translate_inline(record: Segment, engine, matches=()) -> Segment:
    """``record`` with ``tgt_inline``: its translation cut into one stretch per inline entry."""
    if "inline" in record:
        src, tgt = record["src"], record["tgt"]
        pieces = map_spans(src, record["inline"], tgt, landmarks(src, tgt, matches, engine_lexicon(engine)))
        verbatim = {t for t, ctype, _ in record.get("tags", []) if ctype in VERBATIM_CTYPES}
        for k, entry in enumerate(record["inline"]):
            if verbatim & set(entry["tags"]):
                pieces[k] = src[entry["start"] : entry["end"]]  # inline code stays as written, whatever the model made of it
        record["tgt_inline"] = pieces
        record["tgt"] = "".join(pieces)
    return record


def unit_pieces(unit, records: list[Segment]) -> list[str]:
    """A unit's English per span, from its segment records (one piece when it has no markup)."""
    joined = " ".join(r["tgt"] for r in records if r["tgt"])
    if len(unit.spans) <= 1 and not unit.tags:
        return [joined]
    if not records or any("tgt_inline" not in r for r in records):
        return unit.pieces(joined)  # records from before tags were tracked: proportional cut
    pieces = [""] * len(unit.spans)
    started = False
    for r in records:
        for k, (entry, text) in enumerate(zip(r["inline"], r["tgt_inline"])):
            if k == 0 and started and r["tgt"]:
                text = " " + text  # sentences of a paragraph are joined by a space
            target = entry["span"] if entry["span"] is not None else len(pieces) - 1
            pieces[target] += text
        started = started or bool(r["tgt"])
    return move_spaces(pieces, [s.tags for s in unit.spans], [s.x is not None for s in unit.spans])
