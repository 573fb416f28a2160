"""ordered_tasks: results in call order, the function's own exception, the cluster stopped only by who started it.

A stand-in for ``ray`` keeps this quick; the real cluster runs in tests/corpus/test_ray_build.py,
tests/align/test_batch_ray.py and tests/mt/test_ray_engine.py.
"""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

import zhbridge.ray_cluster as ray_cluster
from zhbridge.io import InputError
from zhbridge.ray_cluster import RayOptions, ordered_tasks, start_ray


class RayTaskError(Exception):
    def __init__(self, cause):
        super().__init__(str(cause))
        self.cause = cause


class FakeRay:
    """Runs each 'task' when its result is fetched, wrapping errors as Ray does."""

    def __init__(self, initialized=False):
        self.initialized = initialized
        self.calls: list = []
        self.exceptions = SimpleNamespace(RayTaskError=RayTaskError)

    def is_initialized(self):
        return self.initialized

    def init(self, **kwargs):
        self.calls.append(("init", kwargs))
        self.initialized = True

    def shutdown(self):
        self.calls.append(("shutdown", {}))
        self.initialized = False

    def remote(self, **resources):
        self.calls.append(("remote", resources))

        def wrap(function):
            return SimpleNamespace(remote=lambda *args, **kwargs: (function, args, kwargs))

        return wrap

    def get(self, ref):
        function, args, kwargs = ref
        try:
            return function(*args, **kwargs)
        except Exception as exc:
            raise RayTaskError(exc) from exc


@pytest.fixture()
def fake(monkeypatch):
    ray = FakeRay()
    monkeypatch.setattr(ray_cluster, "import_ray", lambda: ray)
    return ray


def scaled(x, y, *, factor):
    if x < 0:
        raise ValueError(f"negative input {x}")
    return (x + y) * factor


def test_results_come_back_in_call_order_and_a_started_cluster_is_stopped(fake):
    assert list(ordered_tasks(scaled, [(1, 2), (3, 4), (0, 0)], factor=10)) == [30, 70, 0]
    assert [name for name, _ in fake.calls] == ["init", "remote", "shutdown"]
    assert fake.calls[0][1] == {"num_cpus": None, "include_dashboard": False}
    assert fake.calls[1][1] == {"num_cpus": 1, "max_retries": 3}


def test_the_functions_own_exception_is_raised_and_the_cluster_still_stopped(fake):
    results = ordered_tasks(scaled, [(1, 1), (-5, 0)], factor=1)
    assert next(results) == 2
    with pytest.raises(ValueError, match="negative input -5"):
        next(results)
    assert fake.calls[-1][0] == "shutdown"


def test_a_running_cluster_is_joined_and_left_running(fake):
    fake.initialized = True
    assert list(ordered_tasks(scaled, [(1, 1)], factor=2)) == [4]
    assert "shutdown" not in [name for name, _ in fake.calls] and start_ray(RayOptions()) is False


def test_an_address_joins_that_cluster(fake):
    assert start_ray(RayOptions(address="ray://head:10001")) is True
    assert fake.calls == [("init", {"address": "ray://head:10001"})]


def test_without_ray_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    with pytest.raises(InputError, match=r"--engine ray needs Ray: pip install -e '\.\[ray\]'"):
        ray_cluster.import_ray()
