"""The torchrun collectives: a plain process is rank 0 of 1 and every call is a no-op.

Two real processes (gloo) are tested end to end by tests/train/test_pipeline.py's torchrun run.
"""

from __future__ import annotations

from zhbridge.train.distributed import barrier, broadcast, dist_env, init_distributed


def test_dist_env_reads_torchrun_variables(monkeypatch):
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK"):
        monkeypatch.delenv(name, raising=False)
    assert dist_env() == (0, 1, 0)
    monkeypatch.setenv("RANK", "3")
    monkeypatch.setenv("WORLD_SIZE", "4")
    monkeypatch.setenv("LOCAL_RANK", "1")
    assert dist_env() == (3, 4, 1)


def test_one_process_needs_no_process_group():
    import torch.distributed as dist

    init_distributed(1, 0)
    assert not dist.is_initialized()
    barrier(1)
    value = {"clock": 1.5}
    assert broadcast(value, 1) is value
