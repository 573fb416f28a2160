"""ordered_tasks on a real local Ray cluster: results in call order, the function's own exception, and the
cluster stopped only by who started it."""

from __future__ import annotations

import sys

import pytest
import ray

import zhbridge.ray_cluster as ray_cluster
from zhbridge.io import InputError
from zhbridge.ray_cluster import RayOptions, ordered_tasks, start_ray


def scaler():
    # defined inside a function, so Ray ships it by value (workers cannot import a test module)
    def scaled(x, y, *, factor):
        if x < 0:
            raise ValueError(f"negative input {x}")
        return (x + y) * factor

    return scaled


def test_results_come_back_in_call_order_and_a_started_cluster_is_stopped():
    assert not ray.is_initialized()
    results = ordered_tasks(scaler(), [(1, 2), (3, 4), (0, 0)], RayOptions(num_cpus=1), factor=10)
    assert list(results) == [30, 70, 0]
    assert not ray.is_initialized()  # this call started the cluster, so it stopped it


def test_the_functions_own_exception_is_raised_and_the_cluster_still_stopped():
    results = ordered_tasks(scaler(), [(1, 1), (-5, 0)], RayOptions(num_cpus=1), factor=1)
    assert next(results) == 2
    with pytest.raises(ValueError, match="negative input -5"):  # not Ray's RayTaskError wrapper
        next(results)
    assert not ray.is_initialized()


def test_a_running_cluster_is_joined_and_left_running(ray_cluster):
    assert list(ordered_tasks(scaler(), [(1, 1)], factor=2)) == [4]
    assert ray.is_initialized() and start_ray(RayOptions()) is False


def test_without_ray_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    with pytest.raises(InputError, match=r"--engine ray needs Ray: pip install -e '\.\[ray\]'"):
        ray_cluster.import_ray()
