"""Request parameters as LibreTranslate's clients send them: query, JSON, form or multipart; 413 past the limit."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from zhbridge.serve.params import HTTPError, read_params, truthy

LIMIT = 1000  # multipart framing alone is a few hundred bytes


async def echo(request: Request) -> JSONResponse:
    try:
        params = await read_params(request, LIMIT)
    except HTTPError as exc:
        return JSONResponse({"error": str(exc)}, status_code=exc.status)
    return JSONResponse(
        {k: (v if isinstance(v, (str, list, dict, int, float, bool)) else f"<{type(v).__name__}>") for k, v in params.items()}
    )


@pytest.fixture(scope="module")
def client():
    return TestClient(Starlette(routes=[Route("/t", echo, methods=["POST"])]))


def test_query_and_json_body_merge(client):
    res = client.post("/t?source=zh", json={"q": ["竖店", "郑州"], "target": "en"})
    assert res.status_code == 200 and res.json() == {"source": "zh", "q": ["竖店", "郑州"], "target": "en"}


def test_json_without_a_content_type_and_bad_json(client):
    assert client.post("/t", content=b'{"q": "hi"}', headers={"content-type": ""}).json() == {"q": "hi"}
    bad = client.post("/t", content=b"{nope", headers={"content-type": "application/json"})
    assert bad.status_code == 400 and bad.json() == {"error": "Invalid request: body is not valid JSON"}
    array = client.post("/t", json=["q"])
    assert array.status_code == 400 and "must be an object" in array.json()["error"]


def test_a_repeated_form_q_becomes_a_list(client):
    res = client.post(
        "/t", content="q=%E7%AB%96%E5%BA%97&q=b&source=zh", headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert res.json() == {"q": ["竖店", "b"], "source": "zh"}
    latin1 = client.post("/t", content=b"q=\xff", headers={"content-type": "application/x-www-form-urlencoded"})
    assert latin1.status_code == 400 and "not UTF-8" in latin1.json()["error"]


def test_multipart_fields_and_a_file(client):
    res = client.post("/t", data={"source": "zh", "target": "en"}, files={"file": ("a.txt", "竖店".encode(), "text/plain")})
    assert res.status_code == 200 and res.json() == {"source": "zh", "target": "en", "file": "<UploadFile>"}


def test_bodies_past_the_limit_are_413(client):
    big = client.post("/t", json={"q": "x" * LIMIT})
    assert big.status_code == 413 and big.json()["error"].startswith("request body of ")

    def chunks():  # streamed without a content-length
        for _ in range(20):
            yield b"q=" + b"x" * 60

    streamed = client.post("/t", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"})
    assert streamed.status_code == 413 and streamed.json()["error"] == f"request body exceeds the limit of {LIMIT} bytes"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("true", True), (" 1 ", True), ("on", True), ("0", False), ("", False), (None, False), (False, False)],
)
def test_truthy(value, expected):
    assert truthy(value) is expected
