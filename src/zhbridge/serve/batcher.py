"""One model, many requests: a worker thread pools the segments of every request waiting in a short
batch window into one :func:`zhbridge.mt.translate.translate_segments` call.

Requests are not run one by one: the token batching inside ``translate_segments`` (sorted by length,
``Engine.batch_tokens`` padded tokens each) then sees the sentences of all pending requests at once.
Segment records go back to each request with its own indices, so rendering and QA run exactly as
for a file of the CLI. The queue is bounded: :class:`QueueFull` when too many requests wait.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zhbridge.mt.segments import SourceSegment
    from zhbridge.mt.translate import Engine


class QueueFull(Exception):
    """More requests wait than the queue holds; the client should slow down (HTTP 429)."""


class Closed(Exception):
    """The batcher is shutting down and takes no more work (HTTP 503)."""


@dataclass
class _Job:
    segments: list[SourceSegment]
    future: Future = field(default_factory=Future)


class Batcher:
    """``submit(segments)`` returns a future of the finished segment records, in the order given."""

    def __init__(self, engine: Engine, *, window_s: float = 0.02, max_queue: int = 64, max_batch_segments: int = 256) -> None:
        self.engine = engine
        self.window_s = window_s
        self.max_queue = max_queue
        self.max_batch_segments = max_batch_segments
        self.batches = 0  # model passes run so far (one per pooled group of requests), for tests and /health
        self.busy = False  # a pass is running
        self._jobs: deque[_Job] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="zhbridge-batcher", daemon=True)
        self._thread.start()

    @property
    def waiting(self) -> int:
        with self._cond:
            return sum(not j.future.cancelled() for j in self._jobs)

    def submit(self, segments: list[SourceSegment]) -> Future:
        job = _Job(segments)
        if not segments:
            job.future.set_result([])
            return job.future
        with self._cond:
            if self._closed:
                raise Closed("the server is shutting down")
            if len(self._jobs) >= self.max_queue:  # requests that gave up waiting hold no place
                self._jobs = deque(j for j in self._jobs if not j.future.cancelled())
            if len(self._jobs) >= self.max_queue:
                raise QueueFull(f"{len(self._jobs)} requests already waiting (queue limit {self.max_queue})")
            self._jobs.append(job)
            self._cond.notify()
        return job.future

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._thread.join(timeout=30)
        for job in self._take_all():
            if job.future.set_running_or_notify_cancel():
                job.future.set_exception(Closed("the server is shutting down"))

    def _take_all(self) -> list[_Job]:
        with self._cond:
            jobs = list(self._jobs)
            self._jobs.clear()
        return jobs

    def _next_group(self) -> list[_Job] | None:
        """Wait for one job, then up to ``window_s`` for more, and take as many as fit in one pass."""
        with self._cond:
            while not self._jobs and not self._closed:
                self._cond.wait()
            if self._closed:
                return None
            deadline = time.monotonic() + self.window_s
            while sum(len(j.segments) for j in self._jobs) < self.max_batch_segments:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    break
                self._cond.wait(left)
            group: list[_Job] = []
            count = 0
            # the first job always goes, however long; a job whose request gave up waiting is dropped
            while self._jobs and (not group or count + len(self._jobs[0].segments) <= self.max_batch_segments):
                job = self._jobs.popleft()
                if job.future.set_running_or_notify_cancel():
                    group.append(job)
                    count += len(job.segments)
        return group

    def _run(self) -> None:
        from zhbridge.mt.translate import translate_segments

        while True:
            group = self._next_group()
            if group is None:
                return
            if not group:
                continue
            pooled: list[SourceSegment] = []
            owners: list[tuple[int, int]] = []
            for j, job in enumerate(group):
                for seg in job.segments:
                    owners.append((j, seg["i"]))
                    pooled.append({**seg, "i": len(pooled)})
            self.busy = True
            try:
                records = translate_segments(pooled, self.engine)
            except Exception as exc:  # a failing pass fails its requests, never the server
                for job in group:
                    job.future.set_exception(exc)
                continue
            finally:
                self.busy = False
            self.batches += 1
            results: list[list[dict]] = [[] for _ in group]
            for record, (j, i) in zip(records, owners):
                results[j].append({**record, "i": i})
            for job, result in zip(group, results):
                job.future.set_result(result)
