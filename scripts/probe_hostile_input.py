"""Re-run the hostile-input probe of issue 23: every case a real `zhbridge` process, tallied per category.

    python scripts/probe_hostile_input.py [--keep DIR]

A case *holds* when the command behaves as the README promises (nothing lost, nothing cut without a
flag, wrong text refused or decoded right, resources capped, one-line errors with exit 2). The tiny
Marian model of the tests stands in for a real one, so the translations are nonsense; what is
checked is what reaches the outputs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ZH = ["郑州是微短剧创作之都。", "竖店吸引了很多演员。", "短剧出海成为新趋势。"]
EN = ["Zhengzhou is the capital of micro-short drama.", "Shudian attracts actors.", "Going overseas is a trend."]
HEADER = "zh\ten\tvariants\tpinyin\tcategory\tnote\tsource\n"


def zb(*args, stdin=None, stdout=None, cwd=None, timeout=600):
    return subprocess.run(
        [sys.executable, "-m", "zhbridge", *map(str, args)],
        input=stdin,
        stdout=stdout or subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        timeout=timeout,
    )


def one_line_2(r) -> bool:
    err = r.stderr.decode("utf-8", "replace").strip().splitlines()
    return r.returncode == 2 and len(err) == 1 and "Traceback" not in err[0]


def tmx(path: Path, pairs) -> Path:
    rows = "".join(
        f'<tu><tuv lang="zh-CN"><seg>{z}</seg></tuv><tuv lang="en" changedate="20250102T000000Z"><seg>{e}</seg></tuv></tu>'
        for z, e in pairs
    )
    path.write_text(
        f'<?xml version="1.0"?><tmx version="1.4"><header creationtool="OmegaT" srclang="zh-CN" adminlang="en" '
        f'datatype="plaintext" o-tmf="x" segtype="sentence"/><body>{rows}</body></tmx>',
        encoding="utf-8",
    )
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder (default: a temporary one)")
    args = parser.parse_args(argv)
    w = args.keep or Path(tempfile.mkdtemp(prefix="zhbridge-probe-"))
    w.mkdir(parents=True, exist_ok=True)
    from zhbridge.train.scratch import build_marian

    model = build_marian(w / "model", ZH, EN, size="tiny", seed=0)
    (w / "g.tsv").write_text(HEADER + "微短剧\tmicro-short drama\t\t\t\t\t\n", encoding="utf-8")
    mt = ["--model", model, "--glossary", w / "g.tsv", "--tm", "none", "--postedits", "none", "--beams", "1", "--threads", "1"]
    results: dict[str, list[tuple[str, bool]]] = defaultdict(list)

    def case(category, name):
        def wrap(fn):
            if args.only and args.only not in name:
                return fn
            start = time.perf_counter()
            try:
                ok = bool(fn())
            except Exception as exc:  # a probe that crashes counts as failed
                ok = False
                name_ = f"{name} ({type(exc).__name__}: {exc})"
                results[category].append((name_, ok))
                print(f"FAILED {category}: {name_}", flush=True)
                return fn
            results[category].append((name, ok))
            print(f"{'held  ' if ok else 'FAILED'} {category}: {name} ({time.perf_counter() - start:.1f} s)", flush=True)
            return fn

        return wrap

    # ---------------------------------------------------------------- data lost or destroyed
    D = "data lost"

    @case(D, "two concurrent tm imports keep both (3000 + 3000 units)")
    def _():
        a = tmx(w / "a.tmx", [(f"第{i}部微短剧上线。", f"Drama {i}.") for i in range(3000)])
        b = tmx(w / "b.tmx", [(f"第{i}家公司成立。", f"Company {i}.") for i in range(3000)])
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "zhbridge", "tm", "import", f, "--memory", w / "m.tmx"], stdout=subprocess.PIPE
            )
            for f in (a, b)
        ]
        [p.communicate() for p in procs]
        from zhbridge.mt.tmx import read_tmx

        return all(p.returncode == 0 for p in procs) and len(read_tmx(w / "m.tmx")) == 6000

    for kind in ("dotdot", "absolute", "symlink"):

        @case(D, f"corpus remove with a {kind} manifest row keeps the outside file")
        def _(kind=kind):
            from zhbridge.corpus.manifest import ManifestRow, write_manifest

            corpus = w / f"corpus-{kind}"
            (corpus / "raw").mkdir(parents=True)
            victim = w / f"victim-{kind}" / "v.txt"
            victim.parent.mkdir()
            victim.write_text("keep\n")
            if kind == "symlink":
                (corpus / "raw" / "l").symlink_to(victim.parent)
            name = {"dotdot": f"../victim-{kind}/v.txt", "absolute": str(victim), "symlink": "raw/l/v.txt"}[kind]
            write_manifest(corpus / "manifest.tsv", [ManifestRow("000-01", "t", "", "", "zh", "x", "", name)])
            r = zb("corpus", "remove", "000-01", "--corpus-dir", corpus)
            return one_line_2(r) and victim.read_text() == "keep\n"

        @case(D, f"align --manifest with a {kind} path copies nothing out")
        def _(kind=kind):
            folder = w / f"pairs-{kind}"
            folder.mkdir()
            (folder / "a.zh").write_text("第一句。\n")
            if kind == "symlink":
                (folder / "l.en").symlink_to("/etc/passwd")
            name = {"dotdot": "../g.tsv", "absolute": "/etc/passwd", "symlink": "l.en"}[kind]
            (folder / "p.tsv").write_text(f"id\tzh\ten\nabs\ta.zh\t{name}\n")
            r = zb("align", "--manifest", folder / "p.tsv", "--out", folder / "out")
            return one_line_2(r) and not (folder / "out").exists()

    @case(D, "two datasets gathering into one name are refused before writing")
    def _():
        for d in ("d1", "d2"):
            (w / d).mkdir()
            (w / d / "arts.jsonl").write_text(json.dumps({"id": d, "text": ZH[0]}) + "\n")
        r = zb("translate", w / "d1/arts.jsonl", w / "d2/arts.jsonl", "--out", w / "o-collide", *mt)
        return one_line_2(r) and not (w / "o-collide").exists()

    @case(D, "row id a.txt.qa (md) does not overwrite row a's QA report under --overwrite")
    def _():
        rows = [{"id": "a", "text": ZH[0]}, {"id": "a.txt.qa", "text": ZH[1], "format": "md"}]
        (w / "qa.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
        zb("translate", w / "qa.jsonl", "--out", w / "o-qa", *mt)
        before = (w / "o-qa" / "a.txt.qa.md").read_text()
        zb("translate", w / "qa.jsonl", "--out", w / "o-qa", "--overwrite", *mt)
        return (w / "o-qa" / "a.txt.qa.md").read_text() == before and "# QA report: a.txt" in before

    for label, bad in (("ESC", "\x1b"), ("BEL", "\x07"), ("U+FFFE", "\ufffe"), ("NUL", "\x00"), ("lone surrogate", "\ud800")):

        @case(D, f"a JSONL row with {label} leaves no partial outputs; the other row is translated")
        def _(bad=bad, label=label):
            out = w / f"o-ctl-{label.replace(' ', '')}"
            rows = [{"id": "bad", "text": ZH[0] + bad + ZH[1]}, {"id": "ok", "text": ZH[2]}]
            (w / "ctl.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
            zb("translate", w / "ctl.jsonl", "--out", out, *mt)
            names = {p.name for p in out.iterdir()}
            return not any(n.startswith("bad") for n in names) and {"ok.txt", "ok.txt.xlf", "ok.txt.tsv"} <= names

    @case(D, "a .txt with one ESC among 1000 characters: one-line error, nothing written")
    def _():
        (w / "esc.txt").write_text(ZH[0] * 90 + "\x1b" + ZH[1])
        r = zb("translate", w / "esc.txt", "--out", w / "o-esc", *mt)
        return one_line_2(r) and not (w / "o-esc").exists()

    @case(D, "a JSONL row without text fails alone, the rest is translated")
    def _():
        (w / "nt.jsonl").write_text(json.dumps({"id": "x"}) + "\n" + json.dumps({"id": "y", "text": ZH[0]}) + "\n")
        zb("translate", w / "nt.jsonl", "--out", w / "o-nt", *mt)
        return (w / "o-nt" / "y.txt").exists() and (w / "o-nt" / "nt.en.jsonl").exists()

    # ---------------------------------------------------------------- silently cut
    C = "silently cut"
    clause = "郑州市微短剧产业联盟成立大会在竖店举行，"

    def whole(name, text, *extra):
        path = w / f"{name}.txt"
        path.write_text(text + "\n")
        r = zb("translate", path, "--out", w / f"o-{name}", *mt, *extra)
        tsv = (w / f"o-{name}" / f"{name}.txt.tsv").read_text().splitlines()
        import csv

        rows = list(csv.reader(tsv, delimiter="\t"))
        src = "".join(row[rows[0].index("source")] for row in rows[1:]) if rows else ""
        qa = json.loads((w / f"o-{name}" / f"{name}.txt.qa.json").read_text())
        # segments are stripped, so spaces at their edges are compared away
        same = "".join(src.split()) == "".join(text.split())
        return r.returncode == 0 and same and qa["summary"].get("source_cut", 1) == 0

    for n in (3000, 10000):

        @case(C, f"a {n}-character paragraph (commas, one full stop) reaches the model whole")
        def _(n=n):
            return whole(f"long{n}", (clause * (n // len(clause) + 1))[: n - 1] + "。")

    @case(C, "3000 characters without any punctuation or space (hard cut) reach the model whole")
    def _():
        return whole("nopunct", "微短剧产业" * 600)

    @case(C, "3000 characters in --lines mode: one output line, whole source")
    def _():
        return whole("lines", (clause * 200)[:3000], "--lines")

    @case(C, "Latin text of 4000 characters inside Chinese is cut at spaces, nothing dropped")
    def _():
        return whole("latin", "微短剧" + "AI short drama industry " * 160 + "。")

    # ---------------------------------------------------------------- wrong text accepted
    T = "wrong text accepted"
    trad = "鄭州市微短劇產業聯盟成立，豎店吸引了很多演員。"

    @case(T, "a Big5 file is translated from its real characters")
    def _():
        (w / "big5.txt").write_bytes(trad.encode("big5"))
        r = zb("translate", w / "big5.txt", "--out", w / "o-big5", *mt)
        return r.returncode == 0 and "微短劇" in (w / "o-big5" / "big5.txt.tsv").read_text()

    @case(T, "glossary import of a Big5 TSV stores 微短劇")
    def _():
        (w / "b5.tsv").write_bytes((HEADER + "微短劇\tmicro-drama\t\t\t\t\t\n").encode("big5"))
        (w / "gb5.tsv").write_text(HEADER)
        zb("glossary", "import", w / "b5.tsv", "-g", w / "gb5.tsv")
        return "微短劇\tmicro-drama" in (w / "gb5.tsv").read_text()

    @case(T, "corpus add of a Big5 article keeps its characters")
    def _():
        (w / "add.txt").write_bytes(("標題\n\n" + trad * 3 + "\n").encode("big5"))
        r = zb("corpus", "add", w / "add.txt", "--layout", "zh", "--corpus-dir", w / "corpus-add")
        raw = list((w / "corpus-add" / "raw").glob("*.txt"))
        return r.returncode == 0 and raw and "微短劇" in raw[0].read_text()

    @case(T, "a GBK file still reads as GBK")
    def _():
        (w / "gbk.txt").write_bytes((ZH[0] + "出海").encode("gbk"))
        r = zb("translate", w / "gbk.txt", "--out", w / "o-gbk", *mt)
        return r.returncode == 0 and "微短剧" in (w / "o-gbk" / "gbk.txt.tsv").read_text()

    for codec in ("utf-32", "utf-16-le", "utf-16-be"):

        @case(T, f"{codec} {'with' if codec == 'utf-32' else 'without'} BOM, text with 一 and 开, is read")
        def _(codec=codec):
            (w / f"{codec}.txt").write_bytes(("第一部微短剧开机。AI 一开\n").encode(codec))
            r = zb("translate", w / f"{codec}.txt", "--out", w / f"o-{codec}", *mt)
            return r.returncode == 0 and "第一部微短剧开机" in (w / f"o-{codec}" / f"{codec}.txt.tsv").read_text()

    @case(T, "byline names keep their spaces in the review files")
    def _():
        (w / "byline.txt").write_text("记者 武建玲 李居正 王芳\n\n" + ZH[0] + "\n")
        zb("translate", w / "byline.txt", "--out", w / "o-byline", *mt)
        return "武建玲 李居正 王芳" in (w / "o-byline" / "byline.txt.tsv").read_text()

    # ---------------------------------------------------------------- resources
    R = "resources"
    for label, args_ in (
        ("tm import --memory /dev/zero", ["tm", "import", w / "a.tmx", "--memory", "/dev/zero"]),
        ("glossary lookup -g /dev/zero", ["glossary", "lookup", "竖店", "-g", "/dev/zero"]),
        ("tm import /dev/zero", ["tm", "import", "/dev/zero", "--memory", w / "mz.tmx"]),
        ("corpus add /dev/zero", ["corpus", "add", "/dev/zero", "--layout", "zh", "--corpus-dir", w / "cz"]),
    ):

        @case(R, f"{label}: refused at the size cap")
        def _(args_=args_):
            return one_line_2(zb(*args_, timeout=120))

    @case(R, "translate - with 40 MiB on stdin: refused at the cap")
    def _():
        return one_line_2(zb("translate", "-", *mt, stdin=("微短剧。" * ((40 << 20) // 12 + 1)).encode()))

    @case(R, "a docx bomb (300 MB document.xml) is refused without inflating it")
    def _():
        import zipfile

        import docx

        d = docx.Document()
        d.add_paragraph(ZH[0])
        d.save(str(w / "plain.docx"))
        with zipfile.ZipFile(w / "plain.docx") as src, zipfile.ZipFile(w / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "word/document.xml":
                    data = data.replace(b"<w:body>", b"<w:body>" + b" " * (300 << 20), 1)
                dst.writestr(info, data, zipfile.ZIP_DEFLATED)
        return one_line_2(zb("translate", w / "bomb.docx", "--out", w / "o-bomb", *mt))

    @case(R, "glossary import of 100,000 entries < 30 s; lookup with a 40,000-character note < 5 s")
    def _():
        sys.path.insert(0, str(Path(__file__).parent))
        import random

        from bench_glossary import bench_commands

        c = bench_commands(100_000, random.Random(13))
        print(f"    {c}", flush=True)
        return c["import_ok"] and c["import_seconds"] < 30 and c["long_note_lookup_seconds"] < 5

    # ---------------------------------------------------------------- one-line errors
    E = "one-line errors"
    (w / "bigfield.csv").write_text('zh,en\n"' + "x" * 200_000 + '",a\n')
    (w / "nested.jsonl").write_text("[" * 100_000 + "\n")
    (w / "empty.txt").write_text("")
    (w / "ro").mkdir(exist_ok=True)
    os.chmod(w / "ro", 0o555)
    errors = [
        ("glossary import: a CSV field > 128 KiB", ["glossary", "import", w / "bigfield.csv", "-g", w / "g.tsv"]),
        ("translate: JSONL with 100k nested [", ["translate", w / "nested.jsonl", "--out", w / "o-n", *mt]),
        ("a lone surrogate (non-UTF-8 byte) in an argument", ["glossary", "lookup", b"\xff".decode("utf-8", "surrogateescape")]),
        ("tm import DIR", ["tm", "import", w]),
        ("tm import --memory DIR", ["tm", "import", w / "a.tmx", "--memory", w]),
        (
            "translate --postedits DIR",
            ["translate", w / "gbk.txt", "--out", w / "o-p", *mt[:6], "--postedits", w, "--beams", "1"],
        ),
        ("glossary suggest DIR", ["glossary", "suggest", w]),
        ("glossary import DIR -f tbx", ["glossary", "import", w, "-f", "tbx", "-g", w / "g.tsv"]),
        ("corpus add DIR --layout parallel-tmx", ["corpus", "add", w, "--layout", "parallel-tmx", "--corpus-dir", w / "cd"]),
        ("corpus articles /dev/full", ["corpus", "articles", "/dev/full"]),
        ("translate of an empty file", ["translate", w / "empty.txt", "--out", w / "o-e", *mt]),
        ("translate of a missing file", ["translate", w / "missing.txt", "--out", w / "o-m", *mt]),
        ("evaluate with a 200,000-word line", ["evaluate", "--hyp", w / "long.txt", "--ref", w / "long.txt"]),
    ]
    (w / "long.txt").write_text("word " * 200_000 + "\n")
    if os.geteuid() != 0:
        errors.append(("--out in a read-only folder", ["corpus", "export", w / "ro" / "x.tsv", "--format", "tsv"]))
    for label, args_ in errors:

        @case(E, label)
        def _(args_=args_):
            return one_line_2(zb(*args_, timeout=300))

    @case(E, "corpus export - > /dev/full")
    def _():
        with open("/dev/full", "w") as full:
            return one_line_2(zb("corpus", "export", "-", "--format", "tsv", stdout=full))

    @case(E, "a corrupt dataset folder")
    def _():
        import datasets

        datasets.DatasetDict({"train": datasets.Dataset.from_dict({"zh": ["甲"], "en": ["a"]})}).save_to_disk(str(w / "ds"))
        arrow = next((w / "ds" / "train").glob("*.arrow"))
        arrow.write_bytes(arrow.read_bytes()[:100])
        return one_line_2(zb("corpus", "export", w / "x.tsv", "--format", "tsv", "--dataset-dir", w / "ds"))

    @case(E, "the lock folder is 1777 whatever the umask")
    def _():
        t = w / "tmp"
        t.mkdir()
        code = "import os; os.umask(0o022); from zhbridge.io import locked\nwith locked('g.tsv'): pass"
        subprocess.run([sys.executable, "-c", code], env={**os.environ, "TMPDIR": str(t)}, check=True)
        return (t / "zhbridge-locks").stat().st_mode & 0o7777 == 0o1777

    @case(E, "glossary export g.tbx; glossary import g.tbx changes nothing")
    def _():
        from zhbridge.paths import DEFAULT_GLOSSARY

        (w / "rt.tsv").write_bytes(DEFAULT_GLOSSARY.read_bytes())
        zb("glossary", "export", w / "rt.tbx", "-g", w / "rt.tsv")
        r = zb("glossary", "import", w / "rt.tbx", "-g", w / "rt.tsv")
        return r.returncode == 0 and (w / "rt.tsv").read_bytes() == DEFAULT_GLOSSARY.read_bytes()

    # ---------------------------------------------------------------- README promises
    P = "README promises"

    @case(P, "translate DIR --out OUT translates the folder's files")
    def _():
        (w / "dir").mkdir()
        (w / "dir" / "a.txt").write_text(ZH[0])
        (w / "dir" / "b.md").write_text("# " + ZH[1])
        r = zb("translate", w / "dir", "--out", w / "o-dir", *mt)
        return r.returncode == 0 and (w / "o-dir" / "a.txt").exists() and (w / "o-dir" / "b.md").exists()

    @case(P, "--out - writes to stdout and creates no folder named -")
    def _():
        r = zb("translate", w / "dir" / "a.txt", "--out", "-", *mt, cwd=w)
        return r.returncode == 0 and r.stdout.strip() and not (w / "-").exists()

    @case(P, "stdin with --out DIR writes there")
    def _():
        r = zb("translate", "-", "--out", w / "o-stdin", *mt, stdin=ZH[0].encode())
        return r.returncode == 0 and (w / "o-stdin" / "stdin.txt").exists()

    @case(P, "no Python settings dict at the end of a run")
    def _():
        r = zb("translate", w / "dir", "--out", w / "o-dir2", *mt)
        return r.returncode == 0 and "{'model'" not in r.stderr.decode()

    @case(P, "--help is not cut at 80 columns")
    def _():
        env = {**os.environ, "COLUMNS": "80"}
        outs = [
            subprocess.run([sys.executable, "-m", "zhbridge", *c, "--help"], capture_output=True, text=True, env=env).stdout
            for c in ([], ["translate"], ["train"], ["corpus", "export"], ["glossary"])
        ]
        return all("…" not in o for o in outs)

    @case(P, "a new dataset folder follows the umask")
    def _():
        r = zb("corpus", "build", "--out", w / "built", timeout=900)
        umask = os.umask(0)
        os.umask(umask)
        return r.returncode == 0 and (w / "built").stat().st_mode & 0o777 == 0o777 & ~umask

    print()
    print("| category | tried | held | failed |")
    print("|---|---|---|---|")
    total = [0, 0]
    for category, cases in results.items():
        held = sum(ok for _, ok in cases)
        total[0] += len(cases)
        total[1] += held
        print(f"| {category} | {len(cases)} | {held} | {len(cases) - held} |")
    print(f"| all | {total[0]} | {total[1]} | {total[0] - total[1]} |")
    return 0 if total[0] == total[1] else 1


if __name__ == "__main__":
    sys.exit(main())
