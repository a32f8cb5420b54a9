"""Start-up does not import what the app never uses: the hub's download client, pyrender's viewer."""

import subprocess
import sys

import pytest


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.body
def test_the_body_model_evaluates_without_importing_the_hub_client(body_model):
    out = _run(
        "import sys\n"
        "from avatar.body_model import Phenotype, load_body_model\n"
        "load_body_model().evaluate(Phenotype())\n"
        "import body_models._cache as c\n"
        "print('huggingface_hub' in sys.modules, 'httpx2' in sys.modules, c.hf_hub_download.__module__)\n"
        "import huggingface_hub\n"
        "print(hasattr(huggingface_hub, 'snapshot_download'))\n")
    assert out.splitlines() == ["False False avatar.deferred_import", "True"]  # the real one imports later


def test_pyrender_imports_without_its_viewer():
    out = _run(
        "import sys\n"
        "import app.render\n"
        "import pyrender\n"
        "print('pyglet.window' in sys.modules)\n"
        "try:\n"
        "    pyrender.Viewer(None)\n"
        "except RuntimeError as exc:\n"
        "    print('refused:', 'offscreen' not in str(exc) and 'SceneRenderer' in str(exc))\n")
    assert out.splitlines() == ["False", "refused: True"]
