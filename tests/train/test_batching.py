"""Training batches: every example once per epoch, within the token budget, in an order fixed by (seed, epoch)."""

from __future__ import annotations

import random

import pytest

from zhbridge.train.batching import collate, encode_pairs, make_batches


@pytest.fixture(scope="module")
def lengths():
    rng = random.Random(7)
    return [(rng.randint(2, 60), rng.randint(2, 80)) for _ in range(500)]


def test_every_example_once_and_within_the_budget(lengths):
    batches = make_batches(lengths, max_tokens=512, seed=0, epoch=0)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        longest = max(max(lengths[i]) for i in batch)
        assert len(batch) == 1 or longest * 2 * len(batch) <= 512


def test_order_is_a_function_of_seed_and_epoch(lengths):
    first = make_batches(lengths, 512, seed=3, epoch=1)
    assert make_batches(lengths, 512, seed=3, epoch=1) == first  # a resumed run rebuilds the same epoch
    assert make_batches(lengths, 512, seed=3, epoch=2) != first
    assert make_batches(lengths, 512, seed=4, epoch=1) != first


def test_batches_group_similar_lengths(lengths):
    batches = make_batches(lengths, 2048, seed=0, epoch=0)
    padded = sum(len(b) * max(lengths[i][0] for i in b) for b in batches)
    real = sum(z for z, _ in lengths)
    assert padded < 1.25 * real  # sorted inside buckets: little padding on the source side


def test_an_example_longer_than_the_budget_is_a_batch_of_its_own():
    batches = make_batches([(300, 300), (5, 5), (6, 6)], max_tokens=100, seed=0, epoch=0)
    assert [0] in batches and sorted(i for b in batches for i in b) == [0, 1, 2]


def test_collate_pads_sources_and_masks_labels():
    input_ids, attention, labels = collate([([5, 6, 1], [7, 1]), ([8, 1], [9, 10, 11, 1])], pad_id=0)
    assert input_ids.tolist() == [[5, 6, 1], [8, 1, 0]]
    assert attention.tolist() == [[1, 1, 1], [1, 1, 0]]
    assert labels.tolist() == [[7, 1, -100, -100], [9, 10, 11, 1]]  # the loss skips padded labels


class FakeTokenizer:
    """Character ids plus </s> (1), truncated to max_length keeping </s>, as a Marian tokenizer does."""

    def __call__(self, sources, text_target, truncation, max_length):
        def ids(text):
            return ([ord(c) for c in text][: max_length - 1] if truncation else [ord(c) for c in text]) + [1]

        return {"input_ids": [ids(s) for s in sources], "labels": [ids(t) for t in text_target]}


def test_encode_pairs_drops_empty_sides_and_truncates():
    pairs = [("你好", "hi"), ("", "orphan"), ("空", ""), ("长长长长长长", "a long line")]
    encoded = encode_pairs(FakeTokenizer(), pairs * 300, max_len=4)  # more than one 512-pair chunk
    assert len(encoded) == 2 * 300
    assert encoded[0] == ([ord("你"), ord("好"), 1], [ord("h"), ord("i"), 1])
    assert encoded[1] == ([ord("长")] * 3 + [1], [ord("a"), ord(" "), ord("l"), 1])
