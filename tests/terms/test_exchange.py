import pytest

from zhbridge.io import InputError, OutputExistsError
from zhbridge.terms.exchange import merge, read_entries, write_entries
from zhbridge.terms.glossary import Entry, Glossary, sort_key


@pytest.mark.parametrize("suffix", ["csv", "tsv", "tbx"])
def test_round_trip_without_loss(tmp_path, entries, suffix):
    tricky = Entry("测试,项", 'say "hi", ok', ("x | y", "a\nb", "c\\d"), "cè shì", "industry term", "n,\t1", "s")
    original = sorted(entries + [tricky], key=sort_key)
    path = tmp_path / f"g.{suffix}"
    write_entries(original, path)
    assert read_entries(path) == original


def test_export_never_overwrites_without_permission(tmp_path, entries):
    path = tmp_path / "g.csv"
    path.write_text("mine")
    with pytest.raises(OutputExistsError):
        write_entries(entries, path)
    assert path.read_text() == "mine"
    write_entries(entries, path, overwrite=True)
    assert read_entries(path) == sorted(entries, key=sort_key)


def test_unknown_format_is_refused(tmp_path, entries):
    with pytest.raises(InputError, match="unknown glossary format"):
        write_entries(entries, tmp_path / "g.xlsx")


def test_merge_adds_skips_and_refuses_conflicts(entries):
    g = Glossary(entries[:2])
    counts = merge(g, entries[1:3])
    assert counts == {"added": 1, "unchanged": 1, "replaced": 0}
    changed = Entry(entries[0].zh, "micro drama", (), "x", "industry term", "n", "s")
    with pytest.raises(InputError, match="--replace"):
        merge(Glossary(entries), [changed])
    g2 = Glossary(entries)
    assert merge(g2, [changed], replace=True)["replaced"] == 1 and g2.lookup(entries[0].zh).en == "micro drama"


def test_csv_carries_the_short_form():
    from zhbridge.terms.exchange import csv_to_entries, entries_to_csv
    from zhbridge.terms.glossary import Entry

    entry = Entry(zh="竖店", en='Shudian ("vertical-screen Hengdian")', variants=("Shudian",), short="Shudian")
    assert csv_to_entries(entries_to_csv([entry])) == [entry]


def test_a_large_import_is_linear(tmp_path):
    """20,000 entries merge in seconds (one sort, one key dict); adding them one by one was quadratic (8,000: 30 s)."""
    import time

    from zhbridge.terms.exchange import merge as merge_entries
    from zhbridge.terms.glossary import Entry, Glossary

    han = [chr(c) for c in range(0x4E00, 0x4E00 + 400)]
    incoming = [Entry(a + b + c, f"term {k}") for k, (a, b, c) in enumerate(zip(han * 50, han[1:] * 50, han[3:] * 50))]
    incoming = list({e.zh: e for e in incoming}.values())[:20000]
    glossary = Glossary([Entry("微短剧", "micro-drama")])
    start = time.perf_counter()
    counts = merge_entries(glossary, incoming)
    assert time.perf_counter() - start < 10
    assert counts["added"] == len(incoming) and len(glossary) == len(incoming) + 1
    assert [e.zh for e in glossary] == sorted(e.zh for e in glossary)
    assert glossary.lookup(incoming[-1].zh) == incoming[-1]


def test_an_oversized_csv_field_is_one_line(tmp_path):
    from zhbridge.terms.exchange import read_entries

    path = tmp_path / "big.csv"
    path.write_text('zh,en\n"' + "x" * 200_000 + '",a\n', encoding="utf-8")
    with pytest.raises(InputError, match="not a glossary CSV") as caught:
        read_entries(path)
    assert "\n" not in str(caught.value)
