"""`zhbridge translate`: articles in, English articles plus review files (XLIFF, TSV) and QA reports out."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from zhbridge.mt.review import review_line, total_review


def build_engine(
    model: str | None,
    glossary: str | None,
    tm: str | None,
    *,
    backend: str,
    beams: int,
    enforce: bool,
    batch_tokens: int,
    fuzzy: float,
    device: str | None,
    threads: int | None,
    postedits: str | None = None,
):
    """Load model, glossary and TM once for the whole run (heavy imports stay out of CLI start-up)."""
    from zhbridge import paths
    from zhbridge.mt.memory import load_memory
    from zhbridge.mt.models import load_translator
    from zhbridge.mt.translate import Engine

    gloss, gloss_name = None, ""
    if glossary is None or glossary.lower() != "none":
        from zhbridge.terms.glossary import load_glossary

        gpath = Path(glossary) if glossary else paths.DEFAULT_GLOSSARY
        if glossary or gpath.exists():
            gloss, gloss_name = load_glossary(gpath), gpath.name
    memory = load_memory(tm, fuzzy_threshold=fuzzy)
    if postedits is None or postedits.lower() != "none":
        from zhbridge.mt.postedits import with_postedits

        memory = with_postedits(memory, postedits, fuzzy_threshold=fuzzy)
    translator = load_translator(model, backend=backend, beams=beams, device=device, threads=threads)
    return Engine(translator, gloss, memory, enforce=enforce, batch_tokens=batch_tokens, glossary_name=gloss_name)


def _check_files(articles, lines: bool) -> None:
    """Every input file must be usable (exists, decodes, has text) before a run starts."""
    from zhbridge.io import InputError

    problems = []
    for article in articles:
        if article.is_row:
            continue  # a dataset row fails alone, reported with the run
        try:
            article.document(lines)
        except InputError as exc:
            problems.append(str(exc))
    if problems:
        more = f" (and {len(problems) - 1} more input{'' if len(problems) == 2 else 's'} like it)" if len(problems) > 1 else ""
        raise InputError(problems[0] + more + "; nothing translated")


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

        from zhbridge.io import InputError, is_stdio, read_text

        err = Console(stderr=True)
        to_stdout = out is None or is_stdio(out)
        if xliff_target not in ("source", "mt"):
            raise InputError(f"--xliff-target {xliff_target}: choose source or mt")
        if backend not in ("hf", "ct2"):
            raise InputError(f"--backend {backend}: choose hf or ct2")
        if "-" in inputs and len(inputs) > 1:
            raise InputError("- (stdin) cannot be mixed with file inputs")
        if omegat and to_stdout:
            raise InputError("--omegat needs an output folder (--out DIR), not stdout")
        if inputs != ["-"] and out is None:
            raise InputError("--out DIR is required when translating files (--out - prints the English alone)")
        if engine_name not in ("local", "ray"):
            raise InputError(f"--engine {engine_name}: choose local or ray")
        if engine_name == "ray" and to_stdout:
            raise InputError("--engine ray needs an output folder (--out DIR), not stdout")
        stdin_text = read_text("-", allow_empty=lines) if inputs == ["-"] else None  # capped like a file
        groups, articles, datasets = [], [], []
        if inputs != ["-"]:
            from zhbridge.mt.articles import check_gathered, expand_inputs

            assert out is not None  # required above for file inputs
            groups = expand_inputs(inputs, input_format)  # a malformed dataset fails here, before the model loads
            articles = [article for _, _, group in groups for article in group]
            datasets = [group for group in groups if group[1] != "files"]
            if datasets and omegat:
                raise InputError("--omegat needs file inputs, not an articles dataset")
            _check_files(articles, lines)  # a missing, empty or undecodable file: one line, exit 2, before the model loads
            if to_stdout and (datasets or any(a.kind(lines) == "docx" for a in articles)):
                raise InputError("--out - prints text: give .txt/.md files (a .docx or an articles dataset needs --out DIR)")
            if not to_stdout:
                check_gathered(groups, out, overwrite=overwrite)
        elif not to_stdout:
            from zhbridge.mt.articles import Article

            # stdin into a folder: translated as the file stdin.txt would be, with its review files
            articles = [Article(Path("stdin.txt"), stdin_text, "<stdin>", "stdin")]
        if engine_name == "ray":
            from zhbridge.ray_cluster import import_ray

            import_ray()  # a missing extra fails before the model is loaded
        # with Ray the driver's model only names the settings; the actors translate (on their GPU if given one)
        engine = build_engine(
            model,
            glossary,
            tm,
            backend=backend,
            beams=beams,
            enforce=not no_enforce,
            batch_tokens=batch_tokens,
            fuzzy=fuzzy,
            device="cpu" if engine_name == "ray" else device,
            threads=threads,
            postedits=postedits,
        )
        if to_stdout:
            from zhbridge.mt.translate import translate_text

            texts = [stdin_text] if stdin_text is not None else [read_text(a.path, allow_empty=lines) for a in articles]
            for text in texts:
                english, report = translate_text(text, engine, kind="lines" if lines else "txt")
                sys.stdout.write(english)
                sys.stdout.flush()
                s = report["summary"]
                err.print(
                    f"{s['segments']} segments: {s['tm_exact']} TM exact, {s['tm_fuzzy']} TM fuzzy, {s['mt']} MT; "
                    f"terms {s['terms_honoured']}/{s['terms_found']} honoured; {review_line(s)}" + _cut_note(s),
                    highlight=False,
                )
            return
        assert out is not None  # required above for file inputs
        from zhbridge.mt.translate import translate_files

        if engine_name == "ray":
            from zhbridge.mt.ray_engine import RayOptions, translate_files_ray

            # Ray Data reports its own progress (per operator) on stderr
            results = translate_files_ray(
                articles,
                out,
                engine,
                lines=lines,
                overwrite=overwrite,
                xliff_target=xliff_target,
                options=RayOptions(address=address, workers=workers, gpus_per_worker=gpus_per_worker),
                device=device,
                threads=threads,
            )
        else:
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            with Progress(*columns, console=err, transient=False) as progress:
                results = translate_files(
                    articles, out, engine, lines=lines, overwrite=overwrite, progress=progress, xliff_target=xliff_target
                )
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
                err.print(f"{r.status} {r.path} → {out / r.path.name}: {detail}", highlight=False)
        err.print(f"{len(results) - failed} of {len(results)} files done", highlight=False)
        summaries = [r.summary for r in results if r.summary]
        if summaries:  # the whole run in one line: what a reader of the English will have to check
            err.print("all files: " + review_line(total_review(summaries)), highlight=False)
        if datasets:
            from zhbridge.mt.articles import gather_translations

            for gathered in gather_translations(groups, results, out):
                err.print(f"English articles → {gathered}", highlight=False)
        if omegat:
            from zhbridge.mt.omegat import write_project

            done = [r.path for r in results if r.status != "failed"]
            project = write_project(out / "omegat", done, out, memory=engine.memory, glossary=engine.glossary)
            err.print(
                f"OmegaT project: {project} ({len(done)} source file{'' if len(done) == 1 else 's'}, "
                f"pre-translations in tm/auto/zhbridge.tmx)",
                highlight=False,
            )
        if failed:
            raise typer.Exit(1)
