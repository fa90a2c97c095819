"""`import skimgclf` stays light: no TensorFlow, Keras or matplotlib."""

import subprocess
import sys

import pytest

HEAVY_MODULES = ("tensorflow", "keras", "matplotlib")


def _modules_loaded_after(statement):
    code = (
        f"{statement}\n"
        "import sys\n"
        f"print(','.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return completed.stdout.strip()


@pytest.mark.parametrize(
    "statement",
    [
        "import skimgclf",
        "from skimgclf import ImageResizer, Grayscaler, PixelScaler, Flattener",
        "from skimgclf.preprocessing import ImageResizer",
    ],
)
def test_import_skips_heavy_modules(statement):
    assert _modules_loaded_after(statement) == ""


def test_public_names_resolve():
    import skimgclf

    for name in skimgclf.__all__:
        assert getattr(skimgclf, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'NotAThing'"):
        skimgclf.NotAThing  # noqa: B018
