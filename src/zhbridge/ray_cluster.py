"""Joining or starting the Ray cluster that `--engine ray` runs on; ``ray`` is an optional extra, imported lazily."""

from __future__ import annotations

from dataclasses import dataclass

from zhbridge.io import InputError


@dataclass
class RayOptions:
    address: str | None = None  # None: start a local cluster in this process
    workers: int = 1  # translation actors (model copies)
    gpus_per_worker: float = 0.0
    cpus_per_worker: float = 1.0
    num_cpus: int | None = None  # CPUs of a local cluster started here (default: all)


def import_ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise InputError("--engine ray needs Ray: pip install -e '.[ray]'") from None
    return ray


def start_ray(options: RayOptions) -> bool:
    """Connect to ``options.address`` or start a local cluster; True when this call started it (so stop it after)."""
    ray = import_ray()
    if ray.is_initialized():
        return False
    if options.address:
        ray.init(address=options.address)
    else:
        ray.init(num_cpus=options.num_cpus, include_dashboard=False)
    return True
