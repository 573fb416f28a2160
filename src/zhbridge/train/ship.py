"""Make a trained model directory fit to ship: no resume state, weights small enough for git.

Weights are stored as fp16 safetensors when the fp32 file would exceed the size limit, while
``config.json`` keeps ``dtype: float32`` so that ``from_pretrained`` upcasts on load (fp16
matmuls are slow or unsupported on many CPUs).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from zhbridge.train.finetune import CHECKPOINT

SHIP_LIMIT_MB = 25.0


def dir_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


def prepare_for_shipping(model_dir: str | Path, limit_mb: float = SHIP_LIMIT_MB) -> dict:
    """Drop checkpoints; convert weights to fp16 if the directory is over ``limit_mb``. Returns sizes."""
    import torch
    from safetensors.torch import load_file, save_file

    model_dir = Path(model_dir)
    for name in (CHECKPOINT, CHECKPOINT + ".tmp", CHECKPOINT + ".old"):
        if (model_dir / name).exists():
            shutil.rmtree(model_dir / name)
    before = dir_size_mb(model_dir)
    converted = False
    weights = model_dir / "model.safetensors"
    if before > limit_mb and weights.exists():
        tensors = load_file(str(weights))
        half = {k: v.half() if v.is_floating_point() else v for k, v in tensors.items()}
        tmp = weights.with_suffix(".tmp")
        save_file(half, str(tmp), metadata={"format": "pt"})
        tmp.replace(weights)
        config_path = model_dir / "config.json"
        config = json.loads(config_path.read_text(encoding="utf-8"))
        config["dtype"] = "float32"
        config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        converted = True
        del torch
    return {"before_mb": round(before, 2), "after_mb": round(dir_size_mb(model_dir), 2), "fp16_weights": converted}


if __name__ == "__main__":  # used by scripts/train_default.sh
    import sys

    print(json.dumps(prepare_for_shipping(sys.argv[1])))
