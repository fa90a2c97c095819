"""Checks that keep the documentation true to the code.

* numpydoc validation of every public class, its public methods and every
  public function, limited to the parameter, return and yield checks;
* every attribute that ``fit`` sets is documented, and every documented
  attribute exists after ``fit`` unless its description states when it is
  set;
* the API reference names every public object;
* the built HTML has a page with figures for each gallery example.

The docstring examples themselves run through ``--doctest-modules`` (see
``pyproject.toml``).
"""

import importlib
import inspect
import os
import re
from pathlib import Path

import numpy as np
import pytest

# numpydoc comes with the docs extra, which `make docs` installs (and
# .ci/run builds the docs before it runs the tests).
pytest.importorskip(
    "numpydoc", reason="numpydoc is not installed; run `make docs` or pip install '.[docs]'"
)
from numpydoc.docscrape import ClassDoc  # noqa: E402
from numpydoc.validate import validate  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
HTML_DIR = REPO_ROOT / "docs" / "_build" / "html"
EXAMPLES_DIR = REPO_ROOT / "examples"

PUBLIC_MODULES = (
    "skimgclf.preprocessing",
    "skimgclf.linear_model",
    "skimgclf.cnn",
    "skimgclf.datasets",
    "skimgclf.parallel",
    "skimgclf.utils",
)

# The numpydoc checks enforced here. Parameters: each one documented (PR01),
# none documented that does not exist (PR02), in the signature's order
# (PR03), with a type (PR04) in standard spelling and without a final period
# (PR05, PR06), a description (PR07) and "name : type" spacing (PR10).
# Returns: a section (RT01) with a description (RT03). Generators: a Yields
# section (YD01). Not enforced are the wording checks (capital letters,
# final periods) and RT02, which rejects scikit-learn's "name : type" style
# of Returns entries.
ENFORCED_CODES = {
    "PR01",
    "PR02",
    "PR03",
    "PR04",
    "PR05",
    "PR06",
    "PR07",
    "PR10",
    "RT01",
    "RT03",
    "YD01",
}

# Docstrings that fail an enforced check today. Each is a strict xfail, so
# the test fails as soon as the docstring is fixed and the entry can go.
KNOWN_DOCSTRING_DEFECTS = {}

# A documented attribute may be missing after fit only when its
# description states the condition, e.g. "Defined only when X was a 2-D
# array" or "set only when X has string column names".
CONDITIONAL_ATTRIBUTE = re.compile(r"\bonly\b", re.IGNORECASE)


def _public_objects():
    """Yield ``(dotted name, object)`` of each public class and function."""
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                yield f"{module_name}.{name}", obj


def _documented_names():
    """Return the dotted names that numpydoc validates: objects and methods."""
    names = []
    for dotted_name, obj in _public_objects():
        names.append(dotted_name)
        if not inspect.isclass(obj):
            continue
        # Only the members the class itself defines: inherited scikit-learn
        # methods are scikit-learn's to document.
        for member_name, member in vars(obj).items():
            if member_name.startswith("_"):
                continue
            if inspect.isfunction(member) or isinstance(member, property):
                names.append(f"{dotted_name}.{member_name}")
    return names


def _with_known_defects(names):
    params = []
    for name in names:
        if name in KNOWN_DOCSTRING_DEFECTS:
            mark = pytest.mark.xfail(reason=KNOWN_DOCSTRING_DEFECTS[name], strict=True)
            params.append(pytest.param(name, marks=mark, id=name))
        else:
            params.append(pytest.param(name, id=name))
    return params


@pytest.mark.parametrize("name", _with_known_defects(_documented_names()))
def test_docstring_parameters_and_returns(name):
    result = validate(name)
    errors = [
        f"{code}: {message}"
        for code, message in result["errors"]
        if code in ENFORCED_CODES
    ]
    assert not errors, f"{name} docstring:\n" + "\n".join(errors)


def test_validation_covers_every_public_module():
    names = _documented_names()
    for module_name in PUBLIC_MODULES:
        assert any(name.startswith(module_name + ".") for name in names), module_name


# --- Fitted attributes ------------------------------------------------------


def _small_images(n_samples=24, side=6, seed=0):
    """Return flattened uint8 images with two classes and their labels."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 256, size=(n_samples, side * side), dtype=np.uint8)
    y = np.repeat([0, 1], n_samples // 2)
    # Brighten class 1 so that the classifiers have something to learn.
    X[y == 1] = X[y == 1] // 2 + 128
    return X, y


def _estimators():
    from skimgclf.cnn import KerasCNNClassifier
    from skimgclf.linear_model import SGDLogisticRegression
    from skimgclf.preprocessing import Flattener, Grayscaler, ImageResizer, PixelScaler

    return [
        pytest.param(ImageResizer(output_shape=(4, 4)), id="ImageResizer"),
        pytest.param(Grayscaler(), id="Grayscaler"),
        pytest.param(PixelScaler(), id="PixelScaler"),
        pytest.param(Flattener(), id="Flattener"),
        pytest.param(
            SGDLogisticRegression(max_iter=2, tol=None, random_state=0),
            id="SGDLogisticRegression",
        ),
        pytest.param(
            KerasCNNClassifier(
                filters=(2,), dense_units=4, epochs=1, batch_size=8, random_state=0
            ),
            id="KerasCNNClassifier",
        ),
    ]


@pytest.mark.parametrize("estimator", _estimators())
def test_fitted_attributes_match_docstring(estimator):
    X, y = _small_images()
    X = X.astype(np.float32) / 255 if hasattr(estimator, "predict") else X
    estimator.fit(X, y)

    documented = {
        attribute.name: " ".join(attribute.desc)
        for attribute in ClassDoc(type(estimator))["Attributes"]
    }
    fitted = {
        name
        for name in vars(estimator)
        if name.endswith("_") and not name.startswith("_")
    }
    undocumented = sorted(fitted - set(documented))
    assert not undocumented, (
        f"{type(estimator).__name__} sets {undocumented} in fit, but its "
        "Attributes section does not list them."
    )
    missing = sorted(
        name
        for name in set(documented) - fitted
        if not CONDITIONAL_ATTRIBUTE.search(documented[name])
    )
    assert not missing, (
        f"{type(estimator).__name__} documents {missing}, but fit does not set "
        "them and their descriptions name no condition."
    )


# --- API reference -----------------------------------------------------------


def test_api_reference_lists_every_public_name():
    api_page = (REPO_ROOT / "docs" / "api.rst").read_text(encoding="utf-8")
    listed = set(re.findall(r"[\w.]+", api_page))
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        missing = [name for name in module.__all__ if name not in listed]
        assert not missing, f"docs/api.rst does not list {module_name}: {missing}"


# --- Built HTML ------------------------------------------------------------------


def _in_ci():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _example_scripts():
    return sorted(EXAMPLES_DIR.glob("plot_*.py"))


# The data folders under SKIMGCLF_DATA that an example reads, recognised by
# the loader call in its source. Outside CI, docs/conf.py leaves an example
# unexecuted when one of them is missing, so its page has no figures.
EXAMPLE_DATA_MARKERS = {
    "fashion-mnist": "load_fashion_mnist(",
    "facemask": '"facemask"',
}


def _missing_example_data(script):
    source = script.read_text(encoding="utf-8")
    data_home = Path(
        os.environ.get("SKIMGCLF_DATA") or REPO_ROOT.parent / "shared" / "data"
    )
    return [
        folder
        for folder, marker in EXAMPLE_DATA_MARKERS.items()
        if marker in source and not (data_home / folder).is_dir()
    ]


@pytest.fixture(scope="module")
def html_dir():
    if HTML_DIR.is_dir():
        return HTML_DIR
    if _in_ci():
        pytest.fail(
            f"{HTML_DIR} does not exist. In CI, run `make docs` before `make test`."
        )
    pytest.skip(f"{HTML_DIR} does not exist; run `make docs` to check the built site.")


def test_gallery_has_examples():
    assert len(_example_scripts()) >= 5


@pytest.mark.parametrize("script", _example_scripts(), ids=lambda path: path.stem)
def test_gallery_page_embeds_its_figures(html_dir, script):
    page = html_dir / "auto_examples" / f"{script.stem}.html"
    assert page.is_file(), f"{page} was not built"

    missing_data = _missing_example_data(script)
    if missing_data and not _in_ci():
        pytest.skip(f"{script.name} was not run because {missing_data} is missing")

    html = page.read_text(encoding="utf-8")
    figures = re.findall(
        rf'<img[^>]+src="([^"]*sphx_glr_{re.escape(script.stem)}_\d+\.png)"', html
    )
    assert figures, f"{page.name} embeds no figure of {script.name}"
    for source in figures:
        assert (page.parent / source).resolve().is_file(), f"{page.name}: {source} is missing"
