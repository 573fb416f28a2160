"""The few collective operations training needs under ``torchrun``; all of them are no-ops in one process.

``torchrun`` starts one process per GPU and describes the group in ``RANK``, ``WORLD_SIZE`` and
``LOCAL_RANK``; a plain ``python`` run has none of them and is rank 0 of a world of 1, so callers
write one code path and never import ``torch.distributed`` themselves.
"""

from __future__ import annotations

import os
from typing import TypeVar

T = TypeVar("T")


def dist_env() -> tuple[int, int, int]:
    """(rank, world size, local rank) of this process; (0, 1, 0) outside ``torchrun``."""
    return int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1)), int(os.environ.get("LOCAL_RANK", 0))


def init_distributed(world: int, local_rank: int) -> None:
    """Join the process group (NCCL on GPUs, gloo on CPUs) once; nothing to do in a world of 1."""
    import torch
    import torch.distributed as dist

    if world > 1 and not dist.is_initialized():
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        if torch.cuda.is_available():
            torch.cuda.set_device(local_rank)
        dist.init_process_group(backend)


def barrier(world: int) -> None:
    """Wait until every rank arrives (e.g. while rank 0 writes a file the others then read)."""
    if world > 1:
        import torch.distributed as dist

        dist.barrier()


def broadcast(obj: T, world: int) -> T:
    """Rank 0's ``obj`` on every rank (any picklable value): rank 0's clock and validation decide for all."""
    if world == 1:
        return obj
    import torch.distributed as dist

    box = [obj]
    dist.broadcast_object_list(box, src=0)
    return box[0]
