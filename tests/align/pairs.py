"""Small document pairs for the batch tests: the shipped gold article cut into pieces at its gold bead boundaries."""

from __future__ import annotations

from pathlib import Path

from zhbridge.align import read_beads

GOLD = Path(__file__).resolve().parents[2] / "corpus" / "gold"


def write_pairs(folder: Path, n: int = 3, size: int = 12) -> Path:
    """``n`` pairs of ``size`` gold beads each under ``folder/docs``, one sentence per line; the manifest's path."""
    zh = (GOLD / "002-01.zh").read_text(encoding="utf-8").splitlines()
    en = (GOLD / "002-01.en").read_text(encoding="utf-8").splitlines()
    beads = read_beads(GOLD / "002-01.align")
    docs = folder / "docs"
    docs.mkdir(parents=True)
    rows = ["id\tzh\ten"]
    for k in range(n):
        chunk = beads[k * size : (k + 1) * size]
        (docs / f"p{k}.zh").write_text("".join(zh[i] + "\n" for b in chunk for i in b.zh), encoding="utf-8")
        (docs / f"p{k}.en").write_text("".join(en[j] + "\n" for b in chunk for j in b.en), encoding="utf-8")
        rows.append(f"p{k}\tdocs/p{k}.zh\tdocs/p{k}.en")
    manifest = folder / "pairs.tsv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too), by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
