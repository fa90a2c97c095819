"""KerasCNNClassifier in joblib worker processes and in repeated fits."""

import gc

import numpy as np
import psutil
import pytest
from joblib import Parallel, delayed
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, cross_validate

from skimgclf.cnn import KerasCNNClassifier


def small_classifier(**params):
    defaults = {
        "filters": (4,),
        "dense_units": 8,
        "dropout": 0.0,
        "dense_dropout": 0.0,
        "learning_rate": 0.02,
        "epochs": 2,
        "batch_size": 32,
        "random_state": 0,
    }
    return KerasCNNClassifier(**{**defaults, **params})


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return (X[:200] / 16).reshape(-1, 8, 8), y[:200]


def _tensorflow_thread_counts():
    from skimgclf.cnn._backend import import_keras

    tf, _ = import_keras()
    threading = tf.config.threading
    return (
        threading.get_intra_op_parallelism_threads(),
        threading.get_inter_op_parallelism_threads(),
    )


def test_loky_workers_limit_tensorflow_threads():
    # loky sets OMP_NUM_THREADS=cpu_count() // n_jobs in each worker.
    expected = max(psutil.cpu_count() // 2, 1)
    counts = Parallel(n_jobs=2, backend="loky")(
        delayed(_tensorflow_thread_counts)() for _ in range(2)
    )
    assert counts == [(expected, expected)] * 2


def test_grid_search_two_jobs_matches_one_job(digits):
    X, y = digits
    grid = {"dense_units": [4, 16]}
    searches = [
        GridSearchCV(small_classifier(), grid, cv=2, n_jobs=n_jobs).fit(X, y)
        for n_jobs in (1, 2)
    ]
    np.testing.assert_array_equal(
        searches[0].cv_results_["mean_test_score"], searches[1].cv_results_["mean_test_score"]
    )
    assert searches[1].best_params_ == searches[0].best_params_
    np.testing.assert_array_equal(searches[1].predict(X), searches[0].predict(X))


def test_cross_validate_returns_estimators_that_predict(digits):
    X, y = digits
    results = [
        cross_validate(small_classifier(), X, y, cv=2, n_jobs=n_jobs, return_estimator=True)
        for n_jobs in (1, 2)
    ]
    np.testing.assert_array_equal(results[0]["test_score"], results[1]["test_score"])
    for from_one_job, from_worker in zip(results[0]["estimator"], results[1]["estimator"]):
        np.testing.assert_array_equal(from_worker.predict_proba(X), from_one_job.predict_proba(X))


@pytest.mark.xfail(
    reason="TensorFlow 2.21 keeps about 2 MB per fitted network after the "
    "network is collected (plain model.fit keeps more), and "
    "keras.backend.clear_session does not release it",
    strict=False,
)
def test_repeated_fits_do_not_grow_memory(digits):
    X, y = digits
    process = psutil.Process()
    classifier = small_classifier(epochs=1)

    def fit_several(n_fits):
        for _ in range(n_fits):
            classifier.fit(X, y)
        gc.collect()
        return process.memory_info().rss

    # The first fits load TensorFlow's kernels and fill its caches.
    baseline = fit_several(5)
    after = fit_several(15)
    growth_per_fit = (after - baseline) / 15
    assert growth_per_fit < 1_000_000, f"RSS grew {growth_per_fit / 1e6:.2f} MB per fit"
