"""The shipped English word list (mt/data/english_words.txt.gz) and its regular forms, read for real."""

from zhbridge.mt.words import english_words, is_english_word

# the subword model's inventions in the shipped default's output on real articles (issue 27)
INVENTED = ["minimacy", "hubsty", "hus", "elevis", "screensive", "deliveryer", "drivingly", "propagandament", "revisual"]


def test_the_models_inventions_are_no_english():
    assert [w for w in INVENTED if is_english_word(w)] == []


def test_listed_words_and_their_regular_forms_are_english():
    words = english_words()
    assert {"the", "drama", "industry", "semiconductor", "electrode"} <= words  # training data, CC-CEDICT glosses
    assert len(words) > 100_000
    regular = ["dramas", "dramatically", "searchers", "detainment", "shrewdly", "happiness", "unsold", "reallocated"]
    regular += ["homebuyers", "watchwords", "bigger", "usable"]
    assert [w for w in regular if not is_english_word(w)] == []


def test_names_seen_only_capitalised_are_not_words():
    # "Macy" is a name in the training data, not a word, so "mini" + "macy" is no compound either
    assert not is_english_word("macy") and not is_english_word("minimacy")
