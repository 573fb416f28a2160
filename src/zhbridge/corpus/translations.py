"""Project translations: the English the zhbridge project wrote for a Chinese-only article.

``corpus/translations/project/<doc_id>.tsv`` holds one line per Chinese sentence, in document
order, ``para<TAB>zh<TAB>en`` (no header). Each ``zh`` is checked against the raw article, so a
translation cannot drift from the text it claims to translate: it must be one sentence of the
article as ``split_zh`` cuts the paragraph, found after the previous line's sentence.
"""

from __future__ import annotations

from pathlib import Path

from zhbridge.io import InputError, read_text
from zhbridge.text.normalize import normalize_paragraph
from zhbridge.text.segment import split_zh


def article_sentences(paragraphs: list[str]) -> list[tuple[int, str]]:
    """(para_id, sentence) for every sentence of the article's (normalized) Chinese paragraphs."""
    return [(para_id, sentence) for para_id, paragraph in enumerate(paragraphs) for sentence in split_zh(paragraph)]


def read_project_translation(path: str | Path, paragraphs: list[str], raw_text: str) -> list[tuple[int, str, str]]:
    """(para_id, zh, en) per line of ``path``; ``zh`` as the article has it.

    ``paragraphs`` are the article's Chinese paragraphs as the build reads them (its monolingual
    rows, para_id order); ``para`` may count those or the raw file's non-empty lines.
    """
    sentences = article_sentences(paragraphs)
    # compared in one normal form: a sentence normalized alone may differ from it inside its paragraph (a final "?")
    keys = [_key(sentence) for _, sentence in sentences]
    raw_lines = [line for line in raw_text.split("\n") if line.strip()]
    out: list[tuple[int, str, str]] = []
    position = 0
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not fields[0].strip().isdigit() or not fields[1].strip() or not fields[2].strip():
            raise InputError(f"{path}:{number}: expected para<TAB>zh<TAB>en with all three filled, got {line[:60]!r}")
        para, zh, en = int(fields[0]), _key(fields[1]), " ".join(fields[2].split())
        found = next((k for k in range(position, len(sentences)) if keys[k] == zh), None)
        if found is None:
            where = "earlier in the article (lines out of order?)" if zh in keys else "not in the article"
            raise InputError(f"{path}:{number}: Chinese sentence {zh[:30]!r} is {where}")
        para_id = sentences[found][0]
        if para != para_id and not (
            para < len(raw_lines) and zh in map(_key, split_zh(normalize_paragraph(raw_lines[para], "zh")))
        ):
            raise InputError(f"{path}:{number}: sentence {zh[:30]!r} is in paragraph {para_id}, not {para}")
        out.append((para_id, sentences[found][1], en))
        position = found + 1
    if not out:
        raise InputError(f"{path}: no translated sentence")
    return out


def _key(sentence: str) -> str:
    return normalize_paragraph(sentence.strip(), "zh")
