"""`zhbridge serve`: the LibreTranslate-compatible server and review page (see zhbridge.serve)."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the top-level app."""

    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; 0.0.0.0 exposes the server to the network."),
        port: int = typer.Option(5000, "--port", min=1, max=65535, help="TCP port (LibreTranslate's default is 5000)."),
        model: str | None = typer.Option(None, "--model", help="Model dir (HF or CTranslate2); default models/zhbridge-default."),
        glossary: str | None = typer.Option(
            None, "--glossary", help="Glossary TSV ('none' to disable); default corpus/glossary/glossary.tsv."
        ),
        tm: str | None = typer.Option(
            None, "--tm", help="Translation-memory dataset dir, or 'none'; default corpus/dataset when built."
        ),
        postedits: str | None = typer.Option(
            None, "--postedits", help="Post-edit memory (TMX), or 'none'; default corpus/tm/postedits.tmx when present."
        ),
        api_key_file: Path | None = typer.Option(
            None, "--api-key-file", help="File of accepted API keys, one a line; without it no key is needed."
        ),
        backend: str = typer.Option("hf", "--backend", help="hf (transformers) or ct2 (CTranslate2 export)."),
        beams: int = typer.Option(4, "--beams", min=1, help="Beam size (as zhbridge translate)."),
        no_enforce: bool = typer.Option(False, "--no-enforce", help="Report missed glossary terms instead of enforcing them."),
        batch_tokens: int = typer.Option(4096, "--batch-tokens", min=16, help="Padded source tokens per MT batch."),
        fuzzy: float = typer.Option(80.0, "--fuzzy", min=50, max=99.9, help="Lowest fuzzy TM score reused (0–100)."),
        device: str | None = typer.Option(None, "--device", help="cpu or cuda (default: GPU when present)."),
        threads: int | None = typer.Option(None, "--threads", help="CPU threads for the model."),
        batch_window_ms: float = typer.Option(
            20.0, "--batch-window-ms", min=0, help="How long a request waits for others to share its model batch."
        ),
        max_chars: int = typer.Option(20000, "--max-chars", min=1, help="Characters of text per request (413 past it)."),
        max_file_mb: float = typer.Option(
            10.0, "--max-file-mb", min=0.001, max=32, help="Upload size limit in MB (413 past it)."
        ),
        max_queue: int = typer.Option(64, "--max-queue", min=1, help="Requests waiting for the model (429 past it)."),
        timeout: float = typer.Option(300.0, "--timeout", min=1, help="Seconds a request may wait before a 503."),
    ) -> None:
        """Serve LibreTranslate's API (POST /translate, /detect, /translate_file; GET /languages), /lookup and a page at /."""
        from zhbridge.io import InputError
        from zhbridge.mt.engine import Backend, EngineConfig, choose, load_engine

        try:
            import starlette  # noqa: F401
            import uvicorn  # noqa: F401
        except ImportError:
            raise InputError("zhbridge serve needs the serve extra: pip install -e '.[serve]'") from None
        choose(backend, Backend, "--backend")
        from zhbridge.serve import read_api_keys, run
        from zhbridge.serve.app import ServeOptions

        keys = read_api_keys(api_key_file) if api_key_file is not None else None
        engine = load_engine(
            EngineConfig(
                model=model,
                backend=backend,  # type: ignore[arg-type]  # checked above
                beams=beams,
                device=device,
                threads=threads,
                enforce=not no_enforce,
                batch_tokens=batch_tokens,
                glossary=glossary,
                tm=tm,
                postedits=postedits,
                fuzzy=fuzzy,
            )
        )
        options = ServeOptions(
            max_chars=max_chars,
            max_file_bytes=int(max_file_mb * 1024 * 1024),
            max_queue=max_queue,
            batch_window_s=batch_window_ms / 1000,
            timeout_s=timeout,
            api_keys=keys,
        )
        typer.echo(f"zhbridge serve: model {engine.translator.model_dir} on http://{host}:{port}/", err=True)
        run(engine, host=host, port=port, options=options)
