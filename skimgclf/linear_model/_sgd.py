"""Minibatch stochastic gradient descent for the penalised cross-entropy.

The optimizer works in a centred parametrisation when an intercept is fitted:
logits are ``(x - center) @ coef.T + shifted_intercept`` with
``shifted_intercept = intercept + coef @ center``. This is the same model and
the same cost, because the intercept is not penalised. Removing the mean of
the features lowers the curvature along the mean direction, which is large
for non-negative pixel data, so a larger step is stable. Only chunks of
minibatch rows are copied; ``X`` is never centred or copied as a whole.
"""

import numpy as np
from threadpoolctl import threadpool_limits

from ._loss import cross_entropy_residual, squared_norm

# Values of X copied at a time: 4 MiB of float32, 8 MiB of float64.
CHUNK_ELEMENTS = 2**20
# Rows used to estimate the largest eigenvalue of the feature covariance.
_CURVATURE_SAMPLE_ROWS = 1000
# Cap on the values in that sample, which bounds the time of the estimate
# for wide images: each of the power iterations reads the sample once.
_CURVATURE_SAMPLE_ELEMENTS = 2**22
_POWER_ITERATIONS = 20


def weighted_column_mean(X, weights):
    """Return ``weights @ X / weights.sum()`` without copying ``X``."""
    return (weights @ X) / weights.sum()


def _scaled_norm(vector):
    # Euclidean norm that does not overflow for entries above 1e154.
    largest = float(np.max(np.abs(vector)))
    if largest == 0.0 or not np.isfinite(largest):
        return largest
    return largest * float(np.linalg.norm(vector / largest))


def estimate_covariance_max_eigenvalue(X, rows, weights, center, random_state):
    """Estimate the largest eigenvalue of the weighted covariance of ``X[rows]``.

    Power iteration on the weighted covariance of all rows when there are at
    most 1000, else of a uniform random sample of 1000 rows (fewer when the
    rows are wide, at most 2**22 values). The sample is read in chunks of
    ``CHUNK_ELEMENTS`` values and computed in float64, so that large feature
    values do not overflow float32. Using
    every row of a small data set keeps the estimate, and so ``eta0='auto'``,
    the same for integer weights and for rows repeated that many times.

    Returns
    -------
    eigenvalue : float
        The estimate, ``inf`` when the squared feature values overflow
        float64.
    """
    n_features = X.shape[1]
    n_sample = min(
        _CURVATURE_SAMPLE_ROWS, max(16, _CURVATURE_SAMPLE_ELEMENTS // n_features)
    )
    if rows.size <= n_sample:
        sample_rows = rows
    else:
        sample_rows = np.sort(random_state.choice(rows, size=n_sample, replace=False))
    sample_weights = weights[sample_rows].astype(np.float64)
    sample_weights /= sample_weights.sum()
    rows_per_chunk = max(1, CHUNK_ELEMENTS // n_features)
    chunks = [
        slice(start, start + rows_per_chunk)
        for start in range(0, sample_rows.size, rows_per_chunk)
    ]

    def covariance_times(vector):
        # The sample is centred and cast to float64 one chunk at a time.
        image = np.zeros(n_features)
        for chunk in chunks:
            centred = X[sample_rows[chunk]].astype(np.float64)
            centred -= center
            image += centred.T @ (sample_weights[chunk] * (centred @ vector))
        return image

    vector = random_state.standard_normal(n_features)
    eigenvalue = 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(_POWER_ITERATIONS):
            vector /= _scaled_norm(vector)
            image = covariance_times(vector)
            eigenvalue = _scaled_norm(image)
            if not np.isfinite(eigenvalue) or eigenvalue == 0.0:
                break
            vector = image
    return eigenvalue if np.isfinite(eigenvalue) else np.inf


class MinibatchSGD:
    """Minibatch SGD state: iterate, average, step counter and schedule.

    Parameters
    ----------
    params : ndarray of shape (n_outputs, n_features + fit_intercept)
        Starting point, used in place as the live iterate.
    alpha : float
        L2 penalty strength.
    fit_intercept : bool
        Whether the last column of ``params`` is the intercept.
    schedule : LearningRateSchedule
        Step sizes; its state is part of the optimizer state.
    batch_size : int
        Rows per minibatch.
    average_start : int or None
        Averaging of the iterates starts once this many samples have been
        seen; None disables averaging.
    """

    def __init__(
        self, params, *, alpha, fit_intercept, schedule, batch_size, average_start
    ):
        self.params = params
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.schedule = schedule
        self.batch_size = batch_size
        self.average_start = average_start
        self.average = None
        self.n_averaged = 0
        self.t = 0
        self.n_samples_seen = 0

    def coefficients(self):
        """Return the model parameters: the running average once it has started."""
        if self.average is not None and self.n_averaged > 0:
            return self.average
        return self.params

    def restart_from(self, params):
        """Continue from ``params`` and drop the running average."""
        self.params = params.copy()
        self.average = None
        self.n_averaged = 0

    def _shift(self, params, center, sign):
        # Map between the plain and the centred parametrisation in place.
        if self.fit_intercept:
            n_features = center.shape[0]
            params[:, n_features] += sign * (params[:, :n_features] @ center)

    def run_epoch(self, X, target, sample_weight, rows, center, random_state):
        """Run one pass of minibatch SGD over ``X[rows]`` in shuffled order.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            Training data, only read.
        target : ndarray of shape (n_samples,)
            Class index of each row.
        sample_weight : ndarray of shape (n_samples,)
            Weights scaled to mean 1 over ``rows``, so that each minibatch
            gradient is an unbiased estimate of the full gradient.
        rows : ndarray of int
            Rows to train on.
        center : ndarray of shape (n_features,)
            Offset of the centred parametrisation (zeros without intercept).
        random_state : numpy.random.RandomState
            Source of the shuffling.

        Returns
        -------
        loss : float
            Mean over the epoch's minibatches of the penalised minibatch cost
            at the iterate before each step, a cheap estimate of the training
            cost that needs no extra pass over ``X``.
        """
        n_features = X.shape[1]
        params = self.params
        self._shift(params, center, +1.0)
        if self.average is not None:
            self._shift(self.average, center, +1.0)
        coef = params[:, :n_features]

        order = random_state.permutation(rows)
        batch_size = min(self.batch_size, order.size)
        total_loss = 0.0
        n_batches = 0
        # Minibatch products are too small to gain from BLAS threads, and
        # on 2 busy cores (load average 19) BLAS threads made an epoch 9x slower.
        with (
            np.errstate(over="ignore", invalid="ignore", divide="ignore"),
            threadpool_limits(limits=1, user_api="blas"),
        ):
            for start in range(0, order.size, batch_size):
                # Sorted indices make the row gather read X front to back.
                batch = np.sort(order[start : start + batch_size])
                batch_loss, gradient, residual_sum = self._minibatch_gradient(
                    X, target, sample_weight, batch, center
                )
                total_loss += batch_loss
                total_loss += 0.5 * self.alpha * squared_norm(params, n_features)
                n_batches += 1

                step = self.schedule.step_size(self.t)
                coef -= step * gradient
                if self.fit_intercept:
                    params[:, n_features] -= step * residual_sum
                self.t += 1
                self.n_samples_seen += batch.size
                self._update_average(params)

        self._shift(params, center, -1.0)
        if self.average is not None:
            self._shift(self.average, center, -1.0)
        return total_loss / max(n_batches, 1)

    def _minibatch_gradient(self, X, target, sample_weight, batch, center):
        """Compute the loss and gradient of one minibatch in the centred form.

        Rows are read in chunks of at most ``CHUNK_ELEMENTS`` values, so that
        a minibatch of wide images is never copied whole: 256 rows of
        224 x 224 x 3 float32 pixels would take 154 MB.

        Returns
        -------
        loss : float
            Weighted mean cross-entropy of the minibatch, without penalty.
        gradient : ndarray of shape (n_outputs, n_features)
            Gradient of the penalised minibatch cost for ``coef``.
        residual_sum : ndarray of shape (n_outputs,)
            Gradient for the centred intercept.
        """
        n_features = X.shape[1]
        coef = self.params[:, :n_features]
        offset = None
        if self.fit_intercept:
            offset = self.params[:, n_features] - coef @ center
        rows_per_chunk = max(1, CHUNK_ELEMENTS // n_features)

        loss = 0.0
        gradient = np.zeros(coef.shape, dtype=coef.dtype)
        residual_sum = np.zeros(coef.shape[0], dtype=coef.dtype)
        for chunk_start in range(0, batch.size, rows_per_chunk):
            chunk = batch[chunk_start : chunk_start + rows_per_chunk]
            X_chunk = X[chunk]
            raw = X_chunk @ coef.T
            if offset is not None:
                raw += offset
            losses, residual = cross_entropy_residual(raw, target[chunk])
            chunk_weight = sample_weight[chunk]
            loss += float(np.dot(chunk_weight, losses)) / batch.size

            residual *= (chunk_weight / batch.size)[:, None]
            residual_sum += residual.sum(axis=0)
            gradient += (X_chunk.T @ residual).T

        if self.fit_intercept:
            gradient -= np.outer(residual_sum, center)
        gradient += self.alpha * coef
        return loss, gradient, residual_sum

    def _update_average(self, params):
        if self.average_start is None or self.n_samples_seen < self.average_start:
            return
        if self.average is None:
            self.average = params.copy()
            self.n_averaged = 1
            return
        self.n_averaged += 1
        self.average += (params - self.average) / self.n_averaged
