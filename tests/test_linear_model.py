"""Tests of SGDLogisticRegression: scikit-learn contract, optimum, numerics."""

import pickle
import re
import tracemalloc
import warnings

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits, make_classification
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import parametrize_with_checks

from skimgclf.linear_model import SGDLogisticRegression
from skimgclf.linear_model._loss import PenalisedCrossEntropy
from skimgclf.linear_model._newton import newton_cg
from skimgclf.linear_model._schedules import LearningRateSchedule


def _penalised_cost(X, y, coef, intercept, alpha):
    """Return the cost minimised by SGDLogisticRegression, unit weights."""
    classes = np.unique(y)
    problem = PenalisedCrossEntropy(
        X,
        np.searchsorted(classes, y),
        np.full(X.shape[0], 1.0 / X.shape[0]),
        n_classes=classes.size,
        alpha=alpha,
        fit_intercept=True,
    )
    return problem.cost(np.column_stack([coef, intercept]))


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


# The default passes scikit-learn's sample-weight equivalence check only
# because that check's 15 rows fit in one minibatch, which turns SGD into
# deterministic full-batch gradient descent. With several minibatches per
# epoch, a finite SGD run is not equivalent to repeating rows. The Newton
# instance converges to the unique optimum, where the weights are exact.
@parametrize_with_checks(
    [
        SGDLogisticRegression(random_state=0),
        SGDLogisticRegression(newton_steps=50, tol=1e-12, random_state=0),
    ]
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize("binary", [True, False], ids=["binary", "multinomial"])
def test_newton_matches_sklearn_optimum(digits, binary):
    X, y = digits
    if binary:
        y = (y > 4).astype(int)
    alpha = 1e-2
    ours = SGDLogisticRegression(
        alpha=alpha, max_iter=2, newton_steps=50, tol=1e-10, random_state=0
    ).fit(X, y)
    # newton-cg stops on the same criterion (largest absolute gradient entry)
    # and converges in a few iterations, where lbfgs needs hundreds.
    reference = LogisticRegression(
        C=1.0 / (alpha * X.shape[0]), solver="newton-cg", tol=1e-8, max_iter=1000
    ).fit(X, y)

    our_cost = _penalised_cost(X, y, ours.coef_, ours.intercept_, alpha)
    reference_cost = _penalised_cost(
        X, y, reference.coef_, reference.intercept_, alpha
    )
    assert our_cost == pytest.approx(reference_cost, rel=1e-6)
    assert our_cost <= reference_cost * (1 + 1e-12)
    np.testing.assert_allclose(ours.coef_, reference.coef_, atol=1e-4)
    np.testing.assert_allclose(ours.intercept_, reference.intercept_, atol=1e-4)
    np.testing.assert_array_equal(ours.predict(X), reference.predict(X))
    assert ours.loss_curve_[-1] == pytest.approx(our_cost, rel=1e-12)


def test_newton_only_fit_matches_sgd_then_newton(digits):
    X, y = digits
    y = y % 3
    kwargs = dict(alpha=1e-2, newton_steps=50, tol=1e-10, random_state=0)
    newton_only = SGDLogisticRegression(max_iter=0, **kwargs).fit(X, y)
    with_sgd = SGDLogisticRegression(max_iter=3, **kwargs).fit(X, y)
    np.testing.assert_allclose(newton_only.coef_, with_sgd.coef_, atol=1e-6)
    assert newton_only.eta0_ is None
    assert newton_only.n_iter_ == len(newton_only.loss_curve_)


def test_newton_steps_never_increase_cost(digits):
    X, y = digits
    alpha = 1e-4
    sgd = SGDLogisticRegression(alpha=alpha, max_iter=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sgd.fit(X, y)
        finished = clone(sgd).set_params(newton_steps=6, tol=0.0).fit(X, y)

    newton_costs = finished.loss_curve_[2:]
    assert len(newton_costs) == 6
    assert np.all(np.isfinite(finished.loss_curve_))
    start_cost = _penalised_cost(X, y, sgd.coef_, sgd.intercept_, alpha)
    assert newton_costs[0] <= start_cost
    assert np.all(np.diff(newton_costs) <= 0)


def test_line_search_rejects_uphill_newton_steps():
    # From logits of order 1e3 the pure Newton step on a separable problem
    # overshoots; the line search must still lower the cost at every step.
    rng = np.random.RandomState(0)
    X = rng.standard_normal((200, 5))
    target = (X[:, 0] > 0).astype(np.intp)
    problem = PenalisedCrossEntropy(
        X, target, np.full(200, 1 / 200), n_classes=2, alpha=1e-3, fit_intercept=True
    )
    start = np.full((1, 6), -300.0)
    costs = [problem.cost(start)]
    params, n_iter, converged = newton_cg(
        problem.cost_gradient_hessp,
        problem.cost,
        start,
        max_iter=40,
        tol=1e-8,
        max_cg_iter=50,
        callback=lambda iteration, cost, gradient_max: costs.append(cost),
    )
    assert converged
    assert n_iter == len(costs) - 1
    assert np.all(np.diff(costs) <= 0)
    assert costs[-1] < 0.2
    np.testing.assert_array_equal(start, -300.0)


def test_newton_uses_bounded_memory_for_wide_images():
    # 224 x 224 x 3 = 150,528 features: the Hessian would hold 2.3e10
    # numbers, so the fit must stay within a few copies of X.
    rng = np.random.RandomState(0)
    n_features = 224 * 224 * 3
    X = rng.rand(12, n_features).astype(np.float32)
    y = np.repeat([0, 1, 2], 4)
    clf = SGDLogisticRegression(max_iter=1, newton_steps=2, tol=None, random_state=0)
    tracemalloc.start()
    try:
        clf.fit(X, y)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert clf.coef_.shape == (3, n_features)
    assert clf.coef_.dtype == np.float32
    assert peak < 6 * X.nbytes
    assert np.all(np.isfinite(clf.loss_curve_))


def test_float32_trains_without_float64_copy():
    rng = np.random.RandomState(0)
    X = rng.rand(20000, 100).astype(np.float32)
    y = (X[:, 0] + X[:, 1] > 1).astype(int)
    clf = SGDLogisticRegression(max_iter=2, tol=None, random_state=0)
    tracemalloc.start()
    try:
        clf.fit(X, y)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert clf.coef_.dtype == np.float32
    assert clf.intercept_.dtype == np.float32
    # A float64 copy of X alone would be 2 * X.nbytes.
    assert peak < 0.5 * X.nbytes
    assert clf.decision_function(X).dtype == np.float32


def test_float64_trains_in_float64(digits):
    X, y = digits
    clf = SGDLogisticRegression(max_iter=2, tol=None, random_state=0).fit(X, y)
    assert clf.coef_.dtype == np.float64
    assert clf.predict_proba(X).dtype == np.float64


def test_predict_proba_finite_for_huge_logits(digits):
    X, y = digits
    clf = SGDLogisticRegression(max_iter=2, tol=None, random_state=0).fit(X, y)
    clf.coef_ = clf.coef_ * 1e300
    proba = clf.predict_proba(X)
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(
        clf.predict(X), clf.classes_[np.argmax(proba, axis=1)]
    )
    log_proba = clf.predict_log_proba(X)
    assert not np.any(np.isnan(log_proba))


@pytest.mark.parametrize("binary", [True, False], ids=["binary", "multinomial"])
def test_unscaled_pixels_train_without_nan(binary):
    # 0-255 pixels without division by 255: eta0='auto' scales the step.
    rng = np.random.RandomState(0)
    n_classes = 2 if binary else 4
    y = rng.randint(n_classes, size=600)
    prototypes = rng.randint(0, 256, size=(n_classes, 64))
    noise = rng.randint(-60, 61, size=(600, 64))
    X = np.clip(prototypes[y] + noise, 0, 255).astype(np.uint8)
    clf = SGDLogisticRegression(max_iter=10, tol=None, random_state=0).fit(X, y)
    proba = clf.predict_proba(X)
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert np.all(np.isfinite(clf.loss_curve_))
    assert clf.score(X, y) > 0.95


def test_huge_features_finite_or_error():
    rng = np.random.RandomState(0)
    X = rng.rand(100, 4)
    y = (X[:, 0] > 0.5).astype(int)
    X_huge = X * 1e99
    clf = SGDLogisticRegression(max_iter=5, tol=None, random_state=0)
    clf.fit(X_huge, y)
    assert np.all(np.isfinite(clf.coef_))
    assert np.all(np.isfinite(clf.predict_proba(X_huge)))
    assert clf.score(X_huge, y) > 0.9

    X_overflow = X * 1e200
    with pytest.raises(ValueError, match="too large to train on"):
        clf.fit(X_overflow, y)

    clf.fit(X, y)
    mixed = np.array([[1e308, -1e308, 1e308, -1e308]])
    clf.coef_ = np.array([[1e10, 1e10, 1e10, 1e10]])
    with pytest.raises(ValueError, match="overflowed to NaN"):
        clf.predict_proba(mixed)


def test_divergent_constant_step_raises(digits):
    X, y = digits
    clf = SGDLogisticRegression(eta0=1e300, learning_rate="constant", random_state=0)
    with pytest.raises(ValueError, match=r"SGD diverged.*Lower eta0"):
        clf.fit(X, y)


@pytest.mark.parametrize(
    "labels",
    [
        np.array(["cat", "dog", "emu"]),
        np.array([-7, 3, 100]),
        np.array([1.0, 3.0, 8.0]),
    ],
    ids=["strings", "negative-int", "float"],
)
def test_any_labels_round_trip(digits, labels):
    X, y = digits
    y_labels = labels[y % 3]
    clf = SGDLogisticRegression(max_iter=3, tol=None, random_state=0)
    clf.fit(X, y_labels)
    np.testing.assert_array_equal(clf.classes_, np.unique(labels))
    predicted = clf.predict(X)
    assert set(predicted) <= set(labels)
    np.testing.assert_array_equal(
        predicted, clf.classes_[np.argmax(clf.predict_proba(X), axis=1)]
    )
    assert clf.score(X, y_labels) > 0.5


def test_binary_shapes_and_decision_sign(digits):
    X, y = digits
    y_labels = np.where(y > 4, "high", "low")
    clf = SGDLogisticRegression(max_iter=3, tol=None, random_state=0)
    clf.fit(X, y_labels)
    assert clf.coef_.shape == (1, 64)
    assert clf.intercept_.shape == (1,)
    decision = clf.decision_function(X)
    assert decision.shape == (X.shape[0],)
    np.testing.assert_array_equal(
        clf.predict(X), np.where(decision > 0, clf.classes_[1], clf.classes_[0])
    )
    assert clf.predict_proba(X).shape == (X.shape[0], 2)


def test_multinomial_shapes(digits):
    X, y = digits
    clf = SGDLogisticRegression(max_iter=2, tol=None, random_state=0).fit(X, y)
    assert clf.coef_.shape == (10, 64)
    assert clf.intercept_.shape == (10,)
    assert clf.decision_function(X).shape == (X.shape[0], 10)
    assert clf.predict_log_proba(X).shape == (X.shape[0], 10)
    assert clf.n_features_in_ == 64


def test_fit_without_intercept(digits):
    X, y = digits
    clf = SGDLogisticRegression(
        fit_intercept=False, max_iter=20, tol=None, random_state=0
    )
    clf.fit(X, y)
    np.testing.assert_array_equal(clf.intercept_, np.zeros(10))
    assert clf.score(X, y) > 0.9


def test_class_weight_dict_matches_sample_weight(digits):
    X, y = digits
    y_labels = np.where(y > 4, "high", "low")
    kwargs = dict(alpha=1e-2, max_iter=0, newton_steps=30, tol=1e-10)
    weighted = SGDLogisticRegression(
        class_weight={"high": 3.0, "low": 1.0}, **kwargs
    ).fit(X, y_labels)
    by_rows = SGDLogisticRegression(**kwargs).fit(
        X, y_labels, sample_weight=np.where(y_labels == "high", 3.0, 1.0)
    )
    np.testing.assert_allclose(weighted.coef_, by_rows.coef_, rtol=1e-6)


def test_class_weight_balanced_fit(digits):
    X, y = digits
    y_binary = (y == 0).astype(int)
    clf = SGDLogisticRegression(class_weight="balanced", max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y_binary)
    assert clf.predict(X[y_binary == 1]).mean() > 0.95


def test_class_weight_balanced_rejected_in_partial_fit(digits):
    X, y = digits
    clf = SGDLogisticRegression(class_weight="balanced")
    with pytest.raises(ValueError, match="'balanced' is not available in partial_fit"):
        clf.partial_fit(X, y, classes=np.arange(10))


def test_sample_weight_not_modified_and_zero_rejected(digits):
    X, y = digits
    weights = np.linspace(0.5, 2.0, X.shape[0])
    original = weights.copy()
    X_original = X.copy()
    SGDLogisticRegression(
        max_iter=2, tol=None, early_stopping=True, random_state=0
    ).fit(X, y, sample_weight=weights)
    np.testing.assert_array_equal(weights, original)
    np.testing.assert_array_equal(X, X_original)
    with pytest.raises(ValueError, match="at least one non-zero"):
        SGDLogisticRegression().fit(X, y, sample_weight=np.zeros(X.shape[0]))
    zero_class_weight = {label: 0.0 for label in range(10)}
    with pytest.raises(ValueError, match="All sample weights .* are zero"):
        SGDLogisticRegression(class_weight=zero_class_weight).fit(X, y)


def test_zero_weight_rows_equal_removed_rows_with_newton(digits):
    X, y = digits
    y = (y > 4).astype(int)
    weights = np.ones(X.shape[0])
    weights[::3] = 0
    kwargs = dict(alpha=1e-2, newton_steps=30, tol=1e-10, random_state=0)
    weighted = SGDLogisticRegression(**kwargs).fit(X, y, sample_weight=weights)
    removed = SGDLogisticRegression(**kwargs).fit(X[weights > 0], y[weights > 0])
    np.testing.assert_allclose(weighted.coef_, removed.coef_, atol=1e-6)


def test_partial_fit_requires_classes(digits):
    X, y = digits
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        SGDLogisticRegression().partial_fit(X, y)


def test_partial_fit_rejects_unknown_labels(digits):
    X, y = digits
    clf = SGDLogisticRegression(random_state=0)
    clf.partial_fit(X[:100], y[:100], classes=np.arange(10))
    y_bad = y[:100].copy()
    y_bad[:2] = [42, -3]
    with pytest.raises(ValueError, match=re.escape("labels [-3, 42]")):
        clf.partial_fit(X[:100], y_bad)
    with pytest.raises(ValueError, match="differs from the classes_"):
        clf.partial_fit(X[:100], y[:100], classes=np.arange(11))


def test_partial_fit_state_survives_pickling(digits):
    X, y = digits
    chunks = np.array_split(np.arange(X.shape[0]), 4)
    continuous = SGDLogisticRegression(learning_rate="invscaling", random_state=0)
    pickled = SGDLogisticRegression(learning_rate="invscaling", random_state=0)
    for index, chunk in enumerate(chunks):
        continuous.partial_fit(X[chunk], y[chunk], classes=np.arange(10))
        pickled.partial_fit(X[chunk], y[chunk], classes=np.arange(10))
        pickled = pickle.loads(pickle.dumps(pickled))
        assert pickled.t_ == continuous.t_
    assert continuous.t_ == sum(-(-chunk.size // 256) for chunk in chunks)
    assert continuous.n_iter_ == 4
    np.testing.assert_array_equal(pickled.coef_, continuous.coef_)
    assert len(continuous.loss_curve_) == 4


def test_partial_fit_continues_after_fit(digits):
    X, y = digits
    clf = SGDLogisticRegression(max_iter=2, tol=None, random_state=0).fit(X, y)
    steps = clf.t_
    clf.partial_fit(X, y)
    assert clf.t_ > steps
    assert clf.score(X, y) > 0.9


def test_pickle_and_joblib_round_trip(digits, tmp_path):
    X, y = digits
    clf = SGDLogisticRegression(max_iter=3, tol=None, random_state=0).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict(X), clf.predict(X))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    path = tmp_path / "model.joblib"
    joblib.dump(clf, path)
    loaded = joblib.load(path)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_random_state_reproducible_and_global_state_untouched(digits):
    X, y = digits
    global_state = np.random.get_state()
    first = SGDLogisticRegression(max_iter=2, tol=None, random_state=3).fit(X, y)
    second = SGDLogisticRegression(max_iter=2, tol=None, random_state=3).fit(X, y)
    np.testing.assert_array_equal(first.coef_, second.coef_)
    after = np.random.get_state()
    assert global_state[0] == after[0]
    np.testing.assert_array_equal(global_state[1], after[1])
    assert global_state[2:] == after[2:]

    unseeded_a = SGDLogisticRegression(max_iter=1, tol=None).fit(X, y)
    unseeded_b = SGDLogisticRegression(max_iter=1, tol=None).fit(X, y)
    assert not np.array_equal(unseeded_a.coef_, unseeded_b.coef_)


def test_warm_start_continues_from_previous_coefficients(digits):
    X, y = digits
    kwargs = dict(alpha=1e-2, max_iter=0, tol=0.0, random_state=0)
    cold = SGDLogisticRegression(newton_steps=2, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        cold.fit(X, y)
        first_cost = cold.loss_curve_[-1]
        warm = clone(cold).set_params(warm_start=True)
        warm.fit(X, y)
        warm.set_params(newton_steps=1).fit(X, y)
    assert warm.loss_curve_[0] < first_cost
    cold_again = clone(cold).set_params(newton_steps=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        cold_again.fit(X, y)
    assert cold_again.loss_curve_[0] > first_cost


def test_verbose_line_per_step(digits, capsys):
    """One line per SGD epoch and per Newton step."""
    X, y = digits
    SGDLogisticRegression(
        max_iter=3, newton_steps=2, tol=None, verbose=1, random_state=0
    ).fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith("Epoch 1/3: loss ")
    assert lines[3].startswith("Newton step 1/2: loss ")


def test_loss_curve_records_epochs_and_newton_steps(digits):
    X, y = digits
    clf = SGDLogisticRegression(max_iter=4, newton_steps=3, tol=None, random_state=0)
    clf.fit(X, y)
    assert len(clf.loss_curve_) == 7
    assert clf.n_iter_ == 7
    assert np.all(np.isfinite(clf.loss_curve_))
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]


def test_convergence_warning_names_max_iter(digits):
    X, y = digits
    with pytest.warns(ConvergenceWarning, match=r"max_iter=1 .*tol"):
        SGDLogisticRegression(max_iter=1, random_state=0).fit(X, y)


def test_convergence_warning_names_newton_steps(digits):
    X, y = digits
    with pytest.warns(ConvergenceWarning, match=r"tol=1e-12 .*newton_steps=1"):
        SGDLogisticRegression(
            max_iter=1, newton_steps=1, tol=1e-12, random_state=0
        ).fit(X, y)


def test_tol_stops_sgd_early(digits):
    X, y = digits
    clf = SGDLogisticRegression(
        max_iter=500, tol=1e-2, learning_rate="constant", random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf.fit(X, y)
    assert 5 < clf.n_iter_ < 500


@pytest.mark.parametrize("learning_rate", ["constant", "invscaling", "adaptive"])
def test_learning_rate_schedules_fit(digits, learning_rate):
    X, y = digits
    clf = SGDLogisticRegression(
        learning_rate=learning_rate, eta0=1.0, max_iter=8, tol=None, random_state=0
    ).fit(X, y)
    assert clf.eta0_ == 1.0
    assert clf.score(X, y) > 0.9


def test_average_changes_model_and_fits(digits):
    X, y = digits
    plain = SGDLogisticRegression(max_iter=4, tol=None, random_state=0).fit(X, y)
    averaged = SGDLogisticRegression(
        max_iter=4, tol=None, average=2 * X.shape[0], random_state=0
    ).fit(X, y)
    assert not np.array_equal(plain.coef_, averaged.coef_)
    assert averaged.score(X, y) > 0.9


def test_early_stopping_records_validation_scores(digits):
    X, y = digits
    clf = SGDLogisticRegression(
        early_stopping=True, max_iter=50, n_iter_no_change=3, random_state=0
    ).fit(X, y)
    assert len(clf.validation_scores_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.best_validation_score_ > 0.9
    assert clf.n_iter_ < 50


def test_validation_rows_have_positive_weight():
    y = np.repeat([0, 1], 100)
    weights = np.ones(200)
    weights[:50] = 0
    weights[100:150] = 0
    clf = SGDLogisticRegression(validation_fraction=0.2)
    mask = clf._validation_mask(y, weights, np.random.RandomState(0))
    assert mask.dtype == bool
    assert mask.sum() == 20
    assert np.all(weights[mask] > 0)
    assert mask[y == 0].sum() == mask[y == 1].sum()


def test_early_stopping_split_too_small_raises():
    X = np.arange(6, dtype=float).reshape(-1, 1)
    y = np.array([0, 0, 0, 0, 0, 1])
    clf = SGDLogisticRegression(early_stopping=True, validation_fraction=0.5)
    with pytest.raises(ValueError, match="could not hold out a stratified validation"):
        clf.fit(X, y)


def test_invalid_parameters_raise(digits):
    X, y = digits
    with pytest.raises(ValueError, match="max_iter=0 and newton_steps=0"):
        SGDLogisticRegression(max_iter=0).fit(X, y)
    with pytest.raises(InvalidParameterError, match="eta0"):
        SGDLogisticRegression(eta0=-1.0).fit(X, y)
    with pytest.raises(InvalidParameterError, match="learning_rate"):
        SGDLogisticRegression(learning_rate="optimal").fit(X, y)
    with pytest.raises(ValueError, match="only one class"):
        SGDLogisticRegression().fit(X[:5], np.zeros(5))
    with pytest.raises(NotFittedError):
        SGDLogisticRegression().predict(X)


def test_read_only_memmap_input(digits, tmp_path):
    X, y = digits
    path = tmp_path / "X.npy"
    np.save(path, X.astype(np.float32))
    X_memmap = np.load(path, mmap_mode="r")
    clf = SGDLogisticRegression(
        max_iter=2, newton_steps=1, tol=None, early_stopping=True, random_state=0
    ).fit(X_memmap, y)
    assert clf.coef_.dtype == np.float32
    assert clf.score(X_memmap, y) > 0.9


def test_grid_search_in_pipeline_with_two_jobs():
    X, y = make_classification(
        n_samples=300, n_features=20, n_informative=5, n_classes=3, random_state=0
    )
    pipeline = make_pipeline(
        FunctionTransformer(lambda X: X.astype(np.float32)),
        SGDLogisticRegression(max_iter=5, tol=None, random_state=0),
    )
    search = GridSearchCV(
        pipeline, {"sgdlogisticregression__alpha": [1e-4, 1e-2]}, cv=2, n_jobs=2
    )
    search.fit(X, y)
    assert search.best_score_ > 0.5
    assert search.predict(X).shape == (300,)


def test_fashion_mnist_subset_accuracy(fashion_mnist_dir):
    from skimgclf.datasets import load_fashion_mnist

    X, y = load_fashion_mnist(
        subset="train",
        data_home=fashion_mnist_dir,
        download_if_missing=False,
        return_X_y=True,
    )
    X = X.reshape(X.shape[0], -1)[:12000].astype(np.float32) / np.float32(255)
    y = y[:12000]
    clf = SGDLogisticRegression(max_iter=5, tol=None, random_state=0)
    clf.fit(X[:10000], y[:10000])
    assert clf.coef_.dtype == np.float32
    assert clf.score(X[10000:], y[10000:]) > 0.78


def test_fit_prints_nothing_by_default(digits, capsys):
    X, y = digits
    SGDLogisticRegression(max_iter=2, tol=None, random_state=0).fit(X, y)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("n_classes", [2, 4])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_gradient_and_hessp_match_finite_differences(n_classes, fit_intercept):
    rng = np.random.RandomState(0)
    X = rng.standard_normal((50, 6))
    target = rng.randint(n_classes, size=50)
    weights = rng.rand(50)
    weights /= weights.sum()
    problem = PenalisedCrossEntropy(
        X,
        target,
        weights,
        n_classes=n_classes,
        alpha=0.3,
        fit_intercept=fit_intercept,
    )
    n_outputs = 1 if n_classes == 2 else n_classes
    params = rng.standard_normal((n_outputs, 6 + int(fit_intercept)))
    direction = rng.standard_normal(params.shape)
    cost, gradient, hessp = problem.cost_gradient_hessp(params)
    epsilon = 1e-6

    assert cost == pytest.approx(problem.cost(params), rel=1e-12)
    cost_slope = (
        problem.cost(params + epsilon * direction)
        - problem.cost(params - epsilon * direction)
    ) / (2 * epsilon)
    assert np.vdot(gradient, direction) == pytest.approx(cost_slope, rel=1e-6)

    _, gradient_plus, _ = problem.cost_gradient_hessp(params + epsilon * direction)
    _, gradient_minus, _ = problem.cost_gradient_hessp(params - epsilon * direction)
    np.testing.assert_allclose(
        hessp(direction), (gradient_plus - gradient_minus) / (2 * epsilon), rtol=1e-5
    )


def test_adaptive_schedule_divides_then_stops():
    schedule = LearningRateSchedule("adaptive", 1.0, 0.5, steps_per_epoch=10)
    assert schedule.step_size(1000) == 1.0
    assert schedule.on_plateau() is False
    assert schedule.step_size(0) == pytest.approx(0.2)
    stops = [schedule.on_plateau() for _ in range(20)]
    assert stops.index(True) == 8
    assert schedule.step_size(0) <= 1e-6


def test_invscaling_and_constant_schedules():
    invscaling = LearningRateSchedule("invscaling", 2.0, 0.5, steps_per_epoch=10)
    assert invscaling.step_size(0) == 2.0
    assert invscaling.step_size(30) == pytest.approx(1.0)
    assert invscaling.on_plateau() is True
    constant = LearningRateSchedule("constant", 0.3, 0.5, steps_per_epoch=10)
    assert constant.step_size(10**6) == 0.3
    assert constant.on_plateau() is True


def test_growing_finite_loss_raises_divergence():
    # Unscaled 0-255 pixels with a huge constant step: the loss climbs to
    # about 1e160 but stays finite.
    X, y = load_digits(return_X_y=True)
    clf = SGDLogisticRegression(eta0=1e6, learning_rate="constant", random_state=0)
    with pytest.raises(ValueError, match=r"SGD diverged.*eta0=1e\+06.*Lower eta0"):
        clf.fit(X * 16, y)


def test_negative_class_weight_rejected(digits):
    X, y = digits
    clf = SGDLogisticRegression(class_weight={0: -1.0}, newton_steps=5)
    with pytest.raises(ValueError, match=r"class_weight must be.*non-negative.*0 to -1\.0"):
        clf.fit(X, y)


def test_class_weight_unknown_key_named(digits):
    X, y = digits
    clf = SGDLogisticRegression(class_weight={0: 1, 99: 5})
    with pytest.raises(ValueError, match=re.escape("class_weight has keys [99]")):
        clf.fit(X, y)


def test_unseeded_fit_keeps_global_random_state(digits):
    X, y = digits
    np.random.seed(0)
    before = np.random.get_state()
    SGDLogisticRegression(max_iter=1, tol=None).fit(X, y)
    SGDLogisticRegression(max_iter=1, tol=None).partial_fit(X, y, classes=np.arange(10))
    after = np.random.get_state()
    np.testing.assert_array_equal(before[1], after[1])
    assert before[2:] == after[2:]


def test_partial_fit_retry_after_failed_first_call(digits):
    X, y = digits
    clf = SGDLogisticRegression(random_state=0)
    with pytest.raises(ValueError, match=re.escape("labels [9]")):
        clf.partial_fit(X, y, classes=np.arange(9))
    assert not hasattr(clf, "classes_")
    clf.partial_fit(X, y, classes=np.arange(10))
    assert clf.coef_.shape == (10, 64)


def test_mixed_label_types_named(digits):
    X, y = digits
    labels = y.astype(object)
    labels[0] = None
    with pytest.raises(TypeError, match=r"y mixes label types \['NoneType', 'int'\]"):
        SGDLogisticRegression().fit(X, labels)
    with pytest.raises(TypeError, match=r"classes mixes label types"):
        SGDLogisticRegression().partial_fit(X[:10], y[:10], classes=[0, 1, None])
