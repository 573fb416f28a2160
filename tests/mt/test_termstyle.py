from zhbridge.mt.termstyle import apply_term_style
from zhbridge.terms.glossary import Entry

SHUDIAN = Entry(zh="竖店", en='Shudian ("vertical-screen Hengdian")', variants=("Shudian",), short="Shudian")


def test_first_mention_keeps_gloss_later_ones_are_short():
    texts = [
        'Zhengzhou, Shudian ("vertical-screen Hengdian")',
        'Zhengzhou is called Shudian ("vertical-screen Hengdian"). Shudian ("vertical-screen Hengdian") grows.',
    ]
    assert apply_term_style(texts, [SHUDIAN]) == [
        'Zhengzhou, Shudian ("vertical-screen Hengdian")',
        "Zhengzhou is called Shudian. Shudian grows.",
    ]


def test_entry_without_short_form_is_left_alone():
    plain = Entry(zh="横店", en="Hengdian")
    assert apply_term_style(["Hengdian and Hengdian"], [plain]) == ["Hengdian and Hengdian"]
