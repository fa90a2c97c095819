"""Sphinx configuration of the skimgclf documentation.

The build is offline: no intersphinx inventories are fetched, and the
gallery examples that need Fashion-MNIST or the face-mask photos read them
from the folder named by ``SKIMGCLF_DATA``.
"""

import os
import re
import sys
from pathlib import Path

DOCS_DIR = Path(__file__).resolve().parent
REPO_DIR = DOCS_DIR.parent

# The examples read their data through SKIMGCLF_DATA. When it is unset, use
# the shared data folder that sits next to the repository, if there is one.
_shared_data = REPO_DIR.parent / "shared" / "data"
if not os.environ.get("SKIMGCLF_DATA") and _shared_data.is_dir():
    os.environ["SKIMGCLF_DATA"] = str(_shared_data)

# Examples draw figures without a display.
os.environ.setdefault("MPLBACKEND", "Agg")

sys.path.insert(0, str(REPO_DIR))

import skimgclf  # noqa: E402

project = "skimgclf"
author = "skimgclf developers"
copyright = "skimgclf developers"
release = skimgclf.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

exclude_patterns = ["_build", "**.ipynb_checkpoints", "auto_examples/*.ipynb"]
templates_path = []
default_role = "literal"

# autodoc and autosummary: one generated page per public name. Inherited
# members are documented when skimgclf defines them (set_output of the image
# transformers); _skip_inherited_members below drops scikit-learn's.
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"

# numpydoc renders the docstring sections. The tables of methods come from
# autosummary's class template, so numpydoc does not add a second one.
numpydoc_show_class_members = False
numpydoc_show_inherited_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True

# The data folders under SKIMGCLF_DATA that a gallery example reads,
# recognised by the loader call in its source (tests/test_docs.py uses the
# same markers).
EXAMPLE_DATA_MARKERS = {
    "fashion-mnist": "load_fashion_mnist(",
    "facemask": '"facemask"',
}


def _examples_missing_data():
    """Return the example scripts whose data folder is missing."""
    data_home = Path(os.environ.get("SKIMGCLF_DATA") or "~/skimgclf_data").expanduser()
    missing = []
    for script in sorted((REPO_DIR / "examples").glob("plot_*.py")):
        source = script.read_text(encoding="utf-8")
        if any(
            marker in source and not (data_home / folder).is_dir()
            for folder, marker in EXAMPLE_DATA_MARKERS.items()
        ):
            missing.append(script.name)
    return missing


def _executed_examples_pattern():
    """Match every plot_*.py, less those without data when outside CI.

    In CI every example runs, so missing data fails the build. Elsewhere an
    example without its data is rendered with its text and code but not
    run, instead of failing the build or downloading the data.
    """
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    skipped = [] if in_ci else _examples_missing_data()
    for name in skipped:
        print(f"skimgclf docs: not running {name}, its data is not in SKIMGCLF_DATA")
    if not skipped:
        return r"/plot_"
    names = "|".join(re.escape(name) for name in skipped)
    return rf"/(?!(?:{names})$)plot_"


# The example gallery. Every plot_*.py script with its data runs during the
# build, so a broken example fails `make docs`.
sphinx_gallery_conf = {
    "examples_dirs": str(REPO_DIR / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": _executed_examples_pattern(),
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "remove_config_comments": True,
    "image_scrapers": ("matplotlib",),
    "abort_on_example_error": False,
    "only_warn_on_example_error": False,
    "download_all_examples": False,
    "show_memory": False,
    "doc_module": ("skimgclf",),
    "backreferences_dir": "generated/backreferences",
    "min_reported_time": 5,
}

html_theme = "pydata_sphinx_theme"
html_title = f"skimgclf {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 8,
}
html_static_path = []
html_show_sourcelink = False




# The benchmark pages, the study results and the migration guide are written
# by other authors and may not all exist yet. Sphinx warns about a toctree
# entry whose page is missing and about a glob that matches nothing, and the
# glob warning has no type that `suppress_warnings` could name. So the
# toctree lines below are dropped from the page source before it is parsed
# when they have no page to point to.
def _has_pages(folder, *, besides=None):
    return any(page != besides for page in folder.glob("*.rst"))


_OPTIONAL_TOCTREE_LINES = {
    # docname: {toctree line: whether its page(s) exist}
    "index": {
        "   migrating": lambda: (DOCS_DIR / "migrating.rst").is_file(),
        "   results/index": lambda: (DOCS_DIR / "results" / "index.rst").is_file(),
    },
    "benchmarks/index": {
        "   *": lambda: _has_pages(
            DOCS_DIR / "benchmarks", besides=DOCS_DIR / "benchmarks" / "index.rst"
        ),
    },
}


def _drop_missing_toctree_lines(app, docname, source):
    optional = _OPTIONAL_TOCTREE_LINES.get(docname)
    if optional is None:
        return
    lines = [
        line
        for line in source[0].split("\n")
        if line not in optional or optional[line]()
    ]
    source[0] = "\n".join(lines)


# The API pages document the members that skimgclf defines. Methods inherited
# from scikit-learn (get_params, score, set_fit_request, ...) are documented
# by scikit-learn, and their docstrings link to labels of its own site.
def _skip_inherited_members(app, what, name, obj, skip, options):
    # autodoc passes the type of the class ("class"), autosummary's class
    # template the type of the member ("method", "property").
    if what not in ("class", "method", "property", "attribute"):
        return None
    function = getattr(obj, "fget", obj)
    module = getattr(function, "__module__", None) or ""
    if not module.startswith("skimgclf"):
        return True
    return None


def setup(app):
    app.connect("source-read", _drop_missing_toctree_lines)
    app.connect("autodoc-skip-member", _skip_inherited_members)
