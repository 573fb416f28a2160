"""The corpus build: raw articles → normalized paragraphs → sentences → aligned pairs → rows.

Plain data in, plain data out: :func:`build_rows` returns dicts per split; the
``dataset`` module turns them into a ``datasets.DatasetDict`` with its card.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from zhbridge.corpus.manifest import ManifestRow, read_manifest
from zhbridge.corpus.readers import (
    ParagraphBead,
    read_clipped_article,
    read_interleaved,
    read_monolingual,
    read_paired,
    read_tmx,
)
from zhbridge.io import InputError, read_text
from zhbridge.text.segment import split_en, split_zh

# Pairs whose aligner confidence is below this are kept but flagged for review.
FLAG_THRESHOLD = 0.5
# Share of each parallel document's sentence pairs per split when documents must be cut into sections.
SECTION_SHARES = (("train", 0.70), ("validation", 0.15), ("test", 0.15))
SPLIT_RULE = (
    "Splits are by document. While the corpus has fewer than 10 parallel documents, each parallel "
    "document is cut at paragraph boundaries into three contiguous sections: the first ~70% of its "
    "sentence pairs go to train, the next ~15% to validation, the last ~15% to test. Sentences are "
    "never shuffled across splits; a paragraph never straddles two splits."
)


@dataclass
class BuildResult:
    splits: dict[str, list[dict]] = field(default_factory=dict)
    repairs: dict[str, list[str]] = field(default_factory=dict)
    # doc id -> (zh sentences, en sentences, document-level beads)
    documents: dict[str, tuple[list[str], list[str], list]] = field(default_factory=dict)
    articles: int = 0
    unique_articles: int = 0
    aligner: str = ""

    def bead_counts(self) -> Counter:
        return Counter(row["bead"] for name in ("train", "validation", "test") for row in self.splits.get(name, []))


@dataclass
class AlignedParagraph:
    """Sentences of one paragraph bead and their sentence beads (ids local to the paragraph)."""

    zh: list[str]
    en: list[str]
    beads: list  # zhbridge.align.Bead

    def pairs(self) -> list[tuple[str, str, str, float]]:
        return [
            ("".join(self.zh[i] for i in b.zh), " ".join(self.en[i] for i in b.en), b.kind, float(b.score)) for b in self.beads
        ]


def align_paragraph_bead(bead: ParagraphBead, **aligner_options) -> AlignedParagraph:
    from zhbridge.align import align_sentences

    zh = [s for p in bead.zh for s in split_zh(p)]
    en = [s for p in bead.en for s in split_en(p)]
    return AlignedParagraph(zh, en, align_sentences(zh, en, **aligner_options))


def document_alignment(paragraphs: list[AlignedParagraph]) -> tuple[list[str], list[str], list]:
    """Document-level sentences and beads (ids offset per paragraph), for scoring against gold."""
    from zhbridge.align import Bead

    zh: list[str] = []
    en: list[str] = []
    beads: list = []
    for paragraph in paragraphs:
        for b in paragraph.beads:
            beads.append(Bead(tuple(i + len(zh) for i in b.zh), tuple(i + len(en) for i in b.en), b.score))
        zh += paragraph.zh
        en += paragraph.en
    return zh, en, beads


def _cut_into_sections(paragraph_pairs: list[list[tuple]]) -> list[str]:
    """Split name per paragraph: contiguous sections cut at the paragraph boundaries nearest the target shares.

    Every split gets at least one paragraph when the document has three or more.
    """
    n = len(paragraph_pairs)
    names = [name for name, _ in SECTION_SHARES]
    if n < len(names):
        return names[:n]
    total = sum(len(p) for p in paragraph_pairs) or 1
    cumulative, acc = [], 0
    for pairs in paragraph_pairs[:-1]:
        acc += len(pairs)
        cumulative.append(acc / total)  # cumulative[b - 1] = share before boundary b
    cuts, target, lowest = [], 0.0, 1
    for index, (_, share) in enumerate(SECTION_SHARES[:-1]):
        target += share
        highest = n - (len(SECTION_SHARES) - 1 - index)  # leave room for the later sections
        best = min(range(lowest, highest + 1), key=lambda b: abs(cumulative[b - 1] - target))
        cuts.append(best)
        lowest = best + 1
    out, section = [], 0
    for index in range(n):
        while section < len(cuts) and index >= cuts[section]:
            section += 1
        out.append(names[section])
    return out


def describe_aligner(**options) -> str:
    """How the pairs were aligned, printed with every count and score derived from them."""
    import importlib

    align = importlib.import_module("zhbridge.align")  # the subpackage; the attribute zhbridge.align is the API function

    describe = getattr(align, "describe", None)
    if describe is not None:
        return describe(**options)
    settings = ",".join(f"{k}={v}" for k, v in sorted(options.items())) or "defaults"
    return f"zhbridge.align.align_sentences({settings}); paragraphs paired by layout"


SPLIT_NAMES = ("train", "validation", "test", "monolingual", "comparable")


def document_result(row: ManifestRow, corpus_dir: Path, **aligner_options) -> BuildResult:
    """One document's rows, repairs and alignment on their own: documents are independent, so they can run anywhere."""
    part = BuildResult(splits={name: [] for name in SPLIT_NAMES})
    add_document_rows(part, row, corpus_dir, **aligner_options)
    return part


def local_documents(rows: list[ManifestRow], corpus_dir: Path, aligner_options: dict) -> Iterator[BuildResult]:
    for row in rows:
        yield document_result(row, corpus_dir, **aligner_options)


def build_rows(
    corpus_dir: str | Path, *, map_documents: Callable[..., Iterable[BuildResult]] = local_documents, **aligner_options
) -> BuildResult:
    """``map_documents(rows, corpus_dir, aligner_options)`` yields each row's :func:`document_result` in
    manifest order (this process by default; ``zhbridge.corpus.ray_build`` runs them as Ray tasks)."""
    corpus_dir = Path(corpus_dir)
    manifest = read_manifest(corpus_dir / "manifest.tsv")
    result = BuildResult(splits={name: [] for name in SPLIT_NAMES})
    result.articles = len(manifest)
    unique = [row for row in manifest if not row.duplicate_of]
    result.unique_articles = len(unique)
    result.aligner = describe_aligner(**aligner_options)
    for part in map_documents(unique, corpus_dir, aligner_options):
        for name, rows in part.splits.items():
            result.splits[name] += rows
        result.repairs.update(part.repairs)
        result.documents.update(part.documents)
    if not any(result.splits[name] for name in ("train", "validation", "test")):
        raise InputError(f"{corpus_dir}: the manifest's documents yield no aligned sentence pairs; nothing written")
    return result


def add_document_rows(result: BuildResult, row: ManifestRow, corpus_dir: Path, **aligner_options) -> None:
    """Read, align and add one manifest document; errors name the file and the manifest id."""
    path = corpus_dir / row.file
    try:
        if row.layout == "parallel-interleaved":
            _add_parallel(result, row, read_interleaved(read_text(path)), **aligner_options)
        elif row.layout == "parallel-paired":
            _add_parallel(result, row, read_paired(path, path.with_suffix(".en")), **aligner_options)
        elif row.layout == "parallel-tmx":
            _add_parallel(result, row, read_tmx(path), **aligner_options)
        else:
            _add_monolingual(result, row, read_text(path))
    except InputError as exc:
        message = str(exc).removeprefix(f"{path}: ")
        raise InputError(f"{path} (manifest id {row.id}): {message}") from None


def _add_parallel(result: BuildResult, row: ManifestRow, reading, **aligner_options) -> None:
    result.repairs[row.id] = reading.repairs
    aligned = [align_paragraph_bead(bead, **aligner_options) for bead in reading.beads]
    result.documents[row.id] = document_alignment(aligned)
    per_paragraph = [paragraph.pairs() for paragraph in aligned]
    sections = _cut_into_sections(per_paragraph)
    counter = 0
    for para_id, (pairs, split) in enumerate(zip(per_paragraph, sections)):
        for zh, en, kind, score in pairs:
            result.splits[split].append(
                {
                    "id": f"{row.id}-{counter:04d}",
                    "doc_id": row.id,
                    "para_id": para_id,
                    "zh": zh,
                    "en": en,
                    "bead": kind,
                    "score": round(score, 4),
                    "flagged": score < FLAG_THRESHOLD or kind in ("0-1", "1-0"),
                    "source": row.origin,
                    "section": split,
                }
            )
            counter += 1


def _add_monolingual(result: BuildResult, row: ManifestRow, text: str) -> None:
    reading = None
    if row.publisher or row.layout == "zh+en-summary" or text.count("\n") <= 3:
        try:
            _, reading = read_clipped_article(text)
            title = reading.zh_only[0]
        except InputError:
            if row.publisher or row.layout == "zh+en-summary":
                raise
            # a user's one-paragraph article is not a clipping without a body: read it as plain text
    if reading is None:
        reading = read_monolingual(text)
        title = row.title
    result.repairs[row.id] = reading.repairs
    for para_id, paragraph in enumerate(reading.zh_only):
        result.splits["monolingual"].append(
            {
                "id": f"{row.id}-p{para_id:03d}",
                "doc_id": row.id,
                "para_id": para_id,
                "zh": paragraph,
                "title": title,
                "source": row.origin,
            }
        )
    for para_id, summary in enumerate(reading.en_only):
        # a summary written in English about the article: comparable text, never a translation pair
        result.splits["comparable"].append(
            {
                "id": f"{row.id}-s{para_id:03d}",
                "doc_id": row.id,
                "title": title,
                "en": summary,
                "source": row.origin,
            }
        )
