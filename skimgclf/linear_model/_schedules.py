"""Learning-rate schedules for minibatch SGD.

A schedule is a small stateful object. The optimizer reads the step size of
each minibatch from it, and the estimator calls ``on_plateau`` when the
training loss stops improving. It is pickled with the estimator, so
``partial_fit`` continues the schedule where it stopped.
"""

# The 'adaptive' schedule divides the step by this factor on a plateau and
# stops training once the step falls below MIN_RATIO * eta0.
ADAPTIVE_DIVISOR = 5.0
ADAPTIVE_MIN_RATIO = 1e-6


class LearningRateSchedule:
    """Step size of minibatch SGD as a function of the step counter.

    Parameters
    ----------
    kind : {'constant', 'invscaling', 'adaptive'}
        ``'constant'``: ``eta0`` at every step. ``'invscaling'``:
        ``eta0 / (1 + t / steps_per_epoch) ** power_t`` for step ``t``, so the
        step decays once per epoch's worth of minibatches. ``'adaptive'``:
        ``eta0`` until the training loss plateaus, then divided by 5 at each
        plateau.
    eta0 : float
        Initial step size, > 0.
    power_t : float
        Exponent of ``'invscaling'``.
    steps_per_epoch : int
        Minibatches in one pass over the training data.
    """

    def __init__(self, kind, eta0, power_t, steps_per_epoch):
        self.kind = kind
        self.eta0 = eta0
        self.power_t = power_t
        self.steps_per_epoch = max(1, steps_per_epoch)
        self.current = eta0

    def step_size(self, t):
        """Return the step size for the minibatch with zero-based counter ``t``."""
        if self.kind == "invscaling":
            return self.eta0 / (1.0 + t / self.steps_per_epoch) ** self.power_t
        return self.current

    def on_plateau(self):
        """React to ``n_iter_no_change`` epochs without loss improvement.

        Returns
        -------
        stop : bool
            True when training should stop: always for 'constant' and
            'invscaling', and for 'adaptive' once the step is below
            ``1e-6 * eta0``.
        """
        if self.kind != "adaptive":
            return True
        if self.current <= ADAPTIVE_MIN_RATIO * self.eta0:
            return True
        self.current /= ADAPTIVE_DIVISOR
        return False
