from dataclasses import replace

from zhbridge.terms.validate import validate


def kinds(problems):
    return sorted({p.kind for p in problems})


def test_clean_glossary_has_no_problems(entries):
    assert validate(entries) == []


def test_duplicate_entry(entries):
    assert kinds(validate(entries + [entries[0]])) == ["duplicate"]


def test_conflicting_preferred_renderings(entries):
    problems = validate(entries + [replace(entries[0], en="micro drama")])
    assert kinds(problems) == ["conflict"] and "micro drama" in problems[0].message


def test_empty_fields(entries):
    problems = validate([replace(entries[0], note=""), replace(entries[1], en=" ", source="")])
    assert kinds(problems) == ["empty-field", "whitespace"]
    assert sum(p.kind == "empty-field" for p in problems) == 3


def test_variant_repeating_preferred_and_unknown_category_and_pinyin(entries):
    e = replace(entries[0], variants=("Mini Series",))
    assert kinds(validate([e])) == ["duplicate-variant"]
    assert kinds(validate([replace(entries[0], category="misc")])) == ["unknown-category"]
    assert kinds(validate([replace(entries[0], pinyin="wēi duǎn")])) == ["pinyin"]


def test_shipped_glossary_is_clean():
    from zhbridge.terms.glossary import load_glossary

    assert [str(p) for p in validate(load_glossary())] == []
