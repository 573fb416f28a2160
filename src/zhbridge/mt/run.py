"""One ``zhbridge translate`` run as a function API: check the request, load the engine, translate.

The CLI builds a :class:`TranslateRequest` from its options and prints what these functions return;
everything that decides (which inputs are valid together, where the English goes, which engine
runs) is here, so a script gets the same checks and errors as the command line::

    plan = plan_run(TranslateRequest(["a.txt"], out=Path("out")))
    engine = load_plan_engine(plan)
    results = translate_folder(plan, engine)

Every refusal is an :class:`zhbridge.io.InputError`, raised before the model loads where it can be.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from zhbridge.io import InputError, is_stdio, read_text
from zhbridge.mt.articles import Article
from zhbridge.mt.engine import Backend, Engine, EngineConfig, EngineKind, RunOptions, XliffTarget, choose, load_engine
from zhbridge.mt.translate import FileResult
from zhbridge.ray_cluster import RayOptions


@dataclass
class TranslateRequest:
    """What ``zhbridge translate`` was asked to do (its options, already parsed)."""

    inputs: list[str]  # files, articles datasets, or ["-"] for stdin
    out: Path | None = None  # folder for the English and its review files; None or "-": stdout
    input_format: str = "auto"  # auto, files, jsonl or parquet (zhbridge.mt.articles.INPUT_FORMATS)
    engine: EngineConfig = field(default_factory=EngineConfig)
    run: RunOptions = field(default_factory=RunOptions)
    omegat: bool = False  # also write OUT/omegat/, an OmegaT project
    engine_kind: EngineKind = "local"
    ray: RayOptions = field(default_factory=RayOptions)


@dataclass
class Plan:
    """A checked request: where the English goes and the inputs read so far."""

    request: TranslateRequest
    to_stdout: bool
    stdin_text: str | None = None  # the text read from stdin ("-")
    groups: list = field(default_factory=list)  # zhbridge.mt.articles.expand_inputs
    articles: list[Article] = field(default_factory=list)
    datasets: list = field(default_factory=list)  # the groups that are articles datasets

    @property
    def out(self) -> Path:
        assert self.request.out is not None and not self.to_stdout, "a folder run"
        return self.request.out


def _check_files(articles: list[Article], lines: bool) -> None:
    """Every input file must be usable (exists, decodes, has text) before a run starts."""
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


def plan_run(request: TranslateRequest) -> Plan:
    """Check ``request`` and read its inputs (stdin included); a malformed one fails here, before the model loads."""
    inputs, out, run = request.inputs, request.out, request.run
    to_stdout = out is None or is_stdio(out)
    choose(run.xliff_target, XliffTarget, "--xliff-target")
    choose(request.engine.backend, Backend, "--backend")
    if "-" in inputs and len(inputs) > 1:
        raise InputError("- (stdin) cannot be mixed with file inputs")
    if request.omegat and to_stdout:
        raise InputError("--omegat needs an output folder (--out DIR), not stdout")
    if inputs != ["-"] and out is None:
        raise InputError("--out DIR is required when translating files (--out - prints the English alone)")
    choose(request.engine_kind, EngineKind, "--engine")
    if request.engine_kind == "ray" and to_stdout:
        raise InputError("--engine ray needs an output folder (--out DIR), not stdout")
    plan = Plan(request, to_stdout)
    plan.stdin_text = read_text("-", allow_empty=run.lines) if inputs == ["-"] else None  # capped like a file
    if inputs != ["-"]:
        from zhbridge.mt.articles import check_gathered, expand_inputs

        assert out is not None  # required above for file inputs
        plan.groups = expand_inputs(inputs, request.input_format)
        plan.articles = [article for _, _, group in plan.groups for article in group]
        plan.datasets = [group for group in plan.groups if group[1] != "files"]
        if plan.datasets and request.omegat:
            raise InputError("--omegat needs file inputs, not an articles dataset")
        _check_files(plan.articles, run.lines)  # a missing, empty or undecodable file: one line, exit 2
        if to_stdout and (plan.datasets or any(a.kind(run.lines) == "docx" for a in plan.articles)):
            raise InputError("--out - prints text: give .txt/.md files (a .docx or an articles dataset needs --out DIR)")
        if not to_stdout:
            check_gathered(plan.groups, out, overwrite=run.overwrite)
    elif not to_stdout:
        # stdin into a folder: translated as the file stdin.txt would be, with its review files
        plan.articles = [Article(Path("stdin.txt"), plan.stdin_text, "<stdin>", "stdin")]
    if request.engine_kind == "ray":
        from zhbridge.ray_cluster import import_ray

        import_ray()  # a missing extra fails before the model is loaded
    return plan


def load_plan_engine(plan: Plan) -> Engine:
    """The run's engine; with Ray the driver's model only names the settings (the actors translate, on
    their GPU if given one), so it loads on the CPU."""
    config = plan.request.engine
    return load_engine(replace(config, device="cpu") if plan.request.engine_kind == "ray" else config)


def translate_stdout(plan: Plan, engine: Engine) -> Iterator[tuple[str, dict]]:
    """The English and QA report of each input, in order, for printing."""
    from zhbridge.mt.translate import translate_text

    lines = plan.request.run.lines
    texts = [plan.stdin_text] if plan.stdin_text is not None else [read_text(a.path, allow_empty=lines) for a in plan.articles]
    for text in texts:
        assert text is not None
        yield translate_text(text, engine, kind="lines" if lines else "txt")


def translate_folder(plan: Plan, engine: Engine, *, progress=None) -> list[FileResult]:
    """Translate every input into the output folder, with the local engine (``progress``: a rich
    Progress) or on Ray (which reports its own progress)."""
    request = plan.request
    if request.engine_kind == "ray":
        from zhbridge.mt.ray_engine import translate_files_ray

        return translate_files_ray(
            plan.articles,
            plan.out,
            engine,
            request.run,
            options=request.ray,
            device=request.engine.device,
            threads=request.engine.threads,
        )
    from zhbridge.mt.translate import translate_files

    return translate_files(plan.articles, plan.out, engine, request.run, progress=progress)


def gather(plan: Plan, results: list[FileResult]) -> list[Path]:
    """The English of each articles dataset gathered into OUT/<name>.en.jsonl|parquet."""
    if not plan.datasets:
        return []
    from zhbridge.mt.articles import gather_translations

    return list(gather_translations(plan.groups, results, plan.out))


def omegat_project(plan: Plan, engine: Engine, results: list[FileResult]) -> tuple[Path, int] | None:
    """With ``omegat``: OUT/omegat/, an OmegaT project of the translated files; its path and file count."""
    if not plan.request.omegat:
        return None
    from zhbridge.mt.omegat import write_project

    done = [r.path for r in results if r.status != "failed"]
    return write_project(plan.out / "omegat", done, plan.out, memory=engine.memory, glossary=engine.glossary), len(done)
