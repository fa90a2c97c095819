"""Shared fixtures: the real data sets beside the checkout."""

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def _data_root():
    # SKIMGCLF_TEST_DATA points at a folder laid out like ../shared/data.
    configured = os.environ.get("SKIMGCLF_TEST_DATA")
    if configured:
        return Path(configured)
    return REPO_ROOT.parent / "shared" / "data"


def _require_folder(path, what):
    """Return ``path``, or skip (outside CI) or fail (in CI) when it is missing."""
    if path.is_dir():
        return path
    message = (
        f"{what} not found at {path}. Set SKIMGCLF_TEST_DATA to the folder "
        "that contains fashion-mnist/ and facemask/."
    )
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def fashion_mnist_dir():
    """Folder with the four original Fashion-MNIST IDX gzip files."""
    return _require_folder(_data_root() / "fashion-mnist", "Fashion-MNIST")


@pytest.fixture(scope="session")
def facemask_dir():
    """Folder with the face-mask photos, one sub-folder per class."""
    return _require_folder(_data_root() / "facemask", "Face-mask photos")
