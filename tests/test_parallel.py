from __future__ import annotations

import hashlib

import pytest

from zhbridge import parallel
from zhbridge.io import InputError


def _write_source(folder, name, zh, en, origin="repository: example/repo\nlicence: CC BY 4.0\n"):
    d = folder / name
    d.mkdir(parents=True)
    (d / "zh").write_text("\n".join(zh) + "\n", encoding="utf-8")
    (d / "en").write_text("\n".join(en) + "\n", encoding="utf-8")
    (d / "SOURCE.txt").write_text(origin, encoding="utf-8")
    return d


def test_markup_of_the_documentation_sets_is_reduced_to_words():
    assert parallel.strip_markup("参见 :func:`os.path.join` 和 ``str``。") == "参见 os.path.join 和 str。"
    assert (
        parallel.strip_markup("See :ref:`the tutorial <tut-intro>` and `PEP 8 <https://peps.org/8>`_.")
        == "See the tutorial and PEP 8."
    )
    assert parallel.strip_markup("a **bold**  and *em*  word") == "a bold and em word"


def test_html_entities_and_tags_never_reach_the_training_pairs():
    # the TED descriptions are double-escaped: "&amp;lt;em&amp;gt;" is what the model learnt to write
    assert parallel.strip_markup("a &amp;lt;em&amp;gt;great&amp;lt;/em&amp;gt; talk") == "a great talk"
    assert parallel.strip_markup("<b>Bold</b> &quot;quoted&quot; R&amp;D") == 'Bold "quoted" R&D'
    assert parallel.strip_markup("3 &lt; 4") == "3 < 4"  # a real "<" is kept: it opens no tag


@pytest.mark.parametrize(
    ("zh", "en", "kept"),
    [
        ("郑州是微短剧之都。", "Zhengzhou is the capital of mini series.", True),
        ("郑州是微短剧之都。", "郑州是微短剧之都。", False),  # copy
        ("郑州", "", False),  # empty side
        ("print(x) 和 y", "print(x) and y", False),  # mostly code
        ("今天天气很好。", "今天 is nice", False),  # Chinese left in English
        ("今天天气很好。", "OK", False),  # length ratio far too small
        ("长" * 201, "long " * 100, False),  # over-long: dropped, not truncated
        ("详见 https://example.com 网站。", "See https://example.com for details.", False),  # URL: copied, not translated
        ("详见官网。", "See www.example.com for details.", False),
    ],
)
def test_pair_filter(zh, en, kept):
    assert parallel.keep_pair(zh, en) is kept


def test_held_out_sets_are_refused_by_name_and_by_declared_origin(tmp_path):
    _write_source(tmp_path, "newstest2021_zhen", ["你好。"], ["Hello."])
    with pytest.raises(InputError, match="held-out"):
        parallel.discover(tmp_path)
    other = tmp_path / "second"
    _write_source(other, "terms", ["你好。"], ["Hello."], origin="repository: github.com/x/wmt25-terminology\n")
    with pytest.raises(InputError, match="wmt25-terminology"):
        parallel.discover(other)


def test_checksums_catch_an_edited_copy(tmp_path):
    d = _write_source(tmp_path, "news", ["郑州是微短剧之都。"], ["Zhengzhou is the capital of mini series."])
    digest = hashlib.sha256((d / "zh").read_bytes()).hexdigest()
    (tmp_path / "SHA256SUMS").write_text(f"{digest}  news/zh\n", encoding="utf-8")
    assert [s.name for s in parallel.discover(tmp_path)] == ["news"]
    (d / "zh").write_text("改过的。\n", encoding="utf-8")
    with pytest.raises(InputError, match="differs"):
        parallel.discover(tmp_path)


def test_caps_sample_a_source_and_unequal_files_are_an_error(tmp_path):
    zh = [f"第{i}部微短剧在郑州拍摄。" for i in range(50)]
    en = [f"Mini series number {i} was shot in Zhengzhou." for i in range(50)]
    _write_source(tmp_path, "docs", zh, en)
    loaded = parallel.load_parallel(tmp_path, caps={"docs": 10}, seed=1)
    assert len(loaded["docs"]) == 10 and set(loaded["docs"]) <= set(zip(zh, en))
    assert len(parallel.load_parallel(tmp_path, caps={})["docs"]) == 50
    (tmp_path / "docs" / "en").write_text("only one line\n", encoding="utf-8")
    with pytest.raises(InputError, match="lines"):
        parallel.load_parallel(tmp_path)


def test_shipped_sources_declare_origin_and_licence_and_match_their_checksums():
    found = parallel.discover()
    assert len(found) >= 13
    for source in found:
        assert source.repository != "unknown" and source.licence != "unknown", source.name


def test_issue26_prose_sets_are_shipped_clean_simplified_and_upweighted():
    from zhbridge import paths
    from zhbridge.text.script import is_traditional
    from zhbridge.train.data import NEWS_WEIGHTS

    found = {s.name: s for s in parallel.discover()}
    expected = {"tico19": (3031, "CC0"), "ud_pud": (1000, "CC BY-SA 3.0")}
    for name, (count, licence) in expected.items():
        source = found[name]
        assert licence in source.licence and "commit:" in source.origin
        pairs = parallel.read_source(source)
        assert len(pairs) == count  # every stored line already passes the training filters
        assert name in paths.PROSE_SETS and NEWS_WEIGHTS[name] == 2.0
    pud = dict(parallel.read_source(found["ud_pud"]))
    assert not any(is_traditional(zh) for zh in pud)  # converted from the Traditional original
    assert any("奥巴马的特别助理" in zh for zh in pud)
    tico = parallel.read_source(found["tico19"])
    assert ("您现在有发热吗？", "and are you having a fever now?") in tico
