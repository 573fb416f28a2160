import numpy as np

from zhbridge.align.features import en_evidence, en_name_keys, is_pinyin, zh_evidence, zh_name_keys
from zhbridge.align.model import AlignProblem, DocEvidence, shipped_weights
from zhbridge.terms.lexicon import Lexicon


def test_pinyin_names():
    assert is_pinyin("Zhengzhou") and is_pinyin("wenjie") and not is_pinyin("street")
    assert "zhengzhou" in zh_name_keys("郑州是竖店") & en_name_keys("Zhengzhou is the vertical Hengdian")
    assert "yewenjie" in zh_name_keys("叶文洁看着他。") & en_name_keys("Ye Wenjie looked at him.")
    assert "tiktok" in zh_name_keys("在TikTok上播放") & en_name_keys("played on TikTok")


def _problem(zh, en, lexicon):
    return AlignProblem(DocEvidence(zh_evidence(zh, lexicon), en_evidence(en), lexicon), shipped_weights())


def test_length_model_prefers_proportional_lengths():
    lex = Lexicon({}, "none")
    p = _problem(
        ["短句。", "这是一个比较长的句子，有很多很多字。"],
        ["Short.", "This is a rather long sentence, with many many words."],
        lex,
    )
    gc = p.features((1, 1), np.array([1, 2, 1]), np.array([1, 2, 2]))[:, p_index("gc_delta2")]
    assert gc[0] < gc[2] and gc[1] < gc[2]  # short↔short and long↔long beat short↔long


def p_index(name):
    from zhbridge.align.model import FEATURES

    return FEATURES.index(name)


def test_lexical_pair_features_count_translations():
    lex = Lexicon.from_pairs([("猫", "cat"), ("狗", "dog"), ("鱼", "fish")])
    p = _problem(["猫和狗。", "鱼。"], ["The cat and the dog.", "A fish."], lex)
    f = p.features((1, 1), np.array([1, 1, 2]), np.array([1, 2, 2]))
    p.prepare(__import__("zhbridge.align.search", fromlist=["Band"]).Band.full(2, 2))
    f = p.features((1, 1), np.array([1, 1, 2]), np.array([1, 2, 2]))
    matched = f[:, p_index("matched_en")]
    assert list(matched) == [2.0, 0.0, 1.0]
    assert f[0, p_index("cov_zh")] == 1.0


def test_dialogue_quotes_counted_on_both_sides_but_not_apostrophes():
    from zhbridge.align.features import punctuation_counts

    assert punctuation_counts("他说：“走吧！”", zh=True) == (0, 1, 2)
    assert punctuation_counts("'Go!' he said.", zh=False) == (0, 1, 2)  # British single quotes
    assert punctuation_counts("He said, “Go?”", zh=False) == (1, 0, 2)
    assert punctuation_counts("Don't touch Trinket's food.", zh=False)[2] == 0
