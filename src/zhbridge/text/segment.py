"""Sentence segmentation: HanLP's rule-based splitter for Chinese, a blank spaCy pipeline for English.

Both are rule-based and offline. The fixes below cover what the rules get wrong
on news text: fragments that start with closing punctuation (after ``……`` or a
closing quote) belong to the previous sentence, and an opening quote stranded at
the end of an English sentence belongs to the next one.
"""

from __future__ import annotations

import functools
import re

_ZH_CONTINUATION = tuple("，、；：）》」』”’,;:)…")
_ZH_OPEN_QUOTES = "“‘「『《（"


def split_zh(text: str) -> list[str]:
    """Chinese sentences of one paragraph, in order, concatenating back to the paragraph (spaces aside)."""
    from hanlp.utils.rules import split_sentence

    text = text.strip()
    if not text:
        return []
    pieces = [p for p in split_sentence(text) if p.strip()]
    sentences: list[str] = []
    for piece in pieces:
        if sentences and (piece.startswith(_ZH_CONTINUATION) or _only_punctuation(piece)):
            sentences[-1] += piece
        else:
            sentences.append(piece)
    return _merge_dangling_openers(sentences)


def _only_punctuation(piece: str) -> bool:
    return not re.search(r"\w", piece)


def _merge_dangling_openers(sentences: list[str]) -> list[str]:
    """A sentence that ends in an opening quote/bracket was cut in the wrong place."""
    out: list[str] = []
    carry = ""
    for sentence in sentences:
        sentence = carry + sentence
        carry = ""
        stripped = sentence.rstrip()
        while stripped and stripped[-1] in _ZH_OPEN_QUOTES:
            carry = stripped[-1] + carry
            stripped = stripped[:-1]
        if stripped:
            out.append(stripped)
    if carry:
        if out:
            out[-1] += carry
        else:
            out.append(carry)
    return out


@functools.lru_cache(maxsize=1)
def _english_pipeline():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 5_000_000
    return nlp


_STRANDED_OPEN_QUOTE = re.compile(r"""\s+(["“'‘])$""")


def split_en(text: str) -> list[str]:
    """English sentences of one paragraph (spaCy tokenizer exceptions keep ``Mr.``, ``U.S.``, ``e.g.`` intact)."""
    text = text.strip()
    if not text:
        return []
    raw = [s.text.strip() for s in _english_pipeline()(text).sents if s.text.strip()]
    sentences: list[str] = []
    carry = ""
    for sentence in raw:
        sentence = (carry + " " + sentence).strip() if carry else sentence
        carry = ""
        m = _STRANDED_OPEN_QUOTE.search(sentence)
        if m:
            carry = m.group(1)
            sentence = sentence[: m.start()]
        if sentences and _only_punctuation(sentence):
            sentences[-1] += sentence
        elif sentences and sentence[:1].islower():
            # '"Go away!" she replied.' is one sentence
            sentences[-1] += " " + sentence
        else:
            sentences.append(sentence)
    if carry:
        sentences.append(carry)
    return [re.sub(r'^(["“]) ', r"\1", s) for s in sentences]


def split_sentences(text: str, lang: str) -> list[str]:
    if lang == "zh":
        return split_zh(text)
    if lang == "en":
        return split_en(text)
    raise ValueError(f"unknown language {lang!r}; expected 'zh' or 'en'")
