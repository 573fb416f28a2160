"""`zhbridge translate`: articles in, English articles plus review files (XLIFF, TSV) and QA reports out.

This module parses the options and prints; :mod:`zhbridge.mt.run` checks the request and runs it."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from zhbridge.mt.review import review_line, total_review


def _cut_note(summary: dict) -> str:
    """The summary's warning when source text could not be translated whole (see mt.qa's source_cut flag)."""
    cut = summary.get("source_cut", 0)
    return f"; [bold red]{cut} segment{'' if cut == 1 else 's'} cut[/] (source text lost, see the QA report)" if cut else ""


def register(app: typer.Typer) -> None:
    """Add this module's commands to the top-level app."""

    @app.command("translate")
    def translate(
        inputs: list[str] = typer.Argument(
            ...,
            help="Chinese .txt/.md/.docx files, articles datasets (.jsonl, .parquet or a folder of Parquet shards), or - for stdin → stdout.",
        ),
        input_format: str = typer.Option(
            "auto",
            "--input-format",
            help="auto (by suffix), files, jsonl or parquet: a dataset has one article per row (id, text, optional format txt|md); each row is translated as the file <id>.<format> and the English is also gathered into OUT/<name>.en.jsonl|parquet.",
        ),
        model: str | None = typer.Option(
            None, "--model", help="Seq2seq model dir (HF or CTranslate2 export) or hub id; default models/zhbridge-default."
        ),
        glossary: str | None = typer.Option(
            None, "--glossary", help="Glossary TSV ('none' to disable); default corpus/glossary/glossary.tsv."
        ),
        out: Path | None = typer.Option(
            None,
            "--out",
            help="Output folder for the English and its review files (required for file inputs); - writes the English alone to stdout (the default for stdin).",
        ),
        lines: bool = typer.Option(False, "--lines", help="Line mode: line i of the input becomes line i of the output."),
        overwrite: bool = typer.Option(False, "--overwrite", help="Replace existing outputs."),
        no_enforce: bool = typer.Option(
            False, "--no-enforce", help="Report glossary terms the MT missed instead of enforcing them."
        ),
        tm: str | None = typer.Option(
            None, "--tm", help="Translation-memory dataset dir, or 'none'; default corpus/dataset when built."
        ),
        backend: str = typer.Option("hf", "--backend", help="hf (transformers) or ct2 (CTranslate2 export)."),
        batch_tokens: int = typer.Option(4096, "--batch-tokens", min=16, help="Padded source tokens per MT batch."),
        beams: int = typer.Option(4, "--beams", min=1, help="Beam size."),
        fuzzy: float = typer.Option(80.0, "--fuzzy", min=50, max=99.9, help="Lowest fuzzy TM score reused (0–100)."),
        device: str | None = typer.Option(None, "--device", help="cpu or cuda (default: GPU when present)."),
        threads: int | None = typer.Option(None, "--threads", help="CPU threads for the model."),
        xliff_target: str = typer.Option(
            "source",
            "--xliff-target",
            help="XLIFF <target>: 'source' (a copy of the Chinese, state=new, zhbridge's translation in <alt-trans>; for OmegaT and tools honouring state) or 'mt' (zhbridge's translation).",
        ),
        omegat: bool = typer.Option(
            False, "--omegat", help="Also write OUT/omegat/, an OmegaT project with every segment pre-translated."
        ),
        postedits: str | None = typer.Option(
            None,
            "--postedits",
            help="Post-edit memory from `zhbridge tm import` (TMX), or 'none'; default corpus/tm/postedits.tmx when present.",
        ),
        engine_name: str = typer.Option(
            "local", "--engine", help="local (this process) or ray (a Ray cluster; pip install -e '.\\[ray]')."
        ),
        address: str | None = typer.Option(
            None,
            "--address",
            help="With --engine ray: the cluster to join (e.g. ray://head:10001 or auto); default starts a local one.",
        ),
        workers: int = typer.Option(1, "--workers", min=1, help="With --engine ray: translation actors, one model copy each."),
        gpus_per_worker: float = typer.Option(
            0.0, "--gpus-per-worker", min=0, help="With --engine ray: GPUs per actor (the model runs on CUDA when given one)."
        ),
    ) -> None:
        """Translate Chinese articles to English with TM reuse, glossary enforcement, review files and QA."""
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from zhbridge.mt.engine import EngineConfig, RunOptions
        from zhbridge.mt.run import (
            TranslateRequest,
            gather,
            load_plan_engine,
            omegat_project,
            plan_run,
            translate_folder,
            translate_stdout,
        )
        from zhbridge.ray_cluster import RayOptions

        err = Console(stderr=True)
        request = TranslateRequest(
            inputs=inputs,
            out=out,
            input_format=input_format,
            engine=EngineConfig(
                model=model,
                backend=backend,  # type: ignore[arg-type]  # checked by plan_run
                beams=beams,
                device=device,
                threads=threads,
                enforce=not no_enforce,
                batch_tokens=batch_tokens,
                glossary=glossary,
                tm=tm,
                postedits=postedits,
                fuzzy=fuzzy,
            ),
            run=RunOptions(lines=lines, overwrite=overwrite, xliff_target=xliff_target),  # type: ignore[arg-type]
            omegat=omegat,
            engine_kind=engine_name,  # type: ignore[arg-type]
            ray=RayOptions(address=address, workers=workers, gpus_per_worker=gpus_per_worker),
        )
        plan = plan_run(request)
        engine = load_plan_engine(plan)
        if plan.to_stdout:
            for english, report in translate_stdout(plan, engine):
                sys.stdout.write(english)
                sys.stdout.flush()
                s = report["summary"]
                err.print(
                    f"{s['segments']} segments: {s['tm_exact']} TM exact, {s['tm_fuzzy']} TM fuzzy, {s['mt']} MT; "
                    f"terms {s['terms_honoured']}/{s['terms_found']} honoured; {review_line(s)}" + _cut_note(s),
                    highlight=False,
                )
            return
        if engine_name == "ray":  # Ray Data reports its own progress (per operator) on stderr
            results = translate_folder(plan, engine)
        else:
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            with Progress(*columns, console=err, transient=False) as progress:
                results = translate_folder(plan, engine, progress=progress)
        failed = 0
        for r in results:
            if r.status == "failed":
                failed += 1
                err.print(f"[red]failed[/red] {r.message}", markup=True, highlight=False)
            else:
                s = r.summary
                detail = (
                    (
                        f"{s['segments']} segment{'' if s['segments'] == 1 else 's'} ({s['tm_exact']} TM exact, {s['tm_fuzzy']} TM fuzzy, {s['mt']} MT), "
                        f"terms {s['terms_honoured']}/{s['terms_found']} honoured; {review_line(s)}"
                    )
                    + _cut_note(s)
                    if s
                    else r.message
                )
                err.print(f"{r.status} {r.path} → {plan.out / r.path.name}: {detail}", highlight=False)
        err.print(f"{len(results) - failed} of {len(results)} files done", highlight=False)
        summaries = [r.summary for r in results if r.summary]
        if summaries:  # the whole run in one line: what a reader of the English will have to check
            err.print("all files: " + review_line(total_review(summaries)), highlight=False)
        for gathered in gather(plan, results):
            err.print(f"English articles → {gathered}", highlight=False)
        project = omegat_project(plan, engine, results)
        if project is not None:
            path, count = project
            err.print(
                f"OmegaT project: {path} ({count} source file{'' if count == 1 else 's'}, "
                f"pre-translations in tm/auto/zhbridge.tmx)",
                highlight=False,
            )
        if failed:
            raise typer.Exit(1)
