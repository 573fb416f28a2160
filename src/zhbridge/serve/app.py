"""The HTTP layer of `zhbridge serve`: LibreTranslate's API (so unmodified clients work), zhbridge's lookup and
per-segment details, and the review page at ``/``.

LibreTranslate's contract, kept here: bodies are JSON or form-encoded (OmegaT's plugin and
libretranslatepy send forms); ``q`` is a string or a list and ``translatedText`` follows it; errors are
``{"error": "..."}`` with 400 (bad request), 403 (API key), 429 (slow down), 500 (translation failed);
zhbridge adds 413 (request too large) and 503 (busy or shutting down). Requests only read: nothing
here writes the journal, the TM or any file (uploads are parsed in a temporary folder, results are
kept in memory for download).
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from zhbridge.io import MAX_INPUT_BYTES, InputError
from zhbridge.mt.segments import Segment, SourceSegment
from zhbridge.mt.translate import Engine, document_segments
from zhbridge.serve import work
from zhbridge.serve.batcher import Batcher, Closed, QueueFull
from zhbridge.serve.params import HTTPError, read_params, truthy

STATIC = Path(__file__).parent / "static"
LANGUAGES = [
    {"code": "zh", "name": "Chinese", "targets": ["en"]},
    {"code": "en", "name": "English", "targets": []},
]
MEDIA_TYPES = {
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class ServeOptions:
    max_chars: int = 20_000  # characters of q per request (all items of a list together)
    max_file_bytes: int = 10 * 1024 * 1024
    max_queue: int = 64  # requests waiting for the model; one more gets 429
    batch_window_s: float = 0.02  # how long the first waiting request waits for others to join its batch
    max_batch_segments: int = 256
    timeout_s: float = 300.0  # a request still unanswered after this gets 503
    api_keys: frozenset[str] | None = None  # None: no key needed
    kept_files: int = 32  # translated files kept in memory for /download_file, oldest dropped first


class _Files:
    """Translated uploads waiting to be downloaded, in memory only (a request never writes to disk)."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self._items: OrderedDict[str, tuple[str, bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, name: str, data: bytes, media_type: str) -> str:
        token = secrets.token_urlsafe(12)
        with self._lock:
            self._items[token] = (name, data, media_type)
            while len(self._items) > self.keep:
                self._items.popitem(last=False)
        return token

    def get(self, token: str) -> tuple[str, bytes, str] | None:
        with self._lock:
            return self._items.get(token)


class Server:
    """The state behind the routes: one engine, its batcher, the lookup index and the downloads."""

    def __init__(self, engine: Engine, options: ServeOptions) -> None:
        self.engine = engine
        self.options = options
        self.batcher: Batcher | None = None
        self.files = _Files(options.kept_files)
        self._lookup: Any = None
        self._lookup_lock = threading.Lock()

    def start(self) -> None:
        o = self.options
        self.batcher = Batcher(
            self.engine, window_s=o.batch_window_s, max_queue=o.max_queue, max_batch_segments=o.max_batch_segments
        )

    def stop(self) -> None:
        if self.batcher is not None:
            self.batcher.close()

    def check_key(self, params: dict) -> None:
        keys = self.options.api_keys
        if keys is not None and str(params.get("api_key") or "") not in keys:
            raise HTTPError(403, "Invalid API key")

    async def translate_documents(self, docs: list) -> list[list[Segment]]:
        """Each document's finished segment records, all documents in one queue slot and one batch pass."""
        if self.batcher is None:
            raise HTTPError(503, "the server is starting")
        per_doc = await run_in_threadpool(lambda: [document_segments(d) for d in docs])
        pooled: list[SourceSegment] = []
        spans: list[tuple[int, int]] = []
        for segs in per_doc:
            spans.append((len(pooled), len(segs)))
            pooled += [{**s, "i": len(pooled) + k} for k, s in enumerate(segs)]
        try:
            future = self.batcher.submit(pooled)
        except QueueFull as exc:
            raise HTTPError(429, f"Slowdown: {exc}") from None
        except Closed as exc:
            raise HTTPError(503, str(exc)) from None
        try:
            records: list[Segment] = await asyncio.wait_for(asyncio.wrap_future(future), self.options.timeout_s)
        except asyncio.TimeoutError:
            raise HTTPError(503, f"translation not done after {self.options.timeout_s:.0f} s; the server is busy") from None
        except Closed as exc:
            raise HTTPError(503, str(exc)) from None
        out: list[list[Segment]] = []
        for (start, n), segs in zip(spans, per_doc):
            out.append([{**r, "i": s["i"]} for r, s in zip(records[start : start + n], segs)])
        return out

    def lookup_index(self):
        with self._lookup_lock:
            if self._lookup is None:
                from zhbridge.terms.glossary import Glossary, load_glossary
                from zhbridge.terms.lookup import LookupIndex

                glossary = self.engine.glossary
                if glossary is None:
                    try:
                        glossary = load_glossary(None)
                    except (InputError, OSError):
                        glossary = Glossary([])
                self._lookup = LookupIndex(glossary)
            return self._lookup


def _languages_arg(params: dict) -> tuple[str, str]:
    source = work.source_code(str(params.get("source") or "auto"))
    target = work.target_code(str(params.get("target") or "en"))
    return source, target


async def translate(request: Request) -> Response:
    server: Server = request.app.state.server
    params = await read_params(request, server.options.max_chars * 4 + 64 * 1024)
    server.check_key(params)
    q = params.get("q")
    if q is None or q == "" or q == []:
        raise HTTPError(400, "Invalid request: missing q parameter")
    items = q if isinstance(q, list) else [q]
    if not all(isinstance(x, str) for x in items):
        raise HTTPError(400, "Invalid request: q must be a string or a list of strings")
    chars = sum(len(x) for x in items)
    if chars > server.options.max_chars:
        raise HTTPError(413, f"Invalid request: request ({chars}) exceeds text limit ({server.options.max_chars})")
    source, _ = _languages_arg(params)
    fmt = str(params.get("format") or "text").lower()
    detected = [work.detect(work.visible_text(x) if fmt == "html" else x)[0] for x in items]
    docs = [work.text_document(x, fmt) for x in items]
    # auto-detected English needs no translation: LibreTranslate hands it back unchanged
    todo = [k for k, d in enumerate(detected) if source == "zh" or d["language"] == "zh"]
    records = dict(zip(todo, await server.translate_documents([docs[k] for k in todo])))
    texts: list[str] = []
    extra: list[dict] = []
    for k, doc in enumerate(docs):
        if k not in records:
            texts.append(items[k])
            extra.append({"units": [], "segments": [], "summary": {}})
            continue
        rendered = await run_in_threadpool(work.render, doc, records[k], server.engine)
        texts.append(rendered if isinstance(rendered, str) else rendered.decode())
        if truthy(params.get("details")):
            extra.append(await run_in_threadpool(work.details, doc, records[k], server.engine))
    single = not isinstance(q, list)
    answer: dict[str, Any] = {"translatedText": texts[0] if single else texts}
    if source == "auto":
        answer["detectedLanguage"] = detected[0] if single else detected
    if truthy(params.get("details")):
        answer["details"] = extra[0] if single else extra
    if "alternatives" in params:
        answer["alternatives"] = [] if single else [[] for _ in texts]
    return JSONResponse(answer)


async def translate_file(request: Request) -> Response:
    server: Server = request.app.state.server
    params = await read_params(request, server.options.max_file_bytes + 64 * 1024)
    server.check_key(params)
    _languages_arg(params)
    upload = params.get("file")
    if not isinstance(upload, UploadFile):
        raise HTTPError(400, "Invalid request: missing file parameter")
    data = await upload.read()
    if len(data) > server.options.max_file_bytes:
        raise HTTPError(413, f"file of {len(data)} bytes exceeds the limit of {server.options.max_file_bytes}")
    doc = await run_in_threadpool(work.read_upload, upload.filename or "", data)
    (records,) = await server.translate_documents([doc])
    rendered = await run_in_threadpool(work.render, doc, records, server.engine)
    payload = rendered.encode("utf-8") if isinstance(rendered, str) else rendered
    token = server.files.add(doc.name, payload, MEDIA_TYPES[doc.kind])
    answer: dict[str, Any] = {"translatedFileUrl": f"{str(request.base_url).rstrip('/')}/download_file/{token}/{doc.name}"}
    if truthy(params.get("details")):
        answer["details"] = await run_in_threadpool(work.details, doc, records, server.engine)
    return JSONResponse(answer)


async def download_file(request: Request) -> Response:
    server: Server = request.app.state.server
    item = server.files.get(request.path_params["token"])
    if item is None or item[0] != request.path_params["name"]:
        raise HTTPError(404, "no such translated file (files are kept for the last few translations only)")
    name, data, media_type = item
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def detect(request: Request) -> Response:
    server: Server = request.app.state.server
    params = await read_params(request, server.options.max_chars * 4 + 64 * 1024)
    server.check_key(params)
    q = params.get("q")
    if not isinstance(q, str) or not q:
        raise HTTPError(400, "Invalid request: missing q parameter")
    return JSONResponse(work.detect(q))


async def languages(request: Request) -> Response:
    return JSONResponse(LANGUAGES)


async def lookup(request: Request) -> Response:
    """``zhbridge glossary lookup --json``'s answer: glossary entries, then CC-CEDICT senses."""
    server: Server = request.app.state.server
    params = await read_params(request, 64 * 1024)
    server.check_key(params)
    query = str(params.get("q") or "").strip()
    if not query:
        raise HTTPError(400, "Invalid request: missing q parameter")
    try:
        limit = int(params.get("limit") or 20)
    except ValueError:
        raise HTTPError(400, "Invalid request: limit must be a number") from None
    cedict = truthy(params.get("cedict", "true"))
    index = await run_in_threadpool(server.lookup_index)
    hits = await run_in_threadpool(lambda: index.lookup(query, use_cedict=cedict)[:limit])
    return JSONResponse({"query": query, "results": [h.to_dict() for h in hits]})


async def frontend_settings(request: Request) -> Response:
    o: ServeOptions = request.app.state.server.options
    return JSONResponse(
        {
            "charLimit": o.max_chars,
            "apiKeys": o.api_keys is not None,
            "keyRequired": o.api_keys is not None,
            "suggestions": False,
            "filesTranslation": True,
            "supportedFilesFormat": sorted(work.FILE_KINDS),
            "language": {"source": {"code": "zh", "name": "Chinese"}, "target": {"code": "en", "name": "English"}},
        }
    )


async def health(request: Request) -> Response:
    server: Server = request.app.state.server
    b = server.batcher
    return JSONResponse(
        {"status": "ok", "waiting": b.waiting if b else 0, "busy": bool(b and b.busy), "batches": b.batches if b else 0}
    )


async def page(request: Request) -> Response:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


def _error_handlers() -> dict:
    def reply(status: int, message: str) -> JSONResponse:
        return JSONResponse({"error": message}, status_code=status)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPError)
        return reply(exc.status, str(exc))

    async def input_error(request: Request, exc: Exception) -> Response:
        return reply(400, f"Invalid request: {exc}")

    async def starlette_error(request: Request, exc: Exception) -> Response:
        return reply(getattr(exc, "status_code", 500), str(getattr(exc, "detail", exc)))

    async def failed(request: Request, exc: Exception) -> Response:
        return reply(500, f"Cannot translate text: {type(exc).__name__}: {exc}")

    from starlette.exceptions import HTTPException

    return {HTTPError: http_error, InputError: input_error, HTTPException: starlette_error, Exception: failed}


def create_app(engine: Engine, options: ServeOptions | None = None) -> Starlette:
    """The ASGI app over one loaded engine; its batcher starts and stops with the app's lifespan."""
    from contextlib import asynccontextmanager

    options = options or ServeOptions()
    if options.max_file_bytes > MAX_INPUT_BYTES:
        raise InputError(f"max file size {options.max_file_bytes} exceeds zhbridge's input limit of {MAX_INPUT_BYTES} bytes")
    server = Server(engine, options)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        server.start()
        try:
            yield
        finally:
            server.stop()

    routes = [
        Route("/", page),
        Route("/translate", translate, methods=["GET", "POST"]),  # OmegaT's plugin sends a GET query
        Route("/translate_file", translate_file, methods=["POST"]),
        Route("/download_file/{token}/{name}", download_file),
        Route("/detect", detect, methods=["POST"]),
        Route("/languages", languages, methods=["GET", "POST"]),
        Route("/lookup", lookup, methods=["GET", "POST"]),
        Route("/frontend/settings", frontend_settings),
        Route("/health", health),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers=_error_handlers())
    app.state.server = server
    app.state.started = time.time()
    return app
