"""Reading a request the way LibreTranslate's clients send it: a query string plus a JSON, urlencoded or
multipart body, refused with 413 past a size limit before it is parsed."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request


class HTTPError(Exception):
    """An answer in LibreTranslate's error shape: ``{"error": message}`` with this status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "on")


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes (declared or streamed)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPError(413, f"request body of {int(declared)} bytes exceeds the limit of {limit}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPError(413, f"request body exceeds the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_params(request: Request, limit: int) -> dict[str, Any]:
    """Query string plus a JSON, urlencoded or multipart body; a repeated form field (``q``) becomes a list."""
    body = await _body(request, limit)
    params: dict[str, Any] = dict(request.query_params)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not body:
        return params
    if ctype == "application/json" or (not ctype and body[:1] in (b"{", b"[")):
        try:
            data = json.loads(body)
        except ValueError:
            raise HTTPError(400, "Invalid request: body is not valid JSON") from None
        if not isinstance(data, dict):
            raise HTTPError(400, "Invalid request: JSON body must be an object")
        params.update(data)
        return params
    if ctype == "multipart/form-data":
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        form = await Request(request.scope, replay).form(max_files=1, max_fields=64, max_part_size=limit)
        pairs: list[tuple[str, Any]] = list(form.multi_items())
    else:
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise HTTPError(400, "Invalid request: form body is not UTF-8") from None
    for key, value in pairs:
        if key in params and key == "q":
            params[key] = (params[key] if isinstance(params[key], list) else [params[key]]) + [value]
        else:
            params[key] = value
    return params
