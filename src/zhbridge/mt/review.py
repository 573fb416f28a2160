"""What a reviewer must look at: invented names and words, doubled words, markup junk, misplaced terms, and a
per-segment confidence.

The checks here report what a reader of the English would see and the source cannot
explain. A Latin-script name is supported when the source writes it, a glossary rendering
of the segment contains it, it is the pinyin of source characters (``Zhengzhou`` for 郑州),
or the CC-CEDICT lexicon translates some word of the source to it (``China`` for 中国);
anything else ("Xi Jinping" from a byline of reporters' names, "United States" for 大陆)
is invented. A lowercase word that is no English (:mod:`zhbridge.mt.words`: the subword model's
"minimacy", "hubsty", "elevis") is an invented word unless the source writes it, a glossary rendering
has it, or it is the pinyin of source characters; a word written twice in a row ("human human") is a
doubled word.

Confidence is a small fitted model (``mt/data/confidence.json``, written by
``scripts/fit_confidence.py``): a logistic regression of "this segment's sentence chrF is in the
worst 20 % of its set" on the model's own length-normalised log-probability of the output it wrote
(teacher-forced, so it scores the final, enforced English), the cross-lingual cosine of source and
output in :mod:`zhbridge.embed` (USE multilingual v3, which sees meaning the model's probability
does not: a fluent sentence about something else), how far the output/source length ratio is from
the references', the source length, and the review flags as indicators. Confidence is one minus
that probability. It was fitted on the general dev set and WMT22, never on WMT23, which measures it
(docs/decoding.md).
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from zhbridge.mt.enforce import FORCED, POST_EDITED
from zhbridge.mt.segments import Segment
from zhbridge.terms.match import rendering_pattern

# the kinds that make a segment need review, worst first, with the words the run summary uses
REVIEW_KINDS = {
    "invented-name": "invented names",
    "invented-word": "invented words",
    "numbers": "numbers missing or changed",
    "numbers-invented": "numbers invented",
    "markup-junk": "markup junk",
    "term-misplaced": "terms out of place",
    "term": "terms not honoured",
    "term-post-edited": "terms inserted after decoding",
    "repetition": "repetitions",
    "doubled-word": "doubled words",
    "untranslated": "Chinese left untranslated",
    "length-ratio": "odd lengths",
    "source-cut": "sources cut (not translated whole)",
}
# below this a segment needs review even without a flag: the fitted model thinks it more likely
# than not among the worst fifth (see docs/decoding.md)
LOW_CONFIDENCE = 0.5
CONFIDENCE_MODEL = Path(__file__).parent / "data" / "confidence.json"

_NAME = re.compile(r"\b[A-Z][a-zA-Z]+(?:['’]s)?(?:[ -](?:of |the |de )?[A-Z][a-zA-Z]+)*\b")
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”(]\s*)$")
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,6}|#x[0-9a-fA-F]{1,6});")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,80})?/?>")
_ALWAYS_FINE = {"i", "mr", "mrs", "ms", "dr", "prof", "st", "no", "ok"} | {
    m.lower()
    for m in "January February March April May June July August September October November December Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday".split()
}


@functools.lru_cache(maxsize=1)
def _lexicon():
    from zhbridge.terms.lexicon import load_lexicon

    lexicon = load_lexicon()
    vocabulary = frozenset(lemma for lemmas in lexicon.entries.values() for lemma in lemmas)
    return lexicon, vocabulary


def _source_lemmas(src: str) -> set[str]:
    """English lemmas of every lexicon word anywhere in ``src`` (not one segmentation: generous on purpose)."""
    lexicon, _ = _lexicon()
    lemmas: set[str] = set()
    for i in range(len(src)):
        for size in range(1, min(lexicon.max_word, len(src) - i) + 1):
            lemmas |= lexicon.translations(src[i : i + size])
    return lemmas


def _source_pinyin(src: str) -> str:
    from zhbridge.terms.lexicon import pinyin_tables

    table = pinyin_tables()[0]
    return "".join(table.get(c, " ") for c in src)


def invented_names(src: str, tgt: str, terms=()) -> list[str]:
    """Latin-script names and acronyms in ``tgt`` that nothing in ``src`` supports (see the module docstring)."""
    from zhbridge.terms.lexicon import en_content_lemmas

    _, vocabulary = _lexicon()
    latin = " ".join(re.findall(r"[A-Za-z][A-Za-z0-9'’-]*", src)).lower()
    renderings = " ".join(f"{t.get('found') or ''} {t.get('en') or ''}" for t in terms).lower()
    lemmas: set[str] | None = None
    pinyin: str | None = None
    invented = []
    spans = [(m.start(), m.group(0)) for m in _NAME.finditer(tgt)]
    spans += [(m.start(), m.group(0)) for m in _ACRONYM.finditer(tgt) if not any(m.group(0) in n for _, n in spans)]
    for start, name in spans:
        words = [w for w in re.split(r"[ -]", re.sub(r"['’]s$", "", name)) if w and w[0].isupper()]
        initial = bool(_SENTENCE_START.search(tgt[:start]))
        first = en_content_lemmas(words[0].lower()) if words else set()
        if initial and len(words) > 1 and first <= vocabulary:  # "Reporters Xi Jinping": the capital is the sentence's
            name = name[len(words[0]) :].lstrip(" -")
            words, initial = words[1:], False
        unsupported = []
        for k, word in enumerate(words):
            low = word.lower()
            if low in _ALWAYS_FINE or low in latin or low in renderings:
                continue
            stems = en_content_lemmas(low)
            if not stems:  # a stopword ("The", "And")
                continue
            # a sentence's first word is capitalised anyway: an ordinary English word there is no name
            if k == 0 and initial and len(words) == 1 and stems <= vocabulary:
                continue
            lemmas = _source_lemmas(src) if lemmas is None else lemmas
            if stems & lemmas:
                continue
            pinyin = _source_pinyin(src) if pinyin is None else pinyin
            if len(low) >= 2 and low.isalpha() and low in pinyin.replace(" ", ""):
                continue
            unsupported.append(word)
        if unsupported:
            invented.append(name)
    return invented


def _source_syllables(src: str, longest: int = 4) -> set[str]:
    """The pinyin of every run of up to ``longest`` Han characters of ``src``, run together ("shudian" for 竖店)."""
    from zhbridge.terms.lexicon import pinyin_tables

    table = pinyin_tables()[0]
    out: set[str] = set()
    for i in range(len(src)):
        joined = ""
        for c in src[i : i + longest]:
            if c not in table:
                break
            joined += table[c]
            out.add(joined)
    return out


def invented_words(src: str, tgt: str, terms=()) -> list[str]:
    """Lowercase words of ``tgt`` that are no English (mt.words) and nothing in ``src`` explains: not a Latin
    word of the source, not a word of a glossary rendering, not the pinyin of source characters."""
    from zhbridge.mt.words import WORD_TOKEN, is_english_word

    unknown = [w for w in WORD_TOKEN.findall(tgt) if not is_english_word(w)]
    if not unknown:
        return []
    known = {w.lower() for w in re.findall(r"[A-Za-z]+", src)}
    known |= {w.lower() for t in terms for w in re.findall(r"[A-Za-z]+", f"{t.get('found') or ''} {t.get('en') or ''}")}
    known |= _source_syllables(src)
    return list(dict.fromkeys(w for w in unknown if w not in known))


_DOUBLED = re.compile(r"\b([A-Za-z]+)\s+\1\b", re.IGNORECASE)
_FINE_DOUBLED = {"that", "had", "so", "is", "bye", "ha", "no", "very", "many", "more", "far", "again", "ever", "over"}


def doubled_words(src: str, tgt: str) -> list[str]:
    """Words the English writes twice in a row ("the human human hus", "Mini Mini"), which references almost
    never do; a name the source doubles too ("Fang Fang" for 方方) and "had had" are fine."""
    found = [m.group(0) for m in _DOUBLED.finditer(tgt) if m.group(1).lower() not in _FINE_DOUBLED]
    if found:
        syllables = _source_syllables(src)
        latin = src.lower()
        found = [d for d in found if "".join(d.lower().split()) not in syllables and d.lower() not in latin]
    return list(dict.fromkeys(found))


def markup_junk(src: str, tgt: str) -> list[str]:
    """HTML entities (``&lt;``, ``&#39;``) and tags in the English that the source does not have."""
    found = [m.group(0) for pattern in (_ENTITY, _TAG) for m in pattern.finditer(tgt)]
    return [f for f in dict.fromkeys(found) if f not in src]


def misplaced_terms(src: str, tgt: str, terms=()) -> list[tuple[str, str]]:
    """Enforced terms (constrained decoding or inserted) far from where the source has them, or tacked on at the end."""
    out = []
    for t in terms:
        if t.get("status") not in (FORCED, POST_EDITED) or not t.get("found") or not tgt.strip():
            continue
        pattern = rendering_pattern(t["found"])
        match = pattern.search(tgt) if pattern is not None else None
        if match is None:
            continue
        source_at = t["start"] / max(1, len(src))
        target_at = match.start() / max(1, len(tgt))
        rest = re.sub(r"\([^)]*\)|[\"“][^\"”]*[\"”]", "", tgt[match.end() :])  # a gloss after the term is part of it
        head = tgt[: match.start()]
        last_sentence = re.split(r"[.!?;]\s", head)[-1] if re.search(r"[.!?;]\s", head) else None
        if not re.search(r"\w", rest) and source_at < 0.6 and last_sentence is not None and len(last_sentence.split()) <= 3:
            out.append((t["found"], f"appended after the sentence (source position {source_at:.0%})"))
        elif abs(target_at - source_at) > 0.45:
            out.append((t["found"], f"at {target_at:.0%} of the English, {source_at:.0%} in the source"))
    return out


@functools.lru_cache(maxsize=1)
def _confidence_model() -> dict:
    return json.loads(CONFIDENCE_MODEL.read_text(encoding="utf-8"))


def _chars(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def confidence_features(
    logprob: float | None, similarity: float | None, src: str = "", tgt: str = "", flags=(), center: float = 0.0
) -> dict[str, float | None]:
    """The confidence model's inputs for one segment (None where a signal is unavailable)."""
    feats: dict[str, float | None] = {
        "logprob": None if logprob is None else max(-10.0, min(0.0, logprob)),
        "similarity": similarity,
        # log of output/source characters, as far from the references' typical ratio as it is
        "length_deviation": abs(math.log((_chars(tgt) + 1) / (_chars(src) + 1)) - center) if src else None,
        "log_source_chars": math.log1p(_chars(src)) if src else None,
    }
    for kind in REVIEW_KINDS:
        feats[f"flag:{kind}"] = float(kind in flags)
    return feats


def fitted_score(feats: dict[str, float | None], model: dict) -> float:
    """1 - P(worst fifth) under a fitted logistic ``model``; a missing feature counts as the fit data's mean."""
    z = model["intercept"]
    for name, weight in model["weights"].items():
        value = feats.get(name)
        if value is not None:
            z += weight * (value - model["mean"][name]) / model["scale"][name]
    return 1.0 - 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def confidence(logprob: float | None, similarity: float | None, *, src: str = "", tgt: str = "", flags=()) -> float | None:
    """One number in [0, 1], higher is better: the fitted model of mt/data/confidence.json (module docstring)."""
    if logprob is None and similarity is None:
        return None
    model = _confidence_model()
    feats = confidence_features(logprob, similarity, src, tgt, flags, model["length_center"])
    return round(fitted_score(feats, model), 4)


def attach_confidence(
    records: list[Segment], translator, *, flags_of: Callable[[Segment], list[str]], embed: bool = True
) -> None:
    """Add ``logprob``, ``similarity`` and ``confidence`` to each MT record (TM records keep none).

    ``flags_of`` gives a record's review flags (``mt.qa.segment_flags``: QA sits above this module).
    """
    mt = [r for r in records if r.get("origin") == "mt" and r.get("tgt", "").strip()]
    if not mt:
        return
    logprobs = translator.score([r["src"] for r in mt], [r["tgt"] for r in mt])
    similarities: list[float | None] = [None] * len(mt)
    if embed:
        from zhbridge.embed import paired_similarity

        similarities = [float(x) for x in paired_similarity([r["src"] for r in mt], [r["tgt"] for r in mt])]
    for r, lp, sim in zip(mt, logprobs, similarities):
        r["logprob"] = round(lp, 4)
        r["similarity"] = None if sim is None else round(sim, 4)
        r["confidence"] = confidence(lp, sim, src=r["src"], tgt=r["tgt"], flags=flags_of(r))


def review_flags(issues: list[dict]) -> list[str]:
    return list(dict.fromkeys(i["kind"] for i in issues if i["kind"] in REVIEW_KINDS))


def needs_review(seg: Segment, flags: list[str]) -> bool:
    conf = seg.get("confidence")
    return bool(flags) or (conf is not None and conf < LOW_CONFIDENCE)


def review_rank(seg: Segment, flags: list[str]) -> float:
    """Lower is worse: the fitted confidence, which counts the flags already (TM exact counts as sure).

    Without one (a fuzzy TM match, an empty output) the same model ranks on what is known: flags, lengths.
    """
    conf = seg.get("confidence")
    if conf is not None:
        return conf
    if seg.get("origin") == "tm-exact":
        return 1.0
    model = _confidence_model()
    feats = confidence_features(None, None, seg.get("src", ""), seg.get("tgt", ""), flags, model["length_center"])
    return round(fitted_score(feats, model), 4)


def review_summary(flag_lists: list[list[str]], review: list[bool]) -> dict:
    counts = Counter(k for flags in flag_lists for k in flags)
    low = sum(1 for flags, r in zip(flag_lists, review) if r and not flags)
    return {"needs_review": sum(review), "review_reasons": dict(counts), "low_confidence_only": low}


def review_line(summary: dict) -> str:
    """'41 of 76 segments need review: 12 invented names, 9 numbers missing or changed, …'."""
    reasons = summary.get("review_reasons") or {}
    parts = [f"{reasons[k]} {REVIEW_KINDS[k]}" for k in REVIEW_KINDS if reasons.get(k)]
    if summary.get("low_confidence_only"):
        parts.append(f"{summary['low_confidence_only']} low confidence only")
    head = f"{summary.get('needs_review', 0)} of {summary['segments']} segments need review"
    return head + (": " + ", ".join(parts) if parts else "")


def total_review(summaries: list[dict]) -> dict:
    """The review counts of several documents' QA summaries added up (for the run's last line)."""
    reasons: Counter[str] = Counter()
    for s in summaries:
        reasons.update(s.get("review_reasons") or {})
    return {
        "segments": sum(s.get("segments", 0) for s in summaries),
        "needs_review": sum(s.get("needs_review", 0) for s in summaries),
        "low_confidence_only": sum(s.get("low_confidence_only", 0) for s in summaries),
        "review_reasons": dict(reasons),
    }
