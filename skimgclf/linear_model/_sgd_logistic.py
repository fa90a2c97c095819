"""Logistic regression trained by minibatch SGD, optionally finished by Newton-CG."""

import time
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedShuffleSplit
from sklearn.utils import check_random_state, compute_class_weight
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from ._loss import (
    PenalisedCrossEntropy,
    linear_predictor,
    log_probabilities_from_logits,
)
from ._newton import newton_cg
from ._schedules import LearningRateSchedule
from ._sgd import (
    CHUNK_ELEMENTS,
    MinibatchSGD,
    estimate_covariance_max_eigenvalue,
    weighted_column_mean,
)

# Conjugate-gradient iterations per Newton step; each costs two passes over X.
_MAX_CG_ITER = 200
# SGD counts as diverged once an epoch loss exceeds this multiple of the
# cross-entropy of the all-zero model, log(n_classes). A converging fit stays
# near or below that starting loss, so a loss 1000 times higher means the
# step is too large.
_DIVERGENCE_FACTOR = 1000.0


def _sorted_unique_labels(labels, name):
    """Return the sorted unique labels; raise TypeError on unsortable mixes."""
    try:
        return np.unique(labels)
    except TypeError as exc:
        label_types = sorted({type(label).__name__ for label in np.ravel(labels)})
        raise TypeError(
            f"{name} mixes label types {label_types} that cannot be sorted "
            f"against each other ({exc}). Use labels of one type, e.g. all "
            "int or all str, and no None."
        ) from exc


def _resolve_random_state(random_state):
    """Return a RandomState; None gets a new one seeded from OS entropy.

    ``check_random_state(None)`` returns NumPy's global RandomState, which
    fitting would then use and advance.
    """
    if random_state is None:
        return np.random.RandomState()
    return check_random_state(random_state)


class SGDLogisticRegression(ClassifierMixin, BaseEstimator):
    """Logistic regression trained by minibatch SGD, with optional Newton steps.

    Minimises the mean cross-entropy plus ``alpha / 2 * ||coef||^2`` (the
    intercept is not penalised). Two classes use the sigmoid model with one
    weight vector; more classes use a true multinomial softmax with one
    weight vector per class (not one-vs-rest). Training runs ``max_iter``
    epochs of minibatch stochastic gradient descent, then ``newton_steps``
    iterations of truncated Newton-conjugate-gradient on the full training
    set, which bring the solution to the exact optimum of the cost.

    Parameters
    ----------
    alpha : float, default=1e-4
        L2 penalty strength, >= 0. The same objective as scikit-learn's
        ``LogisticRegression(C=1 / (alpha * n_samples))``.
    fit_intercept : bool, default=True
        Whether to fit an intercept per output.
    max_iter : int, default=20
        Number of SGD epochs (passes over the training data), >= 0. With
        ``max_iter=0`` the fit is Newton-CG only and ``newton_steps`` must be
        positive.
    tol : float or None, default=1e-4
        Stopping tolerance, >= 0. SGD stops after ``n_iter_no_change``
        epochs in which the epoch loss (or, with ``early_stopping``, the
        validation accuracy) improved by less than ``tol``. Newton-CG stops
        when the largest absolute gradient entry is at most ``tol``. None
        runs all epochs and all Newton steps.
    n_iter_no_change : int, default=5
        Epochs without improvement before stopping, or before the
        'adaptive' schedule lowers the step, >= 1.
    batch_size : int, default=256
        Rows per minibatch, >= 1; capped at the number of training rows.
    learning_rate : {'constant', 'invscaling', 'adaptive'}, default='adaptive'
        Step-size schedule. 'constant' uses ``eta0`` throughout;
        'invscaling' uses ``eta0 / (1 + t / n_batches) ** power_t`` at
        minibatch step ``t``, with ``n_batches`` minibatches per epoch.
        'adaptive' keeps ``eta0`` and divides the step by 5 each time the
        stopping criterion is met, and stops once it is below
        ``1e-6 * eta0``.
    eta0 : float or 'auto', default='auto'
        Initial step size, > 0. 'auto' sets it from the data, see Notes.
        A step that is too large makes SGD diverge: ``fit`` and
        ``partial_fit`` raise ValueError once an epoch loss is not finite or
        exceeds ``1000 * log(n_classes)``, 1000 times the loss of the
        all-zero model.
    power_t : float, default=0.5
        Exponent of the 'invscaling' schedule, >= 0.
    average : bool or int, default=False
        Iterate averaging: True averages the SGD iterates from the first
        step, an integer ``k >= 1`` once ``k`` samples have been seen. The
        model is the running average, which lowers the noise of SGD.
    early_stopping : bool, default=False
        Hold out a stratified ``validation_fraction`` of the rows with
        positive weight, stop when the validation accuracy stops improving
        and keep the coefficients of the best epoch.
    validation_fraction : float, default=0.1
        Fraction held out for early stopping, in (0, 1).
    newton_steps : int, default=0
        Newton-CG iterations after SGD, >= 0. Each solves the Newton system
        with at most 200 conjugate-gradient iterations of Hessian-vector
        products (the Hessian is never formed) and takes a backtracking
        line search step that never increases the cost.
    class_weight : dict, 'balanced' or None, default=None
        Weights per class, keyed by the original labels, multiplied into
        ``sample_weight``. 'balanced' uses
        ``n_samples / (n_classes * np.bincount(y))``; it is not available
        in ``partial_fit``.
    warm_start : bool, default=False
        Start ``fit`` from the previous ``coef_`` and ``intercept_`` when
        the classes and features match.
    random_state : int, RandomState instance or None, default=None
        Seeds shuffling, the validation split and the step-size estimate.
        None draws a new seed from the OS, so the NumPy global random state
        is neither used nor advanced.
    verbose : int, default=0
        Print one line per epoch and per Newton step when > 0.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels in sorted order.
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        Weights; one row for two classes, in the dtype of the training data.
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Intercepts, zero when ``fit_intercept=False``.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Feature names, set only when ``X`` has string column names.
    n_iter_ : int
        SGD epochs plus Newton iterations run by the last ``fit``, or the
        number of ``partial_fit`` calls so far.
    loss_curve_ : list of float
        Training cost after each SGD epoch (the mean of the minibatch costs
        of that epoch) and each Newton step (the exact cost on the training
        set).
    t_ : int
        Number of SGD minibatch steps taken, which drives 'invscaling'.
    eta0_ : float
        Initial step size used, the value ``eta0='auto'`` resolved to.
    validation_scores_ : list of float or None
        Validation accuracy after each epoch with ``early_stopping``, else
        None.
    best_validation_score_ : float or None
        Best validation accuracy with ``early_stopping``, else None.

    See Also
    --------
    sklearn.linear_model.LogisticRegression : Batch solvers for the same model.
    sklearn.linear_model.SGDClassifier : Single-sample SGD, one-vs-rest.

    Notes
    -----
    With ``sample_weight`` ``s`` and class weights ``c``, row ``i`` has
    weight ``w_i = s_i * c[y_i]`` and the cost is
    ``sum_i w_i * CE_i / sum_i w_i + alpha / 2 * ||coef||^2``, so weights
    equal to integers ``k`` match repeating rows ``k`` times at the optimum.

    The training dtype is float32 for float32 input and float64 otherwise.
    ``X`` is never copied as a whole, except that other dtypes are converted
    to float64 (cast pixels to float32 first to halve memory). Minibatches
    and validation rows are read in chunks of 2**20 values, and Newton-CG
    keeps O(n_samples * n_classes + n_features * n_classes) extra numbers,
    so the memory beyond ``X`` stays small for wide images.

    SGD works on centred features internally (the intercept absorbs the
    mean), which is the same model. ``eta0='auto'`` is ``1 / L`` where
    ``L = c * max(lambda, 1) + alpha``, ``lambda`` is the largest eigenvalue
    of the feature covariance, estimated on at most 1000 rows, and ``c`` is
    the largest curvature of the cross-entropy at zero logits: 1/4 for two
    classes, ``1 / n_classes`` for more. This scales with the data, so
    unscaled 0-255 pixels train without divergence.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skimgclf.linear_model import SGDLogisticRegression
    >>> X, y = load_digits(return_X_y=True)
    >>> clf = SGDLogisticRegression(max_iter=5, newton_steps=10, random_state=0)
    >>> clf.fit(X / 16, y).coef_.shape
    (10, 64)
    >>> bool(clf.score(X / 16, y) > 0.95)
    True
    >>> clf.n_iter_ < 15  # 5 epochs, then Newton steps until tol is met
    True
    """

    _parameter_constraints = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left"), None],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [StrOptions({"constant", "invscaling", "adaptive"})],
        "eta0": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "average": ["boolean", Interval(Integral, 1, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "newton_steps": [Interval(Integral, 0, None, closed="left")],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        alpha=1e-4,
        fit_intercept=True,
        max_iter=20,
        tol=1e-4,
        n_iter_no_change=5,
        batch_size=256,
        learning_rate="adaptive",
        eta0="auto",
        power_t=0.5,
        average=False,
        early_stopping=False,
        validation_fraction=0.1,
        newton_steps=0,
        class_weight=None,
        warm_start=False,
        random_state=None,
        verbose=0,
    ):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.eta0 = eta0
        self.power_t = power_t
        self.average = average
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.newton_steps = newton_steps
        self.class_weight = class_weight
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose

    def _check_iteration_budget(self):
        if self.max_iter == 0 and self.newton_steps == 0:
            raise ValueError(
                f"{type(self).__name__} with max_iter=0 and newton_steps=0 has "
                "nothing to train. Set max_iter > 0 for SGD epochs or "
                "newton_steps > 0 for a Newton-CG fit."
            )

    def _check_classes(self, classes):
        if classes.size < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in "
                f"the data, but the data contains only one class: {classes[0]!r}."
            )

    def _encode_targets(self, y, classes):
        """Map labels to indices in ``classes``; reject labels outside it."""
        unknown = np.setdiff1d(y, classes)
        if unknown.size:
            raise ValueError(
                f"y contains labels {unknown.tolist()} that are not in classes_ "
                f"{classes.tolist()}. Pass every label that can occur in "
                "`classes` on the first call to partial_fit."
            )
        return np.searchsorted(classes, y)

    def _class_weights(self, classes, target):
        """Return one weight per class in ``classes``; reject bad keys and values."""
        if isinstance(self.class_weight, str):
            return compute_class_weight(
                self.class_weight, classes=classes, y=classes[target]
            )
        known = classes.tolist()
        unknown = [label for label in self.class_weight if label not in known]
        if unknown:
            raise ValueError(
                f"class_weight has keys {unknown!r} that are not class labels; "
                f"the classes are {known!r}. Key class_weight by the labels of y."
            )
        per_class = np.array(
            [float(self.class_weight.get(label, 1.0)) for label in known]
        )
        invalid = [
            (label, self.class_weight[label])
            for label, weight in zip(known, per_class)
            if not (np.isfinite(weight) and weight >= 0)
        ]
        if invalid:
            raise ValueError(
                "class_weight must be finite and non-negative, but it maps "
                + ", ".join(f"{label!r} to {weight!r}" for label, weight in invalid)
                + ". Give every class a weight >= 0."
            )
        return per_class

    def _row_weights(self, X, classes, target, sample_weight):
        """Return ``sample_weight * class_weight[y]`` as a new array."""
        weights = _check_sample_weight(
            sample_weight, X, dtype=X.dtype, ensure_non_negative=True
        )
        if self.class_weight is not None:
            per_class = self._class_weights(classes, target)
            weights = weights * per_class[target].astype(X.dtype)
        else:
            weights = weights.copy()
        if not weights.sum() > 0:
            raise ValueError(
                "All sample weights (times class_weight) are zero, so there is "
                "nothing to fit. Give at least one row a positive weight."
            )
        return weights

    def _validation_mask(self, target, weights, random_state):
        """Pick a stratified validation set among the rows with positive weight."""
        positive = np.flatnonzero(weights > 0)
        splitter = StratifiedShuffleSplit(
            n_splits=1,
            test_size=self.validation_fraction,
            random_state=random_state,
        )
        try:
            _, validation = next(
                splitter.split(np.zeros((positive.size, 1)), target[positive])
            )
        except ValueError as exc:
            raise ValueError(
                "early_stopping=True could not hold out a stratified validation "
                f"set with validation_fraction={self.validation_fraction} from "
                f"{positive.size} rows with positive weight ({exc}). Increase "
                "validation_fraction, provide more rows per class, or set "
                "early_stopping=False."
            ) from exc
        mask = np.zeros(target.shape[0], dtype=bool)
        mask[positive[validation]] = True
        return mask

    def _new_optimizer(self, X, rows, weights, params, random_state):
        """Create the SGD state, resolving ``eta0='auto'`` on ``X[rows]``."""
        center = self._center(X, weights)
        if self.eta0 == "auto":
            eigenvalue = estimate_covariance_max_eigenvalue(
                X, rows, weights, center, random_state
            )
            if not np.isfinite(eigenvalue):
                raise ValueError(
                    "The feature values of X are too large to train on: their "
                    f"squares overflow (max |x| = {max(-X.min(), X.max()):.3g}). Scale "
                    "X, e.g. divide pixels by 255 or use StandardScaler."
                )
            n_classes = self.classes_.size
            curvature = 0.25 if n_classes == 2 else 1.0 / n_classes
            # The intercept acts as a feature of constant 1 (variance 1 once
            # centred). Without intercept, an eigenvalue of 0 means X is all
            # zeros and any step size does the same.
            scale = max(eigenvalue, 1.0 if self.fit_intercept else 0.0) or 1.0
            eta0 = 1.0 / (curvature * scale + self.alpha)
        else:
            eta0 = float(self.eta0)
        self.eta0_ = eta0

        batch_size = min(self.batch_size, rows.size)
        schedule = LearningRateSchedule(
            self.learning_rate,
            eta0,
            self.power_t,
            steps_per_epoch=-(-rows.size // batch_size),
        )
        if self.average is True:
            average_start = 0
        elif self.average is False:
            average_start = None
        else:
            average_start = int(self.average)
        return MinibatchSGD(
            params,
            alpha=self.alpha,
            fit_intercept=self.fit_intercept,
            schedule=schedule,
            batch_size=self.batch_size,
            average_start=average_start,
        )

    def _center(self, X, weights):
        if not self.fit_intercept:
            return np.zeros(X.shape[1], dtype=X.dtype)
        return weighted_column_mean(X, weights)

    def _run_epoch(self, X, target, weights, rows, center, random_state):
        """Run one SGD epoch and return its loss; raise if SGD diverged."""
        scaled = weights / weights[rows].mean()
        loss = self._optimizer.run_epoch(
            X, target, scaled, rows, center, random_state
        )
        limit = _DIVERGENCE_FACTOR * np.log(max(self.classes_.size, 2))
        finite = np.isfinite(loss) and np.all(np.isfinite(self._optimizer.params))
        if not finite or loss > limit:
            raise ValueError(
                f"SGD diverged: the training loss became {loss:.3g} in epoch "
                f"{len(self.loss_curve_) + 1}, above {limit:.3g} "
                f"({_DIVERGENCE_FACTOR:g} times the loss log(n_classes) of the "
                f"all-zero model), with initial step size eta0={self.eta0_:.3g}. "
                "Lower eta0 (or use eta0='auto'), or scale X, e.g. divide "
                "pixels by 255."
            )
        self.loss_curve_.append(loss)
        return loss

    def _record_plateau(self, improved):
        """Count epochs without improvement; return True when SGD should stop."""
        self._no_improvement_count = 0 if improved else self._no_improvement_count + 1
        if self.tol is None or self._no_improvement_count < self.n_iter_no_change:
            return False
        self._no_improvement_count = 0
        return self._optimizer.schedule.on_plateau()

    def _validation_accuracy(self, X, target, weights, rows, params):
        # The validation rows are scored in chunks, never copied whole.
        rows_per_chunk = max(1, CHUNK_ELEMENTS // X.shape[1])
        correct = 0.0
        for start in range(0, rows.size, rows_per_chunk):
            chunk = rows[start : start + rows_per_chunk]
            raw = linear_predictor(X[chunk], params, self.fit_intercept)
            if raw.shape[1] == 1:
                predicted = (raw[:, 0] > 0).astype(np.intp)
            else:
                predicted = raw.argmax(axis=1)
            correct += float(np.dot(weights[chunk], predicted == target[chunk]))
        return correct / float(weights[rows].sum())

    def _set_coefficients(self, params):
        n_features = self.n_features_in_
        self.coef_ = np.ascontiguousarray(params[:, :n_features])
        if self.fit_intercept:
            self.intercept_ = params[:, n_features].copy()
        else:
            self.intercept_ = np.zeros(params.shape[0], dtype=params.dtype)

    def _stacked_coefficients(self, dtype):
        params = self.coef_
        if self.fit_intercept:
            params = np.column_stack([params, self.intercept_])
        return params.astype(dtype, copy=True)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model by minibatch SGD, then optional Newton-CG steps.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data. float32 is trained in float32 without a copy;
            other dtypes are converted to float64.
        y : array-like of shape (n_samples,)
            Class labels of any kind (strings, non-contiguous integers).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights; not modified.

        Returns
        -------
        self : SGDLogisticRegression
            The fitted estimator.
        """
        self._check_iteration_budget()
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], reset=True)
        classes = _sorted_unique_labels(y, "y")
        check_classification_targets(y)
        self._check_classes(classes)
        target = self._encode_targets(y, classes)
        weights = self._row_weights(X, classes, target, sample_weight)
        warm = (
            self.warm_start
            and hasattr(self, "coef_")
            and np.array_equal(classes, self.classes_)
            and self.coef_.shape[1] == X.shape[1]
        )
        n_outputs = 1 if classes.size == 2 else classes.size
        if warm:
            params = self._stacked_coefficients(X.dtype)
        else:
            params = np.zeros(
                (n_outputs, X.shape[1] + int(self.fit_intercept)), dtype=X.dtype
            )
        self.classes_ = classes
        random_state = _resolve_random_state(self.random_state)
        self._random_state = random_state

        # Validation rows get weight zero for training.
        validation_rows = np.array([], dtype=np.intp)
        if self.early_stopping and self.max_iter > 0:
            validation_mask = self._validation_mask(target, weights, random_state)
            validation_rows = np.flatnonzero(validation_mask)
            train_weights = np.where(validation_mask, 0, weights).astype(X.dtype)
        else:
            train_weights = weights
        rows = np.flatnonzero(train_weights > 0)

        self.loss_curve_ = []
        self.n_iter_ = 0
        self.validation_scores_ = [] if self.early_stopping else None
        self.best_validation_score_ = None
        self._no_improvement_count = 0
        self._best_loss = np.inf
        self._optimizer = None
        self.t_ = 0
        self.eta0_ = None

        sgd_converged = False
        if self.max_iter > 0:
            self._optimizer = self._new_optimizer(
                X, rows, train_weights, params, random_state
            )
            params, sgd_converged = self._fit_sgd(
                X, target, weights, train_weights, rows, validation_rows, random_state
            )
            self.t_ = self._optimizer.t

        newton_converged = False
        if self.newton_steps > 0:
            params, newton_converged = self._fit_newton(
                X, target, train_weights, params
            )
            if self._optimizer is not None:
                self._optimizer.restart_from(params)

        self._set_coefficients(params)
        self._warn_if_not_converged(sgd_converged, newton_converged)
        return self

    def _fit_sgd(
        self, X, target, weights, train_weights, rows, validation_rows, random_state
    ):
        """Run up to ``max_iter`` SGD epochs; return parameters and convergence."""
        center = self._center(X, train_weights)
        tol = 0.0 if self.tol is None else self.tol
        best_score = -np.inf
        best_params = None
        for epoch in range(1, self.max_iter + 1):
            started = time.perf_counter()
            loss = self._run_epoch(X, target, train_weights, rows, center, random_state)
            self.n_iter_ += 1

            if self.early_stopping:
                params = self._optimizer.coefficients()
                score = self._validation_accuracy(
                    X, target, weights, validation_rows, params
                )
                self.validation_scores_.append(score)
                improved = score > best_score + tol
                if score > best_score:
                    best_score = score
                    best_params = params.copy()
            else:
                improved = loss < self._best_loss - tol
                self._best_loss = min(self._best_loss, loss)

            if self.verbose:
                extra = f", validation accuracy {score:.4f}" if self.early_stopping else ""
                print(
                    f"Epoch {epoch}/{self.max_iter}: loss {loss:.6g}{extra}, "
                    f"step {self._optimizer.schedule.step_size(self._optimizer.t):.3g}, "
                    f"{time.perf_counter() - started:.2f} s"
                )
            if self._record_plateau(improved):
                converged = True
                break
        else:
            converged = False

        if self.early_stopping:
            self.best_validation_score_ = best_score
            return best_params.copy(), converged
        return self._optimizer.coefficients().copy(), converged

    def _fit_newton(self, X, target, train_weights, params):
        """Run up to ``newton_steps`` Newton-CG iterations from ``params``."""
        normalised = (train_weights / train_weights.sum()).astype(X.dtype)
        problem = PenalisedCrossEntropy(
            X,
            target,
            normalised,
            n_classes=self.classes_.size,
            alpha=self.alpha,
            fit_intercept=self.fit_intercept,
        )

        def record(iteration, cost, gradient_max):
            self.loss_curve_.append(cost)
            self.n_iter_ += 1
            if self.verbose:
                print(
                    f"Newton step {iteration}/{self.newton_steps}: loss {cost:.10g}, "
                    f"max |gradient| {gradient_max:.3g}"
                )

        params, _, converged = newton_cg(
            problem.cost_gradient_hessp,
            problem.cost,
            params,
            max_iter=self.newton_steps,
            tol=0.0 if self.tol is None else self.tol,
            max_cg_iter=_MAX_CG_ITER,
            callback=record,
        )
        return params, converged

    def _warn_if_not_converged(self, sgd_converged, newton_converged):
        if self.tol is None:
            return
        if self.newton_steps > 0 and not newton_converged:
            warnings.warn(
                f"Newton-CG did not reach tol={self.tol} (largest absolute "
                f"gradient entry) within newton_steps={self.newton_steps}. "
                "Increase newton_steps or tol, or scale X.",
                ConvergenceWarning,
            )
        elif self.newton_steps == 0 and not sgd_converged:
            warnings.warn(
                f"SGD did not converge within max_iter={self.max_iter} epochs: "
                f"the loss still improved by more than tol={self.tol}. Increase "
                "max_iter or tol, or add newton_steps to finish the fit.",
                ConvergenceWarning,
            )

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Run one SGD epoch over ``X``, continuing the optimizer state.

        The step counter, learning-rate schedule and running average carry
        over between calls (and survive pickling). Newton steps and early
        stopping apply to ``fit`` only.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows. Later calls convert them to the dtype of ``coef_``.
        y : array-like of shape (n_samples,)
            Class labels, all of them in ``classes``.
        classes : array-like of shape (n_classes,), default=None
            Every label that can occur. Required on the first call; later
            calls may pass it again, unchanged.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights; not modified.

        Returns
        -------
        self : SGDLogisticRegression
            The updated estimator.
        """
        if self.class_weight == "balanced":
            raise ValueError(
                "class_weight='balanced' is not available in partial_fit, "
                "because the class frequencies of the whole data set are "
                "unknown. Compute them once, e.g. with sklearn.utils."
                "compute_class_weight('balanced', classes=classes, y=y), and "
                "pass them as a dict."
            )
        first_call = not hasattr(self, "classes_")
        if first_call:
            if classes is None:
                raise ValueError(
                    "classes must be passed on the first call to partial_fit: "
                    "the array of every label that will occur in y."
                )
            X, y = validate_data(
                self, X, y, dtype=[np.float64, np.float32], reset=True
            )
            classes = _sorted_unique_labels(classes, "classes")
            self._check_classes(classes)
        else:
            X, y = validate_data(self, X, y, dtype=self.coef_.dtype, reset=False)
            if classes is not None and not np.array_equal(
                _sorted_unique_labels(classes, "classes"), self.classes_
            ):
                raise ValueError(
                    f"classes={np.unique(classes).tolist()} differs from the "
                    f"classes_ {self.classes_.tolist()} of the first call to "
                    "partial_fit. Pass the same classes or none."
                )
            classes = self.classes_
        _sorted_unique_labels(y, "y")
        check_classification_targets(y)
        # Every check runs before the first fitted attribute is set, so a
        # first call that raises leaves the estimator unfitted.
        target = self._encode_targets(y, classes)
        weights = self._row_weights(X, classes, target, sample_weight)
        rows = np.flatnonzero(weights > 0)

        if first_call:
            self.classes_ = classes
            n_outputs = 1 if self.classes_.size == 2 else self.classes_.size
            params = np.zeros(
                (n_outputs, X.shape[1] + int(self.fit_intercept)), dtype=X.dtype
            )
            self.loss_curve_ = []
            self.n_iter_ = 0
            self.validation_scores_ = None
            self.best_validation_score_ = None
            self._no_improvement_count = 0
            self._best_loss = np.inf
            self._optimizer = None
        if getattr(self, "_random_state", None) is None:
            self._random_state = _resolve_random_state(self.random_state)
        if self._optimizer is None:
            if not first_call:
                params = self._stacked_coefficients(X.dtype)
            self._optimizer = self._new_optimizer(
                X, rows, weights, params, self._random_state
            )

        center = self._center(X, weights)
        loss = self._run_epoch(X, target, weights, rows, center, self._random_state)
        self.n_iter_ += 1
        self.t_ = self._optimizer.t
        improved = loss < self._best_loss - (0.0 if self.tol is None else self.tol)
        self._best_loss = min(self._best_loss, loss)
        # Only the 'adaptive' step reacts to a plateau; partial_fit never stops.
        self._record_plateau(improved)
        if self.verbose:
            print(f"partial_fit call {self.n_iter_}: loss {loss:.6g}")

        self._set_coefficients(self._optimizer.coefficients())
        return self

    def decision_function(self, X):
        """Compute the logits ``X @ coef_.T + intercept_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data to score.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Logit of ``classes_[1]`` for two classes, else one logit per
            class.
        """
        raw = self._logits(X)
        return raw[:, 0] if raw.shape[1] == 1 else raw

    def _logits(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        with np.errstate(over="ignore", invalid="ignore"):
            raw = X @ self.coef_.T
            raw += self.intercept_
        return raw

    def _finite_logits(self, X):
        """Return logits with infinities clipped; raise on NaN."""
        raw = self._logits(X)
        if np.all(np.isfinite(raw)):
            return raw
        nan_rows = np.flatnonzero(np.isnan(raw).any(axis=1))
        if nan_rows.size:
            raise ValueError(
                f"X @ coef_.T + intercept_ overflowed to NaN in {nan_rows.size} "
                f"rows (first: row {nan_rows[0]}): the feature values of X are "
                "too large for the fitted coefficients. Scale X the way the "
                "training data was scaled."
            )
        limit = np.finfo(raw.dtype).max
        return np.clip(raw, -limit, limit, out=raw)

    def predict_log_proba(self, X):
        """Compute log class probabilities, stable for any finite logit.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data to score.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log probability of each class in ``classes_`` order.
        """
        with np.errstate(over="ignore", under="ignore"):
            return log_probabilities_from_logits(self._finite_logits(X))

    def predict_proba(self, X):
        """Compute class probabilities; finite, with rows that sum to 1.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data to score.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class in ``classes_`` order.
        """
        with np.errstate(under="ignore"):
            return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        """Predict the label of highest probability.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data to classify.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            ``classes_[argmax(predict_proba(X))]``, in the original labels.
        """
        best = np.argmax(self.predict_proba(X), axis=1)
        return self.classes_[best]
