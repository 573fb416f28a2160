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
from zhbridge.ray_cluster import RayOptions, ordered_tasks


def ray_documents(
    rows: list[ManifestRow], corpus_dir: Path, aligner_options: dict, *, options: RayOptions | None = None
) -> Iterator[BuildResult]:
    """A ``map_documents`` for :func:`zhbridge.corpus.build.build_rows`: results in manifest order.

    A document's own error (e.g. InputError naming the file and manifest id) is raised as the local build raises it.
    """
    return ordered_tasks(document_result, [(row, corpus_dir) for row in rows], options, **aligner_options)
