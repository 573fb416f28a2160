import pytest

from zhbridge.io import InputError
from zhbridge.mt.memory import TranslationMemory, load_memory


def test_exact_match_ignores_whitespace():
    tm = TranslationMemory([("竖店吸引了很多演员。", "Shudian has attracted many actors.")])
    hit = tm.lookup(" 竖店 吸引了很多演员。")
    assert hit.exact and hit.target == "Shudian has attracted many actors."


def test_fuzzy_match_scored_and_thresholded():
    tm = TranslationMemory([("竖店吸引了很多演员。", "Shudian has attracted many actors.")], fuzzy_threshold=80)
    hit = tm.lookup("竖店吸引了许多演员。")
    assert hit is not None and not hit.exact and 80 <= hit.score < 100
    assert tm.lookup("河南文化发展报告发布。") is None
    strict = TranslationMemory([("竖店吸引了很多演员。", "x")], fuzzy_threshold=95)
    assert strict.lookup("竖店吸引了许多演员。") is None


def test_loads_train_and_validation_but_not_test(tm_dataset, tm_pairs):
    tm = load_memory(tm_dataset)
    assert len(tm) == len(tm_pairs["train"]) + len(tm_pairs["validation"])
    assert tm.lookup(tm_pairs["train"][0][0]).exact
    held_out = tm.lookup(tm_pairs["test"][0][0])
    assert held_out is None or not held_out.exact


def test_none_and_missing(tmp_path):
    assert load_memory("none") is None
    with pytest.raises(InputError):
        load_memory(tmp_path / "nope")


def test_loads_every_shard_of_a_parquet_only_folder(tmp_path, tm_pairs):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "parquet"
    folder.mkdir()
    train = tm_pairs["train"]
    halves = (train[: len(train) // 2], train[len(train) // 2 :])
    for index, part in enumerate(halves):  # the dataset build's Hub-style shard names
        table = pa.table({"zh": [p[0] for p in part], "en": [p[1] for p in part]})
        pq.write_table(table, folder / f"train-{index:05d}-of-00002.parquet")
    tm = load_memory(tmp_path, splits=("train",))
    assert len(tm) == len(train) and all(tm.lookup(zh).exact for zh, _ in train)
