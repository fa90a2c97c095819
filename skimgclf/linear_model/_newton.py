"""Truncated Newton-conjugate-gradient minimisation of a smooth convex cost.

The solver only needs the cost, its gradient and Hessian-vector products, so
it never stores the Hessian. For a linear classifier with ``p`` features and
``K`` outputs, memory stays O(n_samples * K + p * K), where the full Hessian
would take (p * K) ** 2 numbers.
"""

import numpy as np

# Backtracking halves the step at most this many times (down to 2**-30).
_MAX_LINE_SEARCH_HALVINGS = 30
# Sufficient-decrease constant of the Armijo condition.
_ARMIJO_C = 1e-4


def _conjugate_gradient(hessp, gradient, *, max_iter, rtol):
    """Approximately solve ``H d = -gradient`` by conjugate gradient.

    Stops when the residual norm falls below ``rtol * ||gradient||``, after
    ``max_iter`` iterations, or on a direction of non-positive curvature, and
    returns the last iterate (``-gradient`` when the first direction already
    has non-positive curvature, which keeps the result a descent direction).
    """
    direction = np.zeros_like(gradient)
    residual = -gradient
    search = residual.copy()
    residual_sq = float(np.vdot(residual, residual))
    stop_sq = (rtol**2) * residual_sq
    for iteration in range(max_iter):
        curvature_times_search = hessp(search)
        curvature = float(np.vdot(search, curvature_times_search))
        if not curvature > 0:
            if iteration == 0:
                return -gradient
            break
        step = residual_sq / curvature
        direction += step * search
        residual -= step * curvature_times_search
        new_residual_sq = float(np.vdot(residual, residual))
        if new_residual_sq <= stop_sq:
            break
        search *= new_residual_sq / residual_sq
        search += residual
        residual_sq = new_residual_sq
    return direction


def newton_cg(
    cost_gradient_hessp,
    cost,
    params,
    *,
    max_iter,
    tol,
    max_cg_iter,
    callback=None,
):
    """Minimise a convex cost by truncated Newton-CG with a backtracking line search.

    Parameters
    ----------
    cost_gradient_hessp : callable
        ``cost_gradient_hessp(params)`` returns ``(cost, gradient, hessp)``.
    cost : callable
        ``cost(params)`` returns the cost, used by the line search.
    params : ndarray
        Starting point; it is not modified.
    max_iter : int
        Maximum number of Newton iterations.
    tol : float
        The solver stops when the largest absolute gradient entry is at or
        below ``tol``.
    max_cg_iter : int
        Maximum conjugate-gradient iterations per Newton iteration.
    callback : callable, default=None
        Called as ``callback(iteration, cost, gradient_max)`` after each
        Newton iteration with the cost reached.

    Returns
    -------
    params : ndarray
        Final point. Every accepted step lowered the cost, so its cost is at
        most the starting cost.
    n_iter : int
        Newton iterations run.
    converged : bool
        Whether the gradient criterion was met.
    """
    params = params.copy()
    current_cost, gradient, hessp = cost_gradient_hessp(params)
    gradient_max = float(np.max(np.abs(gradient)))
    n_iter = 0
    while n_iter < max_iter and not gradient_max <= tol:
        # Forcing term min(0.5, sqrt(||g||)) makes CG solves loose far from the
        # optimum and tight near it (superlinear local convergence).
        gradient_norm = float(np.sqrt(np.vdot(gradient, gradient)))
        direction = _conjugate_gradient(
            hessp,
            gradient,
            max_iter=max_cg_iter,
            rtol=min(0.5, np.sqrt(gradient_norm)),
        )
        slope = float(np.vdot(gradient, direction))
        if not slope < 0:
            direction = -gradient
            slope = -(gradient_norm**2)

        step = 1.0
        for _ in range(_MAX_LINE_SEARCH_HALVINGS):
            candidate = params + step * direction
            candidate_cost = cost(candidate)
            if candidate_cost <= current_cost + _ARMIJO_C * step * slope:
                break
            step *= 0.5
        else:
            # Even a step of 2**-30 fails the Armijo test. This happens when the
            # cost is flat to floating-point precision, so stop without moving.
            n_iter += 1
            if callback is not None:
                callback(n_iter, current_cost, gradient_max)
            break

        params = candidate
        current_cost, gradient, hessp = cost_gradient_hessp(params)
        gradient_max = float(np.max(np.abs(gradient)))
        n_iter += 1
        if callback is not None:
            callback(n_iter, current_cost, gradient_max)
    return params, n_iter, gradient_max <= tol
