"""`zhbridge corpus build --engine ray`: each document normalized, segmented and aligned in its own Ray task.

The tasks run the local build's :func:`zhbridge.corpus.build.document_result`; the driver
merges the parts in manifest order, so the rows, the dataset and its card are the local
build's. The corpus folder must be readable at the same path on every node.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from zhbridge.corpus.build import BuildResult, document_result
from zhbridge.corpus.manifest import ManifestRow
from zhbridge.ray_cluster import RayOptions, import_ray, start_ray


def ray_documents(
    rows: list[ManifestRow], corpus_dir: Path, aligner_options: dict, *, options: RayOptions | None = None
) -> Iterator[BuildResult]:
    """A ``map_documents`` for :func:`zhbridge.corpus.build.build_rows`: results in manifest order."""
    ray = import_ray()
    started = start_ray(options or RayOptions())
    try:
        task = ray.remote(num_cpus=1, max_retries=3)(document_result)
        refs = [task.remote(row, corpus_dir, **aligner_options) for row in rows]
        for ref in refs:
            try:
                yield ray.get(ref)
            except ray.exceptions.RayTaskError as exc:
                # the local build's own error (e.g. InputError naming the file and manifest id), not Ray's wrapper
                if isinstance(exc.cause, Exception):
                    raise exc.cause from None
                raise
    finally:
        if started:
            ray.shutdown()
