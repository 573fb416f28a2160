"""The LibreTranslate API of `zhbridge serve`, spoken to by a real client (libretranslatepy) and by plain HTTP."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .client import child_env, get, post, running
from .conftest import TM_PAIR, ZH


def test_libretranslatepy_translates_lists_languages_and_detects(server):
    from libretranslatepy import LibreTranslateAPI

    url, _ = server
    lt = LibreTranslateAPI(url)
    english = lt.translate(ZH[0], "zh", "en")
    assert isinstance(english, str) and english.strip() and "郑" not in english
    assert "Zhengzhou" in english  # the glossary term is enforced, as in `zhbridge translate`
    assert lt.translate(ZH[0], "zh-Hans", "en") == english == lt.translate(ZH[0], "auto", "en")
    assert {lang["code"]: lang["targets"] for lang in lt.languages()} == {"zh": ["en"], "en": []}
    assert lt.detect("竖店吸引了很多演员。")[0]["language"] == "zh"
    assert lt.detect("Shudian has attracted many actors.")[0]["language"] == "en"


def test_translate_accepts_json_and_forms_strings_and_lists(server):
    url, _ = server
    single = post(url + "/translate", {"q": ZH[1], "source": "zh", "target": "en"})[1]["translatedText"]
    status, answer = post(url + "/translate", {"q": [ZH[1], ZH[2]], "source": "zh_hans", "target": "en"}, json_body=True)
    assert status == 200 and answer["translatedText"][0] == single and len(answer["translatedText"]) == 2
    # a repeated form field is a list too
    status, form = post(url + "/translate", [("q", ZH[1]), ("q", ZH[2]), ("source", "zh"), ("target", "en")])
    assert status == 200 and form["translatedText"] == answer["translatedText"]
    status, auto = post(url + "/translate", {"q": ZH[1], "source": "auto", "target": "en"}, json_body=True)
    assert auto["detectedLanguage"]["language"] == "zh" and auto["translatedText"] == single
    # OmegaT's LibreTranslate plugin sends a GET query to the configured URL
    status, body = get(url + "/translate?" + urllib.parse.urlencode({"q": ZH[1], "source": "zh", "target": "en"}))
    assert status == 200 and json.loads(body)["translatedText"] == single
    # auto-detected English is handed back as it is
    assert post(url + "/translate", {"q": "Hello there.", "source": "auto"})[1]["translatedText"] == "Hello there."


def test_details_carry_tm_origin_terms_and_qa(server):
    url, _ = server
    text = f"{TM_PAIR[0]}竖店吸引了很多演员。"
    status, answer = post(url + "/translate", {"q": text, "source": "zh", "details": True}, json_body=True)
    assert status == 200
    segments = answer["details"]["segments"]
    assert [s["source"] for s in segments] == [TM_PAIR[0], "竖店吸引了很多演员。"]
    assert segments[0]["origin"] == "tm-exact" and segments[0]["translation"] == TM_PAIR[1]
    assert segments[1]["origin"] == "mt" and segments[1]["score"] is None
    assert [t["zh"] for t in segments[1]["terms"]] == ["竖店"] and segments[1]["terms"][0]["status"] != "not-honoured"
    assert all(isinstance(s["qa"], list) for s in segments)
    assert answer["details"]["summary"]["tm_exact"] == 1
    assert TM_PAIR[1] in answer["translatedText"]


def test_html_keeps_tags_and_entities_and_translates_the_text(server):
    url, _ = server
    q = '<p class="x">郑州是<b>竖店</b>。</p><script>var s = "中文";</script>'
    status, answer = post(url + "/translate", {"q": q, "source": "zh", "format": "html"})
    out = answer["translatedText"]
    assert status == 200 and out.startswith('<p class="x">') and out.endswith('</p><script>var s = "中文";</script>')
    assert "<b>" in out and "</b>" in out and "竖店" not in out and "郑州" not in out
    bold = out[out.index("<b>") + 3 : out.index("</b>")]
    assert bold.strip()  # the tagged word got English inside the tag
    # tag names are not English: auto-detection looks at the text only
    status, auto = post(url + "/translate", {"q": q, "source": "auto", "format": "html"})
    assert auto["detectedLanguage"]["language"] == "zh" and auto["translatedText"] == out


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"source": "zh", "target": "en"}, 400, "missing q"),
        ({"q": "你好", "source": "fr", "target": "en"}, 400, "fr is not supported"),
        ({"q": "你好", "source": "zh", "target": "de"}, 400, "de is not supported"),
        ({"q": "你好", "source": "zh", "format": "pdf"}, 400, "format pdf"),
        ({"q": "长" * 5001, "source": "zh"}, 413, "exceeds text limit (5000)"),
    ],
)
def test_bad_requests_get_libretranslate_errors(server, data, status, message):
    url, _ = server
    got, answer = post(url + "/translate", data)
    assert got == status and set(answer) == {"error"} and message in answer["error"]


def test_malformed_json_is_a_400(server):
    url, _ = server
    request = urllib.request.Request(url + "/translate", data=b"{oops", headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=30)
    assert err.value.code == 400 and "JSON" in json.loads(err.value.read())["error"]


def _multipart(fields: dict, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = "zhbridgeTestBoundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _upload(url: str, filename: str, data: bytes, **fields):
    body, ctype = _multipart({"source": "zh", "target": "en", **fields}, filename, data)
    request = urllib.request.Request(url + "/translate_file", data=body, headers={"Content-Type": ctype})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_translate_file_docx_keeps_formatting_and_equals_the_cli(server, engine_args, workspace, tmp_path):
    import docx

    url, _ = server
    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("郑州是")
    p.add_run("竖店").bold = True
    p.add_run("。")
    d.add_paragraph("微短剧产业发展很快。")
    buffer = io.BytesIO()
    d.save(buffer)
    status, answer = _upload(url, "story.docx", buffer.getvalue(), details="true")
    assert status == 200 and answer["translatedFileUrl"].startswith(url + "/download_file/")
    assert answer["translatedFileUrl"].endswith("/story.docx") and answer["details"]["summary"]["segments"] == 2
    got, english = get(answer["translatedFileUrl"])
    assert got == 200
    out = docx.Document(io.BytesIO(english))
    runs = out.paragraphs[0].runs
    assert [r.bold for r in runs] == [None, True, None] and runs[1].text.strip() and "竖店" not in runs[1].text
    # the same bytes as `zhbridge translate story.docx`
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.docx").write_bytes(buffer.getvalue())
    cli = subprocess.run(
        [sys.executable, "-m", "zhbridge", "translate", str(tmp_path / "in" / "story.docx"), "--out", str(tmp_path / "out"), *engine_args],
        cwd=workspace, env=child_env(workspace), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    assert (tmp_path / "out" / "story.docx").read_bytes() == english


def test_translate_file_markdown_and_its_errors(server):
    url, _ = server
    status, answer = _upload(url, "note.md", "# 竖店\n\n**郑州**是微短剧创作之都。\n".encode())
    assert status == 200
    english = get(answer["translatedFileUrl"])[1].decode()
    assert english.startswith("# ") and english.count("**") == 2 and "竖店" not in english
    assert _upload(url, "note.pdf", b"%PDF-1.4")[0] == 400
    assert _upload(url, "empty.txt", b"")[0] == 400  # the CLI's own input checks answer
    assert _upload(url, "big.txt", "长".encode() * 20000)[0] == 413  # --max-file-mb 0.05
    assert get(url + "/download_file/nope/note.md")[0] == 404


def test_lookup_answers_as_glossary_lookup_json(server, glossary_tsv, workspace):
    url, _ = server
    status, body = get(url + "/lookup?" + urllib.parse.urlencode({"q": "竖店"}))
    assert status == 200
    cli = subprocess.run(
        [sys.executable, "-m", "zhbridge", "glossary", "lookup", "竖店", "--json", "--glossary", str(glossary_tsv)],
        cwd=workspace, env=child_env(workspace), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    assert json.loads(body) == json.loads(cli.stdout)
    assert json.loads(body)["results"][0]["en"] == "Shudian"
    assert get(url + "/lookup")[0] == 400


def test_binds_loopback_and_requests_write_nothing(server, workspace):
    url, log = server
    assert "Uvicorn running on http://127.0.0.1:" in Path(log).read_text()
    post(url + "/translate", {"q": ZH[3], "source": "zh"})
    # no journal, TM, glossary or upload copy in the workspace the server runs in (the CLI runs above
    # wrote only into their own --out folders)
    assert sorted(p.name for p in workspace.iterdir()) == []


def test_page_and_its_assets_are_served(server):
    url, _ = server
    status, page = get(url + "/")
    assert status == 200 and b'id="translate"' in page and b"/static/app.js" in page
    assert get(url + "/static/app.js")[0] == 200 and get(url + "/static/style.css")[0] == 200


def test_api_keys_are_checked(engine, tmp_path):
    from zhbridge.io import InputError
    from zhbridge.serve import read_api_keys
    from zhbridge.serve.app import ServeOptions, create_app

    keys = tmp_path / "keys.txt"
    keys.write_text("# team keys\nalpha-1\n\nbeta-2\n", encoding="utf-8")
    assert read_api_keys(keys) == {"alpha-1", "beta-2"}
    (tmp_path / "none.txt").write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(InputError):
        read_api_keys(tmp_path / "none.txt")
    with running(create_app(engine, ServeOptions(api_keys=read_api_keys(keys)))) as url:
        assert post(url + "/translate", {"q": ZH[0], "source": "zh"}) == (403, {"error": "Invalid API key"})
        assert post(url + "/translate", {"q": ZH[0], "source": "zh", "api_key": "wrong"})[0] == 403
        assert post(url + "/detect", {"q": ZH[0]})[0] == 403
        status, answer = post(url + "/translate", {"q": ZH[0], "source": "zh", "api_key": "beta-2"}, json_body=True)
        assert status == 200 and answer["translatedText"]
        assert get(url + "/languages")[0] == 200  # listing languages needs no key, as in LibreTranslate
        assert json.loads(get(url + "/frontend/settings")[1])["keyRequired"] is True


class _Gated:
    """The engine's translator, held at a gate so tests can fill the queue while the model is busy."""

    def __init__(self, inner, gate: threading.Event) -> None:
        self._inner, self._gate = inner, gate

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def translate(self, texts):
        self._gate.wait(60)
        return self._inner.translate(texts)


def test_full_queue_is_429_and_a_stuck_request_is_503(translator, glossary_tsv):
    import time

    from zhbridge.mt.translate import Engine
    from zhbridge.serve.app import ServeOptions, create_app
    from zhbridge.terms.glossary import load_glossary

    gate = threading.Event()
    engine = Engine(_Gated(translator, gate), load_glossary(glossary_tsv), None)
    answers: list = []
    with running(create_app(engine, ServeOptions(max_queue=1, timeout_s=3, batch_window_s=0))) as url:

        def send(q):
            answers.append(post(url + "/translate", {"q": q, "source": "zh"}))

        first = threading.Thread(target=send, args=(ZH[0],))
        first.start()
        while not json.loads(get(url + "/health")[1])["busy"]:  # the worker holds it at the gate
            time.sleep(0.05)
        second = threading.Thread(target=send, args=(ZH[1],))
        second.start()
        while json.loads(get(url + "/health")[1])["waiting"] < 1:
            time.sleep(0.05)
        status, answer = post(url + "/translate", {"q": ZH[2], "source": "zh"})
        assert status == 429 and answer["error"].startswith("Slowdown")
        first.join()
        second.join()
        assert sorted(a[0] for a in answers) == [503, 503]
        gate.set()
        status, answer = post(url + "/translate", {"q": ZH[2], "source": "zh"})
        assert status == 200 and answer["translatedText"]
