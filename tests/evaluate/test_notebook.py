"""The researcher notebook runs top to bottom on the built dataset, so it cannot rot."""

from __future__ import annotations

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

from zhbridge.paths import REPO_ROOT

NOTEBOOK = REPO_ROOT / "notebooks" / "researcher.ipynb"


def test_researcher_notebook_executes(tmp_path):
    # ipykernel (test extra) installs the "python3" kernelspec into the venv; jupyter_client
    # starts it with this very interpreter, so the notebook sees the installed zhbridge.
    assert "python3" in KernelSpecManager().find_kernel_specs(), "ipykernel's python3 kernelspec is missing"
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), "commit the notebook without outputs"
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "pairs flagged" in text and "nrefs:1|case:mixed|eff:no|tok:13a" in text
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2  # corpus statistics plot and the evaluation report's PNG
