"""Project translations are checked sentence by sentence against the article they claim to translate."""

from __future__ import annotations

import pytest

from zhbridge.corpus.translations import read_project_translation
from zhbridge.io import InputError

PARAGRAPHS = ["竖店的故事", "郑州被称为竖店。这里每天有上百个剧组开机。"]
RAW = "竖店的故事\n来源: 某报\n郑州被称为竖店。这里每天有上百个剧组开机。\n"  # not the paragraphs: a header line


def _tsv(tmp_path, text):
    path = tmp_path / "N1-01.tsv"
    path.write_text(text, encoding="utf-8")
    return path


def test_lines_become_pairs_with_the_articles_own_sentences(tmp_path):
    # half-width "," in the file, full-width in the normalized article; para counted either way
    path = _tsv(tmp_path, "0\t竖店的故事\tThe story of Shudian\n2\t这里每天有上百个剧组开机。\tHundreds of  crews\n")
    assert read_project_translation(path, PARAGRAPHS, RAW) == [
        (0, "竖店的故事", "The story of Shudian"),
        (1, "这里每天有上百个剧组开机。", "Hundreds of crews"),
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("1\t郑州被称为横店。\tZhengzhou is called Hengdian.\n", "not in the article"),
        ("1\t这里每天有上百个剧组开机。\tb\n1\t郑州被称为竖店。\ta\n", "earlier in the article"),
        ("0\t郑州被称为竖店。\ta\n", "in paragraph 1, not 0"),
        ("1\t郑州被称为竖店。\n", "para<TAB>zh<TAB>en"),
        ("x\t郑州被称为竖店。\ta\n", "para<TAB>zh<TAB>en"),
        ("\n", "empty file|no translated sentence"),
    ],
)
def test_a_line_that_does_not_match_the_article_is_refused_with_its_line(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        read_project_translation(_tsv(tmp_path, text), PARAGRAPHS, RAW)
