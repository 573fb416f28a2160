"""`zhbridge glossary …`: look up, edit, check, exchange and discover terminology.

A thin layer over :mod:`zhbridge.terms`; every write goes through the atomic
writers and existing user files are only replaced with ``--overwrite``.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import typer

glossary_app = typer.Typer(
    help="Domain glossary: lookup, add/remove, validate, TBX/CSV/TSV import/export, term discovery.", no_args_is_help=True
)

GlossaryOption = typer.Option(None, "--glossary", "-g", help="Glossary TSV (default: corpus/glossary/glossary.tsv).")


def _load(path: Path | None):
    from zhbridge.terms.glossary import load_glossary

    return load_glossary(path)


@contextlib.contextmanager
def _editing(path: Path | None):
    """The glossary to edit, locked for the read-modify-write so concurrent edits keep each other's entries.

    Without --glossary the edit is saved in the workspace (see zhbridge.paths), starting from the
    shipped glossary when the workspace has none yet.
    """
    from zhbridge import paths
    from zhbridge.io import locked
    from zhbridge.terms.glossary import Glossary

    target = path or paths.WORKSPACE_GLOSSARY
    with locked(target):
        source = target if target.exists() else (paths.DEFAULT_GLOSSARY if path is None else None)
        # a new file named with --glossary (or a workspace without any glossary) starts empty
        g = _load(source) if source is not None and source.exists() else Glossary([])
        g.path = target
        yield g


def _echo_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@glossary_app.command("lookup")
def lookup_cmd(
    query: str = typer.Argument(..., help="Chinese term, pinyin (with or without tones) or English."),
    glossary: Path | None = GlossaryOption,
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    limit: int = typer.Option(20, help="At most this many results."),
    cedict: bool = typer.Option(
        True, "--cedict/--no-cedict", help="Fall back to CC-CEDICT when the glossary has no exact entry."
    ),
) -> None:
    """Find QUERY: exact, containment both ways, pinyin, English reverse, fuzzy, then CC-CEDICT."""
    from zhbridge.terms.lookup import GLOSSARY, LookupIndex

    hits = LookupIndex(_load(glossary)).lookup(query, use_cedict=cedict)[:limit]
    if as_json:
        _echo_json({"query": query, "results": [h.to_dict() for h in hits]})
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    # no highlighting: rich's repr highlighter is quadratic on long text (a 40k-character note took 13 s),
    # and user text is escaped, so a "[" in a note is printed, not read as markup
    console = Console(width=max(Console().width, 110), highlight=False)
    if not hits:
        console.print(f"no glossary or dictionary entry for {escape(repr(query))}")
        raise typer.Exit(1)
    table = Table(title=f"glossary lookup: {escape(query)}", show_lines=False)
    for column in ("match", "score", "zh", "pinyin", "en (preferred)", "variants", "category", "src"):
        table.add_column(column, overflow="fold")
    for h in hits:
        e = h.entry
        mode = h.mode if h.origin == GLOSSARY else "CC-CEDICT"
        src = e.source.split("_", 1)[0]  # seed number; --json has the full id
        cells = (e.zh, e.pinyin, e.en, "; ".join(e.variants), e.category, src)
        table.add_row(mode, f"{h.score:.0f}", *map(escape, cells))
    console.print(table)
    exact = next((h for h in hits if h.mode in ("exact", "pinyin") and h.origin == GLOSSARY), None)
    if exact is not None and exact.entry.note:
        console.print(f"[bold]note[/bold] ({escape(exact.entry.zh)}): {escape(exact.entry.note)}")
    if any(h.origin != GLOSSARY for h in hits):
        console.print("[dim]CC-CEDICT rows are general-dictionary senses (CC BY-SA 4.0), not project decisions.[/dim]")


@glossary_app.command("add")
def add_cmd(
    zh: str = typer.Argument(..., help="Chinese term."),
    en: str = typer.Argument(..., help="Preferred English rendering."),
    variant: list[str] = typer.Option([], "--variant", "-v", help="Allowed variant (repeatable)."),
    category: str = typer.Option(..., help="Category, e.g. 'industry term'."),
    note: str = typer.Option(..., help="Why this rendering (say so if no published one exists)."),
    source: str = typer.Option(..., help="Source document id."),
    pinyin: str = typer.Option("", help="Tone-marked pinyin (default: generated with pypinyin)."),
    replace: bool = typer.Option(False, "--replace", help="Replace an existing entry for the same term."),
    glossary: Path | None = GlossaryOption,
) -> None:
    """Add an entry (validated first) and save the glossary atomically."""
    from zhbridge.io import InputError
    from zhbridge.terms.exchange import stored_form
    from zhbridge.terms.glossary import Entry, save_glossary, with_pinyin
    from zhbridge.terms.validate import validate_entry

    entry = with_pinyin(
        stored_form(
            Entry(
                zh.strip(),
                en.strip(),
                tuple(v.strip() for v in variant),
                pinyin.strip(),
                category.strip(),
                note.strip(),
                source.strip(),
            )
        )
    )
    problems = validate_entry(entry)
    if problems:
        raise InputError(f"entry not added: {problems[0]}")
    with _editing(glossary) as g:
        g.add(entry, replace_existing=replace)
        save_glossary(g)
    typer.echo(f"added {entry.zh} → {entry.en} ({len(g)} entries in {g.path})")


@glossary_app.command("remove")
def remove_cmd(zh: str = typer.Argument(..., help="Chinese term to remove."), glossary: Path | None = GlossaryOption) -> None:
    """Remove the entry for ZH and save the glossary atomically."""
    from zhbridge.terms.glossary import save_glossary

    with _editing(glossary) as g:
        removed = g.remove(zh)
        save_glossary(g)
    typer.echo(f"removed {removed.zh} → {removed.en} ({len(g)} entries left in {g.path})")


@glossary_app.command("validate")
def validate_cmd(glossary: Path | None = GlossaryOption, as_json: bool = typer.Option(False, "--json")) -> None:
    """Report duplicates, conflicting preferred renderings, empty fields, bad categories and pinyin; exit 1 on problems."""
    from collections import Counter

    from zhbridge.terms.validate import validate

    g = _load(glossary)
    problems = validate(g)
    if as_json:
        _echo_json({"glossary": str(g.path), "entries": len(g), "problems": [p.to_dict() for p in problems]})
    else:
        for p in problems:
            typer.echo(str(p))
        by_category = Counter(e.category for e in g.entries)
        summary = ", ".join(f"{cat} {n}" for cat, n in sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0])))
        typer.echo(f"{g.path}: {len(g)} entries ({summary}); {len(problems)} problem(s)")
    if problems:
        raise typer.Exit(1)


@glossary_app.command("export")
def export_cmd(
    output: Path = typer.Argument(..., help="Output file (.tbx, .csv or .tsv)."),
    fmt: str | None = typer.Option(None, "--format", "-f", help="tbx | csv | tsv (default: from the extension)."),
    glossary: Path | None = GlossaryOption,
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace OUTPUT if it exists."),
    tbx_version: str = typer.Option(
        "2008",
        "--tbx-version",
        help="TBX dialect: 2008 (<martif>, read by OmegaT, translate-toolkit) or v3 (ISO 30042:2019 <tbx>).",
    ),
) -> None:
    """Write the glossary as TBX-Basic, CSV or TSV."""
    from zhbridge.terms.exchange import detect_format, write_entries

    g = _load(glossary)
    write_entries(g, output, fmt, overwrite=overwrite, tbx_dialect=tbx_version)
    typer.echo(f"wrote {len(g)} entries to {output} ({detect_format(output, fmt)})", err=str(output) == "-")


@glossary_app.command("import")
def import_cmd(
    source: Path = typer.Argument(..., help="File to import (.tbx, .csv or .tsv)."),
    fmt: str | None = typer.Option(None, "--format", "-f", help="tbx | csv | tsv (default: from the extension)."),
    glossary: Path | None = GlossaryOption,
    replace: bool = typer.Option(False, "--replace", help="Imported entries replace differing existing ones."),
) -> None:
    """Merge entries from a TBX/CSV/TSV file into the glossary (nothing is written if any entry conflicts)."""
    from zhbridge.terms.exchange import merge, read_entries
    from zhbridge.terms.glossary import save_glossary

    incoming = read_entries(source, fmt)
    with _editing(glossary) as g:
        counts = merge(g, incoming, replace=replace)
        save_glossary(g)
    typer.echo(
        f"imported {len(incoming)} entries from {source}: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + f"; {len(g)} entries in {g.path}"
    )


@glossary_app.command("extract")
def extract_cmd(
    top: int = typer.Option(50, help="Show this many candidates."),
    glossary: Path | None = GlossaryOption,
    dataset: Path | None = typer.Option(None, help="Dataset directory (default: corpus/dataset)."),
    seeds: Path | None = typer.Option(None, help="Use the seed documents in this folder instead of the dataset."),
    as_json: bool = typer.Option(False, "--json"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Also write the ranked candidates as TSV."),
    overwrite: bool = typer.Option(False, "--overwrite"),
) -> None:
    """Propose new glossary terms from the corpus, with their likeliest English and evidence."""
    from zhbridge.terms import extract

    corpus = extract.load_corpus(dataset=dataset, seeds=seeds)
    candidates = extract.extract_terms(corpus)
    evaluation = extract.evaluate_against(candidates, _load(glossary), corpus)
    if output is not None:
        extract.write_candidates(candidates, output, overwrite=overwrite)
    if as_json:
        _echo_json(
            {
                "corpus": corpus.description,
                "settings": extract.SETTINGS,
                "evaluation": evaluation,
                "candidates": [c.to_dict() for c in candidates[:top]],
            }
        )
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"term candidates from {corpus.description}")
    for column in ("#", "zh", "freq", "score", "in glossary", "best en", "dice", "co", "example"):
        table.add_column(column, overflow="fold")
    for rank, c in enumerate(candidates[:top], start=1):
        table.add_row(
            str(rank),
            c.zh,
            str(c.freq),
            f"{c.score:.2f}",
            "yes" if c.known else "",
            c.en or "",
            f"{c.dice:.2f}" if c.en else "",
            str(c.co_count) if c.en else "",
            (c.example_zh[:40] + " ‖ " + c.example_en[:60]) if c.example_zh else "",
        )
    console.print(table)
    console.print(extract.format_evaluation(evaluation))


@glossary_app.command("suggest")
def suggest_cmd(
    files: list[Path] = typer.Argument(
        ..., help="Post-edited work: OmegaT project_save.tmx or any TMX, or translated XLIFF 1.2."
    ),
    glossary: Path | None = GlossaryOption,
    min_pairs: int = typer.Option(2, "--min-pairs", min=1, help="A rendering must be used in at least this many segments."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List term renderings the post-edits used consistently but the glossary lacks or contradicts."""
    from zhbridge.mt.postedits import read_translations
    from zhbridge.terms.suggest import suggest

    pairs = [pair for f in files for pair in read_translations(f)]
    suggestions = suggest(pairs, _load(glossary), min_pairs=min_pairs)
    if as_json:
        _echo_json({"pairs": len(pairs), "suggestions": [s.to_dict() for s in suggestions]})
        return
    for s in suggestions:
        glossary_says = f" (glossary: {s.glossary_en})" if s.glossary_en else ""
        typer.echo(f"{s.kind}\t{s.zh} → {s.en}{glossary_says}\t{s.uses}/{s.pairs} segments\te.g. {s.example_en}")
    typer.echo(f"{len(suggestions)} suggestion(s) from {len(pairs)} post-edited segments")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the top-level app."""
    app.add_typer(glossary_app, name="glossary")
