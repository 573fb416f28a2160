"""Small glossaries built inside the tests (never the shipped file, which other work edits)."""

from __future__ import annotations

import pytest

from zhbridge.terms.glossary import Entry, Glossary, save_glossary


def make_entries() -> list[Entry]:
    return [
        Entry(
            "微短剧",
            "mini series",
            ("micro-short drama", "short drama"),
            "wēi duǎn jù",
            "industry term",
            "published in 002",
            "002",
        ),
        Entry("微短剧+", "mini series+", ("mini-series +",), "wēi duǎn jù+", "policy/slogan", "published in 002", "002"),
        Entry(
            "微短剧创作之都",
            "Mini Series Creation Hub",
            ("Mini Series Creation Capital",),
            "wēi duǎn jù chuàng zuò zhī dōu",
            "policy/slogan",
            "published",
            "002",
        ),
        Entry(
            "郑州市打造“微短剧创作之都”工作实施方案（2025—2027年）",
            'Implementation Plan for Building Zhengzhou into a "Mini Series Creation Hub" (2025–2027)',
            (),
            "zhèng zhōu shì dǎ zào “wēi duǎn jù chuàng zuò zhī dōu” gōng zuò shí shī fāng àn （2025—2027 nián）",
            "policy/slogan",
            "published",
            "002",
        ),
        Entry(
            "竖店", 'Shudian ("vertical-screen Hengdian")', ("Shudian",), "shù diàn", "nickname", "no published rendering", "000"
        ),
        Entry("横店", "Hengdian", (), "héng diàn", "place", "published", "002"),
        Entry("郑州", "Zhengzhou", (), "zhèng zhōu", "place", "published", "002"),
        Entry(
            "郑州大志影视基地",
            "Zhengzhou Dazhi Film and Television Base",
            (),
            "zhèng zhōu dà zhì yǐng shì jī dì",
            "base/studio",
            "published",
            "002",
        ),
        Entry("AIGC", "AIGC", ("AI-generated content",), "AIGC", "industry term", "published", "002"),
    ]


@pytest.fixture
def entries() -> list[Entry]:
    return make_entries()


@pytest.fixture
def glossary(entries) -> Glossary:
    return Glossary(entries)


@pytest.fixture
def glossary_file(tmp_path, entries):
    path = tmp_path / "glossary.tsv"
    save_glossary(entries, path)
    return path
