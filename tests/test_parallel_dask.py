"""Searches of skimgclf pipelines on a Dask cluster through joblib.

Every test runs against one real LocalCluster per module: two worker
processes with one thread each, bound to 127.0.0.1 with no dashboard. The
results of each search must equal the ``n_jobs=1`` run with the same seeds.
"""

import importlib.util
import os
import subprocess
import sys

import joblib
import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
from sklearn.pipeline import Pipeline

from skimgclf.datasets import load_image_folder
from skimgclf.linear_model import SGDLogisticRegression
from skimgclf.parallel import check_dask_installed, dask_backend
from skimgclf.preprocessing import Flattener, Grayscaler, ImageResizer, PixelScaler

distributed = pytest.importorskip("distributed")

N_PHOTOS = 48

# find_spec checks that TensorFlow is installed without importing it in the
# test process; only the workers import it.
requires_tensorflow = pytest.mark.skipif(
    importlib.util.find_spec("tensorflow") is None, reason="TensorFlow is not installed"
)


@pytest.fixture(scope="module")
def dask_client():
    """Client of a 2-worker LocalCluster on the loopback interface."""
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster, distributed.Client(cluster) as client:
        client.wait_for_workers(2)
        yield client


@pytest.fixture(scope="module")
def facemask_paths(facemask_dir):
    """Absolute paths and labels of a stratified subset of face-mask photos."""
    bunch = load_image_folder(facemask_dir)
    rng = np.random.RandomState(0)
    rows = np.concatenate(
        [
            rng.choice(np.flatnonzero(bunch.target == label), N_PHOTOS // 2, replace=False)
            for label in (0, 1)
        ]
    )
    rng.shuffle(rows)
    paths = [os.path.abspath(path) for path in bunch.filenames[rows]]
    return paths, bunch.target[rows]


@pytest.fixture(scope="module")
def facemask_arrays(facemask_paths):
    """The same photos decoded to 24x24 RGB ``uint8`` arrays."""
    paths, y = facemask_paths
    return ImageResizer(output_shape=(24, 24)).fit_transform(paths), y


@pytest.fixture(scope="module")
def lr_search_on_paths(facemask_paths):
    """The sequential (``n_jobs=1``) LR grid search on the photo paths."""
    X, y = facemask_paths
    return _search(_lr_pipeline(), LR_GRID, X, y, n_jobs=1)


def _lr_pipeline():
    return Pipeline(
        [
            ("resize", ImageResizer(output_shape=(12, 12), n_jobs=1)),
            ("gray", Grayscaler()),
            ("scale", PixelScaler()),
            ("flatten", Flattener()),
            ("clf", SGDLogisticRegression(max_iter=5, random_state=0)),
        ]
    )


def _cnn_pipeline():
    from skimgclf.cnn import KerasCNNClassifier

    return Pipeline(
        [
            ("resize", ImageResizer(output_shape=(12, 12), n_jobs=1)),
            ("scale", PixelScaler()),
            (
                "clf",
                KerasCNNClassifier(
                    filters=(4,), dense_units=8, epochs=1, batch_size=16, random_state=0
                ),
            ),
        ]
    )


LR_GRID = {"resize__output_shape": [(8, 8), (12, 12)], "clf__alpha": [1e-4, 1e-1]}
CNN_GRID = {"clf__dense_units": [4, 8]}
CV = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
CNN_CV = StratifiedKFold(n_splits=2, shuffle=True, random_state=0)


def _search(pipeline, grid, X, y, cv=CV, **kwargs):
    search = GridSearchCV(pipeline, grid, cv=cv, **kwargs)
    return search.fit(X, y)


def _assert_same_cv_results(actual, expected):
    assert actual.cv_results_["params"] == expected.cv_results_["params"]
    if actual.refit:
        assert actual.best_params_ == expected.best_params_
    for key in expected.cv_results_:
        if "test_score" in key:
            np.testing.assert_array_equal(
                actual.cv_results_[key], expected.cv_results_[key], err_msg=key
            )


class FailingClassifier(ClassifierMixin, BaseEstimator):
    """Classifier whose fit raises, to test that worker errors surface."""

    def fit(self, X, y):
        raise RuntimeError(f"fit failed on purpose in process {os.getpid()}")


class ExitOnceClassifier(ClassifierMixin, BaseEstimator):
    """Classifier wrapper whose first fit kills its own process.

    The first fit creates the file ``marker`` and then calls ``os._exit``,
    which ends the worker process without any cleanup, as a crash or an
    out-of-memory kill would. Later fits find the marker and train
    ``estimator`` normally.
    """

    def __init__(self, estimator=None, marker=None):
        self.estimator = estimator
        self.marker = marker

    def fit(self, X, y):
        try:
            with open(self.marker, "x"):
                pass
        except FileExistsError:
            pass
        else:
            os._exit(1)
        self.estimator_ = clone(self.estimator).fit(X, y)
        self.classes_ = self.estimator_.classes_
        return self

    def predict(self, X):
        return self.estimator_.predict(X)


def test_lr_grid_search_on_paths_matches_sequential(
    dask_client, facemask_paths, lr_search_on_paths
):
    X, y = facemask_paths

    with joblib.parallel_config(backend="dask"):
        actual = _search(_lr_pipeline(), LR_GRID, X, y)

    assert len(actual.cv_results_["params"]) * CV.get_n_splits() == 12
    _assert_same_cv_results(actual, lr_search_on_paths)


def test_lr_grid_search_on_arrays_matches_sequential(dask_client, facemask_arrays):
    X, y = facemask_arrays
    expected = _search(_lr_pipeline(), LR_GRID, X, y, n_jobs=1)

    with joblib.parallel_config(backend="dask"):
        actual = _search(_lr_pipeline(), LR_GRID, X, y)

    assert len(actual.cv_results_["params"]) * CV.get_n_splits() == 12
    _assert_same_cv_results(actual, expected)


@pytest.mark.parametrize("input_kind", ["paths", "arrays"])
def test_lr_cross_validate_matches_sequential(
    dask_client, facemask_paths, facemask_arrays, input_kind
):
    X, y = facemask_paths if input_kind == "paths" else facemask_arrays
    expected = cross_validate(_lr_pipeline(), X, y, cv=CV, n_jobs=1)

    with dask_backend(dask_client):
        actual = cross_validate(_lr_pipeline(), X, y, cv=CV)

    np.testing.assert_array_equal(actual["test_score"], expected["test_score"])


def _on_one_worker(client, function, *args):
    # The sequential reference of the CNN tests runs in a worker process,
    # where the Dask runs import TensorFlow anyway, so that the test process
    # does not pay for a third TensorFlow import.
    worker = sorted(client.scheduler_info()["workers"])[0]
    return client.submit(function, *args, workers=[worker], pure=False).result()


def _cnn_search_sequential(X, y):
    return _search(_cnn_pipeline(), CNN_GRID, X, y, cv=CNN_CV, refit=False, n_jobs=1)


def _cnn_cross_validate_sequential(X, y):
    return cross_validate(_cnn_pipeline(), X, y, cv=CNN_CV, n_jobs=1)


@requires_tensorflow
def test_cnn_grid_search_on_paths_matches_sequential(dask_client, facemask_paths):
    X, y = facemask_paths
    expected = _on_one_worker(dask_client, _cnn_search_sequential, X, y)

    with joblib.parallel_config(backend="dask"):
        actual = _search(_cnn_pipeline(), CNN_GRID, X, y, cv=CNN_CV, refit=False)

    _assert_same_cv_results(actual, expected)


@requires_tensorflow
def test_cnn_cross_validate_on_arrays_matches_sequential(dask_client, facemask_arrays):
    X, y = facemask_arrays
    expected = _on_one_worker(dask_client, _cnn_cross_validate_sequential, X, y)

    with dask_backend(dask_client, scatter=[X, y]):
        actual = cross_validate(_cnn_pipeline(), X, y, cv=CNN_CV)

    np.testing.assert_array_equal(actual["test_score"], expected["test_score"])


def _count_scatters_of(client, monkeypatch, array):
    """Count the calls of ``client.scatter`` whose data is or contains ``array``."""
    calls = []
    original = client.scatter

    def counting_scatter(data, *args, **kwargs):
        items = data if isinstance(data, (list, tuple)) else [data]
        if any(item is array for item in items):
            calls.append(kwargs)
        return original(data, *args, **kwargs)

    monkeypatch.setattr(client, "scatter", counting_scatter)
    return calls


def test_explicit_scatter_sends_array_once(dask_client, facemask_arrays, monkeypatch):
    X, y = facemask_arrays
    calls = _count_scatters_of(dask_client, monkeypatch, X)

    with dask_backend(dask_client, scatter=[X, y]):
        search = _search(_lr_pipeline(), LR_GRID, X, y)

    assert len(search.cv_results_["params"]) == 4
    assert len(calls) == 1
    assert calls[0].get("broadcast") is True


def test_search_scatters_array_once_per_call(dask_client, facemask_arrays, monkeypatch):
    X, y = facemask_arrays
    calls = _count_scatters_of(dask_client, monkeypatch, X)

    with dask_backend(dask_client):
        _search(_lr_pipeline(), LR_GRID, X, y)

    # joblib sends an argument above 1 kB once per Parallel call, and a
    # grid search evaluates all 12 fits in one Parallel call.
    assert len(calls) == 1


def test_worker_error_surfaces_with_message(dask_client, facemask_arrays):
    X, y = facemask_arrays
    pipeline = Pipeline([("flatten", Flattener()), ("clf", FailingClassifier())])

    with joblib.parallel_config(backend="dask"):
        with pytest.raises(RuntimeError, match="fit failed on purpose") as excinfo:
            cross_validate(pipeline, X, y, cv=CV, error_score="raise")

    worker_pids = set(dask_client.run(os.getpid).values())
    message = str(excinfo.value)
    assert any(f"in process {pid}" in message for pid in worker_pids)


def test_path_missing_on_worker_raises(dask_client, facemask_paths, tmp_path):
    X, y = facemask_paths
    X = [*X[:-1], str(tmp_path / "only_on_the_client.jpg")]

    with joblib.parallel_config(backend="dask"):
        with pytest.raises(ValueError, match="Image file not found.*only_on_the_client"):
            cross_validate(_lr_pipeline(), X, y, cv=CV, error_score="raise")


def test_killed_worker_is_retried(
    dask_client, facemask_paths, lr_search_on_paths, tmp_path
):
    X, y = facemask_paths
    expected = lr_search_on_paths
    pipeline = _lr_pipeline()
    pipeline.steps[-1] = (
        "clf",
        ExitOnceClassifier(pipeline.named_steps["clf"], str(tmp_path / "exited")),
    )
    grid = {"resize__output_shape": LR_GRID["resize__output_shape"],
            "clf__estimator__alpha": LR_GRID["clf__alpha"]}
    pids_before = set(dask_client.run(os.getpid).values())

    with joblib.parallel_config(backend="dask"):
        actual = _search(pipeline, grid, X, y)

    assert (tmp_path / "exited").exists()
    dask_client.wait_for_workers(2)
    pids_after = set(dask_client.run(os.getpid).values())
    assert pids_after != pids_before
    for key in expected.cv_results_:
        if "test_score" in key:
            np.testing.assert_array_equal(
                actual.cv_results_[key], expected.cv_results_[key], err_msg=key
            )


def test_dask_backend_opens_client_for_address(dask_client, facemask_arrays):
    X, y = facemask_arrays
    address = dask_client.scheduler.address
    assert address.startswith("tcp://127.0.0.1:")

    with dask_backend(address) as client:
        assert client is not dask_client
        scores = cross_validate(_lr_pipeline(), X, y, cv=CV)["test_score"]

    assert client.status == "closed"
    assert scores.shape == (3,)


def test_dask_backend_without_client_raises(monkeypatch):
    def no_client():
        raise ValueError("No clients found")

    monkeypatch.setattr(distributed, "get_client", no_client)
    with pytest.raises(ValueError, match="dask_backend found no Dask client"):
        with dask_backend():
            pass


@pytest.mark.parametrize("missing", ["dask", "distributed"])
def test_missing_extra_names_install_command(monkeypatch, missing):
    # A None entry in sys.modules makes the import statement raise ImportError.
    monkeypatch.setitem(sys.modules, missing, None)

    with pytest.raises(ImportError, match=r'pip install "skimgclf\[dask\]"'):
        check_dask_installed()
    with pytest.raises(ImportError, match=r'pip install "skimgclf\[dask\]"'):
        with dask_backend():
            pass


def test_import_does_not_load_dask():
    code = (
        "import sys, skimgclf, skimgclf.parallel, skimgclf.datasets; "
        "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"
