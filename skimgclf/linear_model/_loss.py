"""Penalised cross-entropy of a linear classifier: cost, gradient, Hessian.

Parameters are one 2-D array ``params`` of shape ``(n_outputs, n_features)``,
or ``(n_outputs, n_features + 1)`` with the intercept in the last column.
``n_outputs`` is 1 for two classes (sigmoid of one logit) and ``n_classes``
for the multinomial softmax. Targets are class indices in ``0..n_classes-1``.

Every function takes normalised sample weights ``weights`` (non-negative,
summing to 1), so that the cost is

    sum_i weights_i * cross_entropy_i + alpha / 2 * ||coef||_F^2,

with the intercept left out of the penalty. All work is done in the dtype of
``X``; memory beyond ``X`` is O(n_samples * n_outputs + n_features * n_outputs).
"""

import numpy as np
from scipy.special import expit, log_expit, log_softmax, logsumexp


def _exp_floor(dtype):
    # Logits more than this far below the row maximum give probabilities that
    # are subnormal in ``dtype``. Clipping them there changes no probability
    # by more than the smallest normal number and keeps BLAS off the slow
    # subnormal path.
    return np.log(np.finfo(dtype).tiny) + 1.0


def linear_predictor(X, params, fit_intercept):
    """Compute the logits ``X @ coef.T + intercept``, shape ``(n, n_outputs)``."""
    n_features = X.shape[1]
    raw = X @ params[:, :n_features].T
    if fit_intercept:
        raw += params[:, n_features]
    return raw


def cross_entropy_residual(raw, target):
    """Turn logits into per-sample cross-entropy and the residual ``P - Y``.

    Parameters
    ----------
    raw : ndarray of shape (n_samples, n_outputs)
        Logits. They are overwritten with the residual ``P - Y``, the
        derivative of each sample's cross-entropy with respect to its logits.
    target : ndarray of shape (n_samples,), dtype int
        Class index of each sample.

    Returns
    -------
    loss : ndarray of shape (n_samples,)
        Cross-entropy of each sample, computed with log-sum-exp so that it
        stays finite for any finite logit.
    residual : ndarray of shape (n_samples, n_outputs)
        ``raw``, now holding ``P - Y``.
    """
    rows = np.arange(raw.shape[0])
    if raw.shape[1] == 1:
        z = raw[:, 0]
        positive = target == 1
        # -log(sigmoid(z)) for the positive class, -log(1 - sigmoid(z)) else.
        loss = -log_expit(np.where(positive, z, -z))
        z[:] = expit(z) - positive.astype(z.dtype)
        return loss, raw

    raw -= raw.max(axis=1, keepdims=True)
    np.maximum(raw, _exp_floor(raw.dtype), out=raw)
    log_normaliser = np.log(np.exp(raw).sum(axis=1))
    loss = log_normaliser - raw[rows, target]
    raw -= log_normaliser[:, None]
    np.exp(raw, out=raw)
    raw[rows, target] -= 1.0
    return loss, raw


def squared_norm(params, n_features):
    """Return ``||coef||_F^2``, the intercept column excluded."""
    coef = params[:, :n_features]
    return float(np.vdot(coef, coef))


class PenalisedCrossEntropy:
    """Mean weighted cross-entropy plus ``alpha / 2 * ||coef||^2`` on fixed data.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Training data, float32 or float64. It is only read.
    target : ndarray of shape (n_samples,), dtype int
        Class index of each sample.
    weights : ndarray of shape (n_samples,)
        Non-negative sample weights that sum to 1, in the dtype of ``X``.
    n_classes : int
        Number of classes; 2 gives the sigmoid model with one output.
    alpha : float
        L2 penalty strength.
    fit_intercept : bool
        Whether ``params`` has an intercept column.
    """

    def __init__(self, X, target, weights, *, n_classes, alpha, fit_intercept):
        self.X = X
        self.target = target
        self.weights = weights
        self.n_classes = n_classes
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def cost(self, params):
        """Return the penalised cost at ``params`` as a Python float."""
        raw = linear_predictor(self.X, params, self.fit_intercept)
        if raw.shape[1] == 1:
            z = raw[:, 0]
            per_sample = -log_expit(np.where(self.target == 1, z, -z))
        else:
            rows = np.arange(raw.shape[0])
            per_sample = logsumexp(raw, axis=1) - raw[rows, self.target]
        data_term = float(np.dot(self.weights, per_sample))
        penalty = 0.5 * self.alpha * squared_norm(params, self.X.shape[1])
        return data_term + penalty

    def _gradient_from_residual(self, params, weighted_residual):
        n_features = self.X.shape[1]
        gradient = np.empty_like(params)
        # X.T @ R is much faster than R.T @ X in OpenBLAS for few outputs.
        gradient[:, :n_features] = (self.X.T @ weighted_residual).T
        gradient[:, :n_features] += self.alpha * params[:, :n_features]
        if self.fit_intercept:
            gradient[:, n_features] = weighted_residual.sum(axis=0)
        return gradient

    def cost_gradient_hessp(self, params):
        """Compute the cost, its gradient and a Hessian-vector product.

        Returns
        -------
        cost : float
        gradient : ndarray of the shape of ``params``
        hessp : callable
            ``hessp(direction)`` returns the Hessian at ``params`` times
            ``direction`` (same shape as ``params``) without forming the
            Hessian: two passes over ``X`` and O(n_samples * n_outputs) memory.
        """
        raw = linear_predictor(self.X, params, self.fit_intercept)
        rows = np.arange(raw.shape[0])
        if raw.shape[1] == 1:
            z = raw[:, 0]
            per_sample = -log_expit(np.where(self.target == 1, z, -z))
            probabilities = expit(raw)
        else:
            log_probabilities = log_softmax(raw, axis=1)
            per_sample = -log_probabilities[rows, self.target]
            probabilities = np.exp(log_probabilities, out=log_probabilities)
        del raw
        cost = float(np.dot(self.weights, per_sample))
        cost += 0.5 * self.alpha * squared_norm(params, self.X.shape[1])

        weighted_residual = probabilities * self.weights[:, None]
        if probabilities.shape[1] == 1:
            weighted_residual[:, 0] -= self.weights * (self.target == 1)
        else:
            weighted_residual[rows, self.target] -= self.weights
        gradient = self._gradient_from_residual(params, weighted_residual)
        del weighted_residual

        if probabilities.shape[1] == 1:
            # Binary Hessian X^T diag(w p (1 - p)) X.
            curvature = self.weights * probabilities[:, 0] * (1 - probabilities[:, 0])

            def hessp(direction):
                u = linear_predictor(self.X, direction, self.fit_intercept)
                u *= curvature[:, None]
                return self._gradient_from_residual(direction, u)

        else:
            # Multinomial block Hessian: for logits u = X V^T, the product is
            # X^T diag(w) (P * u - P * rowsum(P * u)).
            def hessp(direction):
                u = linear_predictor(self.X, direction, self.fit_intercept)
                u *= probabilities
                u -= probabilities * u.sum(axis=1, keepdims=True)
                u *= self.weights[:, None]
                return self._gradient_from_residual(direction, u)

        return cost, gradient, hessp


def log_probabilities_from_logits(raw):
    """Return log class probabilities from logits, shape ``(n, n_classes)``.

    ``raw`` has shape ``(n, 1)`` (sigmoid) or ``(n, n_classes)`` (softmax).
    The result is finite for finite logits; infinite logits must be clipped
    before the call.
    """
    if raw.shape[1] == 1:
        z = raw[:, 0]
        return np.column_stack([log_expit(-z), log_expit(z)])
    return log_softmax(raw, axis=1)
