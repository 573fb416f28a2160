#!/usr/bin/env python
"""Rebuild the ``corpus/training/parallel`` sets added by issue 26 from their public repositories.

  python scripts/build_training_sets.py --tico GITDIR --ud-zh GITDIR --ud-en GITDIR [--out corpus/training/parallel]

Each GITDIR is a bare clone (the ``fetch`` mirror) of, respectively, github.com/tico-19/tico-19.github.io,
github.com/UniversalDependencies/UD_Chinese-PUD and github.com/UniversalDependencies/UD_English-PUD; files
are read from their HEAD with ``git show`` (no work tree needed). Writes ``tico19/`` and ``ud_pud/`` (line-aligned
``zh`` / ``en``), printing what it dropped and why; ``SOURCE.txt`` and ``SHA256SUMS`` are kept by hand.

Both sets are cleaned exactly like training reads them (``parallel.strip_markup`` + ``parallel.keep_pair``), then
a pair is dropped when its normalised zh or en side (``data.leak_key``) equals a line of the WMT zh→en benchmark
(``shared/bench/wmt``, when present) or the zh side of a pair already in ``corpus/training``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from zhbridge import parallel as sources
from zhbridge.io import atomic_write_text
from zhbridge.text.script import to_simplified
from zhbridge.train import data

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def git_show(git_dir: str, path: str) -> str:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", "show", f"HEAD:{path}"], check=True, capture_output=True, text=True
    ).stdout


def tico_pairs(git_dir: str) -> list[tuple[str, str]]:
    """(zh, en) of every translation unit of TICO-19's data/TM/all.en-zh.tmx (English source, zh-Hans target)."""
    root = ET.fromstring(git_show(git_dir, "data/TM/all.en-zh.tmx"))
    out = []
    for tu in root.iter("tu"):
        segs = {tuv.get(_XML_LANG, "")[:2]: "".join(tuv.findtext("seg") or "") for tuv in tu.iter("tuv")}
        out.append((segs.get("zh", ""), segs.get("en", "")))
    return out


def _conllu_texts(text: str) -> dict[str, str]:
    ids = re.findall(r"^# sent_id = (\S+)$", text, re.MULTILINE)
    texts = re.findall(r"^# text = (.*)$", text, re.MULTILINE)
    if len(ids) != len(texts):
        raise SystemExit(f"conllu: {len(ids)} sent_id lines but {len(texts)} text lines")
    return dict(zip(ids, texts))


def pud_pairs(zh_git: str, en_git: str) -> list[tuple[str, str]]:
    """(zh, en) of the 1,000 PUD sentences, paired by sent_id; the Traditional Chinese converted to Simplified."""
    zh = _conllu_texts(git_show(zh_git, "zh_pud-ud-test.conllu"))
    en = _conllu_texts(git_show(en_git, "en_pud-ud-test.conllu"))
    if set(zh) != set(en):
        raise SystemExit(f"PUD: sent_ids differ ({len(set(zh) ^ set(en))} unmatched)")
    return [(to_simplified(zh[i]), en[i]) for i in zh]


def _existing_zh_keys() -> set[str]:
    known = {data.leak_key(z) for z, _ in data.tatoeba_pairs() + data.wmt_en_zh_pairs()}
    for pairs in sources.load_parallel(caps={}).values():
        known.update(data.leak_key(z) for z, _ in pairs)
    return known


def clean(name: str, raw: list[tuple[str, str]], bench: set[str], known: set[str]) -> list[tuple[str, str]]:
    kept, seen = [], set()
    why = {"keep_pair": 0, "benchmark": 0, "already present": 0, "duplicate": 0}
    for zh, en in raw:
        zh, en = sources.strip_markup(zh.replace("\u3000", " ")), sources.strip_markup(en)
        zh = re.sub(r"(?<=[\u3400-\u9fff，。、；：？！）」』]) (?=[\u3400-\u9fff（「『])", "", zh)
        kz, ke = data.leak_key(zh), data.leak_key(en)
        if not sources.keep_pair(zh, en):
            why["keep_pair"] += 1
        elif kz in bench or ke in bench:
            why["benchmark"] += 1
        elif kz in known:
            why["already present"] += 1
        elif (kz, ke) in seen:
            why["duplicate"] += 1
        else:
            seen.add((kz, ke))
            kept.append((zh, en))
    print(f"{name}: {len(raw)} raw, {len(kept)} kept; dropped {why}")
    return kept


def write(folder: Path, pairs: list[tuple[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_text(folder / "zh", "".join(z + "\n" for z, _ in pairs))
    atomic_write_text(folder / "en", "".join(e + "\n" for _, e in pairs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tico", required=True)
    parser.add_argument("--ud-zh", required=True)
    parser.add_argument("--ud-en", required=True)
    parser.add_argument("--out", default=str(sources.PARALLEL_DIR))
    args = parser.parse_args(argv)
    bench = {data.leak_key(t) for t in data.bench_segments()}
    bench.discard("")
    print(f"{len(bench)} benchmark keys")
    known = _existing_zh_keys()
    out = Path(args.out)
    for name, raw in (("tico19", tico_pairs(args.tico)), ("ud_pud", pud_pairs(args.ud_zh, args.ud_en))):
        write(out / name, clean(name, raw, bench, known))
    return 0


if __name__ == "__main__":
    sys.exit(main())
