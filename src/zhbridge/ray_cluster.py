"""Joining or starting the Ray cluster that `--engine ray` runs on; ``ray`` is an optional extra, imported lazily."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

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


def ordered_tasks(
    function: Callable[..., Any], calls: Iterable[tuple], options: RayOptions | None = None, **kwargs
) -> Iterator[Any]:
    """``function(*call, **kwargs)`` for each call, as one Ray task each (1 CPU, retried 3 times if its worker dies).

    Results come back in call order, each as soon as it and those before it are done, so the driver can
    write them in the local engine's order. The function's own exception is re-raised, not Ray's wrapper,
    so an error reads the same with either engine.
    """
    ray = import_ray()
    started = start_ray(options or RayOptions())
    try:
        task = ray.remote(num_cpus=1, max_retries=3)(function)
        refs = [task.remote(*call, **kwargs) for call in calls]
        for ref in refs:
            try:
                yield ray.get(ref)
            except ray.exceptions.RayTaskError as exc:
                if isinstance(exc.cause, Exception):
                    raise exc.cause from None
                raise
    finally:
        if started:
            ray.shutdown()
