"""`zhbridge align --manifest --engine ray` against the local engine on a real local Ray cluster: the same bytes."""

from __future__ import annotations

from typer.testing import CliRunner

from zhbridge.align.batch import align_manifest
from zhbridge.cli import app
from zhbridge.ray_cluster import RayOptions

from .pairs import files, write_pairs


def test_ray_batch_writes_the_local_bytes_and_reports_the_same_failure(tmp_path, ray_cluster):
    manifest = write_pairs(tmp_path)
    (tmp_path / "docs" / "p1.zh").write_bytes(b"\x00\x01" * 50)  # a broken pair: failed with either engine, not raised
    outputs = {}
    for engine in ("local", "ray"):
        out = tmp_path / engine
        result = CliRunner().invoke(
            app, ["align", "--manifest", str(manifest), "--out", str(out), "--presplit", "--engine", engine]
        )
        assert result.exit_code == 1, result.output
        assert "2 aligned, 0 skipped (done earlier), 1 failed" in result.output and "pair p1 failed" in result.output
        outputs[engine] = files(out)
    local, remote = outputs["local"], outputs["ray"]
    assert {"p0.align", "p0.tsv", "p2.align", "p2.tsv", "SIGNATURE", "report.json"} <= set(local)
    assert sorted(remote) == sorted(local)
    assert [name for name in local if remote[name] != local[name]] == []


def test_ray_rerun_sends_only_the_unfinished_pairs(tmp_path, ray_cluster, monkeypatch):
    import zhbridge.ray_cluster as ray_cluster_module

    manifest, out = write_pairs(tmp_path), tmp_path / "out"
    align_manifest(manifest, out, presplit=True, features="length")  # a local run, resumed on Ray
    before = files(out)
    (out / "p2.tsv").unlink()
    sent = []
    real = ray_cluster_module.ordered_tasks

    def counting(function, calls, options=None, **kwargs):
        calls = list(calls)
        sent.append([call[0].id for call in calls])
        return real(function, calls, options, **kwargs)

    monkeypatch.setattr(ray_cluster_module, "ordered_tasks", counting)
    results = align_manifest(manifest, out, presplit=True, features="length", engine="ray", ray_options=RayOptions())
    assert sent == [["p2"]] and [r.status for r in results] == ["skipped", "skipped", "aligned"]
    after = files(out)
    assert [name for name in before if name.endswith((".align", ".tsv")) and after[name] != before[name]] == []
    again = align_manifest(manifest, out, presplit=True, features="length", engine="ray", ray_options=RayOptions())
    assert sent == [["p2"]] and [r.status for r in again] == ["skipped"] * 3  # nothing left: no tasks at all
