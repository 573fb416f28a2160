"""Append-only journal of finished segments, so a killed batch resumes without redoing or losing work.

One JSON object per line in ``OUT/.zhbridge-journal.jsonl``. A segment record is keyed by
the input's content hash, the settings hash (model, glossary, TM, enforcement, decoding)
and the segment's index; the file is fsynced after every batch, so after ``kill -9`` at
most the batch in flight is lost, and a torn last line is cut off on reopening. Document
events ``writing``/``done`` let a resumed run finish (and rewrite) its own outputs while
outputs written by someone else still need ``--overwrite``.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path

from zhbridge.io import InputError

JOURNAL_NAME = ".zhbridge-journal.jsonl"
# Test hook: seconds to sleep after each journaled batch, so a test can kill -9 a run mid-way.
DELAY_ENV = "ZHBRIDGE_JOURNAL_DELAY"


class Journal:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._segments: dict[str, dict[int, dict]] = {}
        self._events: dict[str, str] = {}
        self._details: dict[str, dict] = {}  # the last event record of each document, with what it was marked with
        self._repair_and_load()
        self._fh = open(self.path, "a", encoding="utf-8")
        try:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._fh.close()
            raise InputError(f"{self.path}: another zhbridge run is using this output folder") from None
        self._delay = float(os.environ.get(DELAY_ENV, "0") or 0)

    def _repair_and_load(self) -> None:
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        if end < len(data):  # a line torn by kill -9: its batch was not finished, drop it
            with open(self.path, "r+b") as fh:
                fh.truncate(end)
                fh.flush()
                os.fsync(fh.fileno())
            data = data[:end]
        for line in data.decode("utf-8").splitlines():
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if rec.get("type") == "segment":
                self._segments.setdefault(rec["doc"], {})[int(rec["i"])] = rec
            elif rec.get("type") == "event":
                self._events[rec["doc"]] = rec["event"]
                self._details[rec["doc"]] = rec

    def segments(self, doc_key: str) -> dict[int, dict]:
        return dict(self._segments.get(doc_key, {}))

    def state(self, doc_key: str) -> str | None:
        return self._events.get(doc_key)

    def details(self, doc_key: str) -> dict:
        """The info given with the document's last :meth:`mark` (e.g. a batch's counts, reported when it is skipped)."""
        return dict(self._details.get(doc_key, {}))

    def _write(self, records: list[dict]) -> None:
        if not records:
            return
        self._fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def add_segments(self, doc_key: str, records: list[dict]) -> None:
        records = [{"type": "segment", "doc": doc_key, **r} for r in records]
        self._write(records)
        for r in records:
            self._segments.setdefault(doc_key, {})[int(r["i"])] = r
        if self._delay:
            time.sleep(self._delay)

    def mark(self, doc_key: str, event: str, **info) -> None:
        record = {"type": "event", "doc": doc_key, "event": event, **info}
        self._write([record])
        self._events[doc_key] = event
        self._details[doc_key] = record

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
