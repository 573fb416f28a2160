"""Term discovery: propose glossary entries from the corpus, with evidence.

Chinese side — no word segmenter is trusted with new domain words (竖店, 微短剧+
are exactly what segmenters split), so candidates are character n-grams inside
runs of Chinese text, kept when they are

* frequent enough (``MIN_FREQ``),
* cohesive: the weakest binary split still has positive pointwise mutual
  information (PMI = log p(ab) / p(a)p(b)),
* free: varied left and right neighbours (branching entropy), so 微短 (always
  followed by 剧) is not proposed beside 微短剧,

and ranked by ``log2(freq) * min(left entropy, right entropy) * cohesion``, scaled by

* specificity against general Chinese (news, UN and Wikipedia sides of corpus/training),
* general vocabulary: a CC-CEDICT headword whose first sense is a common word (lower case:
  产业 "industry", 打造 "to create") counts a third; the glossary exists for what the general
  dictionary, zhbridge's lookup fallback, does not already say (names keep their full score),
* compositionality: a domain term plus a modifier (微短剧产业, 郑州微短剧, 推动微短剧) counts a
  third beside the term itself, and number-plus-measure fragments (一批, 亿元) are dropped.

English side — for each candidate, the English 1–4-gram in the aligned pairs that
co-occurs with it most strongly (Dice over pairs, ties broken by log-likelihood),
with a small bonus when the n-gram spells the candidate's pinyin (names such as
Xinyueyi) — a prior that needs no glossary.

:func:`evaluate_against` reports precision@20 and recall against the curated glossary.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from zhbridge import paths
from zhbridge.io import InputError, atomic_write_text, check_writable, read_text
from zhbridge.terms.glossary import Glossary
from zhbridge.terms.match import fold

MIN_FREQ = 2
MAX_LEN = 8
MIN_ENTROPY = 0.9
SETTINGS = {
    "min_freq": MIN_FREQ,
    "max_len": MAX_LEN,
    "min_branching_entropy": MIN_ENTROPY,
    "cohesion": "min binary-split PMI > 0",
    "specificity": "log2 relative-frequency ratio vs corpus/training Chinese (WMT refs, Tatoeba, news/UN/Wikipedia sets)",
    "general_vocabulary": "CC-CEDICT headword with a lower-case first sense: score x 1/3",
    "compositional": "a better-ranked domain candidate plus dictionary words or single characters: score x 1/3",
    "english": "Dice over aligned pairs, 1-4-grams, LLR tie-break, pinyin prior",
}

_RUN = re.compile(r"[\u3400-\u9fff]+\+?")
# a candidate made only of these is a number with its measure word (一批, 亿元, 三部), not a term
_NUMBER_MEASURE = set("一二两三四五六七八九十百千万亿零几多余批个部家位名条项次年元件集")
GENERAL_FACTOR = COMPOSITIONAL_FACTOR = 1 / 3
# general-language prose of corpus/training/parallel (sets of short everyday sentences would make
# domain words look rarer than they are in news)
BACKGROUND_SETS = paths.PROSE_SETS
_EN_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*\+?|\d+")
# Characters that rarely begin or end a term; candidates starting/ending with them are dropped.
_EDGE_STOP = set("的了是在和与及等也将为对从把被这那个其而或以于并且就还又所们着过到")
_EN_STOP = {
    "the",
    "a",
    "an",
    "of",
    "and",
    "or",
    "in",
    "on",
    "to",
    "for",
    "with",
    "by",
    "as",
    "at",
    "from",
    "is",
    "are",
    "was",
    "were",
    "be",
    "its",
    "it",
    "that",
    "this",
    "has",
    "have",
    "such",
    "into",
    "over",
    "more",
    "than",
    "s",
}


@dataclass
class Corpus:
    pairs: list[tuple[str, str]]
    chinese: list[str]  # every Chinese text used for candidate statistics (pairs' zh included)
    description: str


@dataclass
class Candidate:
    zh: str
    freq: int
    score: float
    left_entropy: float
    right_entropy: float
    pmi: float
    specificity: float = 0.0
    known: bool = False
    general: bool = False  # a common word of the general dictionary
    part_of: str = ""  # the better-ranked term this candidate merely extends
    en: str | None = None
    dice: float = 0.0
    co_count: int = 0
    pair_count: int = 0
    example_zh: str = ""
    example_en: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        for key in ("score", "left_entropy", "right_entropy", "pmi", "specificity", "dice"):
            d[key] = round(d[key], 3)
        return d


# ---------------------------------------------------------------- corpus


def load_corpus(
    dataset: str | os.PathLike | None = None,
    seeds: str | os.PathLike | None = None,
    splits: tuple[str, ...] = ("train", "validation"),
    monolingual: bool = True,
) -> Corpus:
    """Pairs and Chinese text from the built dataset, or (with ``seeds``) from the seed documents."""
    if seeds is not None:
        return _load_seeds(Path(seeds))
    location = Path(dataset) if dataset is not None else paths.DATASET_DIR
    if not location.exists():
        raise InputError(f"{location}: no built dataset; run the corpus build first or pass --seeds DIR")
    import datasets

    dd = datasets.load_from_disk(str(location))
    pairs: list[tuple[str, str]] = []
    for split in splits:
        if split in dd:
            pairs.extend(zip(dd[split]["zh"], dd[split]["en"]))
    chinese = [zh for zh, _ in pairs]
    if monolingual and "monolingual" in dd:
        chinese.extend(dd["monolingual"]["zh"])
    names = "+".join(splits) + ("+monolingual" if monolingual else "")
    return Corpus(pairs, chinese, f"{location.name} ({names}: {len(pairs)} pairs, {len(chinese)} Chinese texts)")


def _load_seeds(folder: Path) -> Corpus:
    """Seed fallback: in the parallel seed, a Chinese line followed by a non-Chinese line is a pair."""
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise InputError(f"{folder}: no .txt seed documents")
    pairs, chinese = [], []
    for path in files:
        lines = [line.strip() for line in read_text(path).split("\n") if line.strip()]
        for i, line in enumerate(lines):
            if not _RUN.search(line):
                continue
            chinese.append(line)
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if nxt and not _RUN.search(nxt) and len(nxt) > 20:
                pairs.append((line, nxt))
    return Corpus(pairs, chinese, f"{folder} ({len(pairs)} line pairs, {len(chinese)} Chinese lines)")


# ---------------------------------------------------------------- Chinese candidates


def _entropy(counter: Counter) -> float:
    total = sum(counter.values())
    return -sum(c / total * math.log2(c / total) for c in counter.values()) if total else 0.0


def chinese_candidates(
    texts: list[str],
    *,
    min_freq: int = MIN_FREQ,
    max_len: int = MAX_LEN,
    min_entropy: float = MIN_ENTROPY,
    background: list[str] | None = None,
    dictionary: dict[str, bool] | None = None,
) -> list[Candidate]:
    """Ranked candidates; ``dictionary`` (headword → common word?) defaults to CC-CEDICT's (pass {} for none)."""
    runs = [run for text in texts for run in _RUN.findall(fold(text))]
    counts: Counter[str] = Counter()
    left: dict[str, Counter] = defaultdict(Counter)
    right: dict[str, Counter] = defaultdict(Counter)
    boundary = 0
    for run in runs:
        n = len(run)
        for i in range(n):
            for length in range(1, min(max_len, n - i) + 1):
                gram = run[i : i + length]
                counts[gram] += 1
                if length >= 2:
                    # each boundary is a distinct neighbour: a term at a run edge is free on that side
                    left[gram][run[i - 1] if i > 0 else f"<{(boundary := boundary + 1)}>"] += 1
                    right[gram][run[i + length] if i + length < n else f"<{(boundary := boundary + 1)}>"] += 1
    total = sum(len(run) for run in runs) or 1
    out: list[Candidate] = []
    for gram, freq in counts.items():
        if len(gram) < 2 or freq < min_freq or gram[0] in _EDGE_STOP or gram.rstrip("+")[-1] in _EDGE_STOP:
            continue
        p = freq / total
        pmi = min(math.log2(p / ((counts[gram[:k]] / total) * (counts[gram[k:]] / total))) for k in range(1, len(gram)))
        if pmi <= 0:
            continue
        hl, hr = _entropy(left[gram]), _entropy(right[gram])
        if min(hl, hr) < min_entropy:
            continue
        score = math.log2(freq) * min(hl, hr) * math.log2(1 + pmi)
        out.append(Candidate(gram, freq, score, hl, hr, pmi))
    out = [c for c in out if not set(c.zh) <= _NUMBER_MEASURE]
    if background:
        _weight_by_specificity(out, total, background)
    if dictionary is None:
        dictionary = general_dictionary()
    _weight_by_dictionary(out, dictionary)
    out.sort(key=lambda c: (-c.score, -c.freq, c.zh))
    return out


def general_dictionary() -> dict[str, bool]:
    """CC-CEDICT's simplified headwords → True for a common word, False for a proper name (upper-case first sense)."""
    from zhbridge.terms.lookup import _cedict

    out: dict[str, bool] = {}
    for raw in _cedict().get_entries():
        senses = [d.strip() for d in raw.get("definitions", []) if d.strip()]
        if senses:
            out.setdefault(raw["simplified"], senses[0][:1].islower())
    return out


def _weight_by_dictionary(candidates: list[Candidate], dictionary: dict[str, bool]) -> None:
    for c in candidates:
        if dictionary.get(c.zh):
            c.general = True
            c.score *= GENERAL_FACTOR
    ranked = sorted(candidates, key=lambda c: -c.score)
    domain = {c.zh: c.score for c in ranked if not c.general}
    pieces = {c.zh for c in candidates} | set(dictionary)

    def filler(text: str) -> bool:
        # "+" is no modifier: 微短剧+ (the "mini series+" campaign) is a term of its own
        return text == "" or (_RUN.fullmatch(text) is not None and "+" not in text and (len(text) == 1 or text in pieces))

    for c in ranked:
        for length in range(len(c.zh) - 1, 1, -1):
            inner = next(
                (
                    c.zh[i : i + length]
                    for i in range(len(c.zh) - length + 1)
                    if domain.get(c.zh[i : i + length], 0.0) > c.score and filler(c.zh[:i]) and filler(c.zh[i + length :])
                ),
                None,
            )
            if inner is not None:
                c.part_of = inner
                c.score *= COMPOSITIONAL_FACTOR
                break


def background_texts() -> list[str]:
    """General-language Chinese (news references, Tatoeba) shipped in corpus/training, if present."""
    root = paths.CORPUS_DIR / "training"
    texts: list[str] = []
    for path in sorted(root.glob("wmt-en-zh/*.zh")):
        texts.extend(read_text(path).split("\n"))
    tatoeba = root / "tatoeba" / "cmn-eng.tsv"
    if tatoeba.exists():
        texts.extend(line.split("\t")[1] for line in read_text(tatoeba).split("\n") if line.count("\t") >= 1)
    for name in BACKGROUND_SETS:
        path = root / "parallel" / name / "zh"
        if path.is_file():
            texts.extend(read_text(path).split("\n"))
    return texts


def _weight_by_specificity(candidates: list[Candidate], domain_chars: int, background: list[str]) -> None:
    """Scale scores by how much more frequent a candidate is here than in general Chinese.

    Domain-specificity (log ratio of relative frequencies, +0.5 smoothing) separates 竖店
    or 微短剧 from 发展 or 打造, which branching entropy alone ranks just as high.
    """
    text = "\n".join(fold(t) for t in background)
    total = len(text) or 1
    for c in candidates:
        ratio = (c.freq / domain_chars) / ((text.count(c.zh) + 0.5) / total)
        c.specificity = math.log2(ratio)
        c.score *= max(c.specificity, 0.5) / 5


# ---------------------------------------------------------------- English pairing


def _en_ngrams(text: str, max_n: int = 4) -> set[str]:
    tokens = [t.lower().replace("’", "'") for t in _EN_TOKEN.findall(text)]
    grams = set()
    for n in range(1, max_n + 1):
        for i in range(len(tokens) - n + 1):
            gram = tokens[i : i + n]
            if gram[0] in _EN_STOP or gram[-1] in _EN_STOP:
                continue
            grams.add(" ".join(gram))
    return grams


def _llr(k11: int, k12: int, k21: int, k22: int) -> float:
    """Dunning's log-likelihood ratio (G²) for a 2×2 contingency table."""

    def h(*ks: int) -> float:
        total = sum(ks)
        return sum(k * math.log(k / total) for k in ks if k)

    return 2 * (h(k11, k12, k21, k22) - h(k11 + k12, k21 + k22) - h(k11 + k21, k12 + k22))


def pair_with_english(candidates: list[Candidate], pairs: list[tuple[str, str]]) -> None:
    from zhbridge.terms.glossary import pinyin_of
    from zhbridge.terms.lookup import pinyin_key

    folded_zh = [fold(zh) for zh, _ in pairs]
    en_grams = [_en_ngrams(en) for _, en in pairs]
    gram_df: Counter[str] = Counter(g for grams in en_grams for g in grams)
    n_pairs = len(pairs)
    for cand in candidates:
        rows = [i for i, zh in enumerate(folded_zh) if cand.zh in zh]
        cand.pair_count = len(rows)
        if not rows:
            continue
        co: Counter[str] = Counter(g for i in rows for g in en_grams[i])
        spelled = pinyin_key(pinyin_of(cand.zh))
        best, best_key = None, None
        for gram, k11 in co.items():
            df = gram_df[gram]
            dice = 2 * k11 / (len(rows) + df)
            prior = 0.3 if spelled and gram.replace(" ", "").replace("-", "") == spelled else 0.0
            key = (dice + prior, _llr(k11, len(rows) - k11, df - k11, n_pairs - len(rows) - df + k11), len(gram))
            if best_key is None or key > best_key:
                best, best_key = gram, key
        if best is not None:
            cand.en = best
            cand.co_count = co[best]
            cand.dice = 2 * co[best] / (len(rows) + gram_df[best])
            example = next(i for i in rows if best in en_grams[i])
            cand.example_zh, cand.example_en = pairs[example]


def extract_terms(corpus: Corpus, *, background: list[str] | None = None, **options) -> list[Candidate]:
    """Ranked candidates; ``background`` defaults to :func:`background_texts` (pass [] for none)."""
    if background is None:
        background = background_texts()
    candidates = chinese_candidates(corpus.chinese, background=background, **options)
    pair_with_english(candidates, corpus.pairs)
    return candidates


# ---------------------------------------------------------------- evaluation against the glossary


def evaluate_against(candidates: list[Candidate], glossary: Glossary, corpus: Corpus, k: int = 20) -> dict:
    from zhbridge.terms.lookup import english_key

    known = {fold(e.zh): e for e in glossary.entries}
    for c in candidates:
        c.known = c.zh in known
    top = candidates[:k]
    hits = [c for c in top if c.known]
    pair_hits = [
        c
        for c in hits
        if c.en
        and any(
            c.en == english_key(r) or c.en in english_key(r).split(" ") or c.en in english_key(r) for r in known[c.zh].renderings
        )
    ]
    text = "\n".join(fold(t) for t in corpus.chinese)
    reachable = [z for z in known if text.count(z) >= MIN_FREQ]
    proposed = {c.zh for c in candidates}
    found = [z for z in reachable if z in proposed]
    return {
        "k": k,
        "precision_at_k": len(hits) / len(top) if top else 0.0,
        "pair_precision_at_k": len(pair_hits) / len(top) if top else 0.0,
        "candidates": len(candidates),
        "glossary_terms": len(known),
        "glossary_terms_in_corpus": len(reachable),
        "recall": len(found) / len(reachable) if reachable else 0.0,
        "recall_all_glossary": len(found) / len(known) if known else 0.0,
        "missed": sorted(set(reachable) - set(found))[:30],
        "definitions": {
            "precision_at_k": "share of the top-k Chinese candidates that are glossary terms",
            "pair_precision_at_k": "share of the top-k whose proposed English matches (is, or is inside) a glossary rendering",
            "recall": f"glossary terms occurring >= {MIN_FREQ} times in the Chinese text that appear among all candidates",
        },
    }


def format_evaluation(ev: dict) -> str:
    return (
        f"precision@{ev['k']} = {ev['precision_at_k']:.2f} (Chinese term is in the glossary); "
        f"pair precision@{ev['k']} = {ev['pair_precision_at_k']:.2f} (and the English matches); "
        f"recall = {ev['recall']:.2f} of {ev['glossary_terms_in_corpus']} glossary terms seen >= {MIN_FREQ}x in the corpus "
        f"({ev['recall_all_glossary']:.2f} of all {ev['glossary_terms']}); {ev['candidates']} candidates; settings: {SETTINGS}"
    )


def write_candidates(candidates: list[Candidate], path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    check_writable(path, overwrite=overwrite)
    columns = (
        "zh",
        "freq",
        "score",
        "left_entropy",
        "right_entropy",
        "pmi",
        "known",
        "en",
        "dice",
        "co_count",
        "pair_count",
        "example_zh",
        "example_en",
    )
    lines = ["\t".join(columns)]
    for c in candidates:
        d = c.to_dict()
        lines.append(
            "\t".join(str(d[col] if d[col] is not None else "").replace("\t", " ").replace("\n", " ") for col in columns)
        )
    return atomic_write_text(path, "\n".join(lines) + "\n", overwrite=overwrite)
