"""A toy bilingual lexicon shared by the aligner tests: one-character Chinese words with one English word each."""

from zhbridge.terms.lexicon import Lexicon

WORDS = [
    ("猫", "cat"),
    ("狗", "dog"),
    ("鱼", "fish"),
    ("鸟", "bird"),
    ("马", "horse"),
    ("牛", "cow"),
    ("树", "tree"),
    ("花", "flower"),
    ("山", "mountain"),
    ("河", "river"),
    ("书", "book"),
    ("车", "car"),
    ("桥", "bridge"),
    ("雨", "rain"),
]
LEX = Lexicon.from_pairs(WORDS)
