"""
SGD epochs, Newton steps, or both?
==================================

:class:`~skimgclf.linear_model.SGDLogisticRegression` minimises the
penalised cross-entropy with minibatch SGD and can finish with
``newton_steps`` iterations of Newton-conjugate-gradient on the full
training set. This example measures what each costs: the training loss
reached against the wall-clock time spent, for

- SGD alone (``newton_steps=0``),
- a few SGD epochs followed by Newton steps,
- Newton steps alone (``max_iter=0``),
- scikit-learn's :class:`~sklearn.linear_model.LogisticRegression` with
  its default L-BFGS solver, set to the same objective.

You will learn to read a suboptimality curve, why SGD makes its progress
early and then slows down, and why Newton steps reach the exact optimum
although each one makes many full passes over the data.

The data are flattened Fashion-MNIST images, read through
:func:`~skimgclf.datasets.load_fashion_mnist` from ``$SKIMGCLF_DATA``; see
the gallery's introduction for how to get them.
"""

# %%
# Load a subset of Fashion-MNIST
# ------------------------------
#
# ``N_TRAIN`` rows keep the example to about a minute on two cores; the full
# training set has 60,000. Pixels are divided by 255 and kept in float32, the dtype in
# which :class:`~skimgclf.linear_model.SGDLogisticRegression` then trains.
import numpy as np

from skimgclf.datasets import load_fashion_mnist

N_TRAIN = 4000

fashion = load_fashion_mnist(subset="train")
rows = np.random.default_rng(0).choice(len(fashion.target), N_TRAIN, replace=False)
X = fashion.data[rows].astype(np.float32) / 255
y = fashion.target[rows]
print(X.shape, X.dtype)

# %%
# The objective and a timed fit
# -----------------------------
#
# All four methods minimise the same cost: the mean cross-entropy plus
# ``alpha / 2 * ||coef||^2``. scikit-learn's ``LogisticRegression`` writes
# the penalty as ``C``, and ``C = 1 / (alpha * n_samples)`` gives the same
# minimum. ``penalised_loss`` evaluates that cost for any fitted model, so
# that the four can be put on one axis.
#
# Neither estimator reports its loss against time, so each method is fitted
# from scratch with a growing budget (epochs, Newton steps or L-BFGS
# iterations), and each fit contributes one point: its wall-clock time and
# the loss it reached. ``tol=None`` makes every fit use its whole budget.
import time
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from skimgclf.linear_model import SGDLogisticRegression

ALPHA = 1e-4


def penalised_loss(model):
    log_proba = model.predict_log_proba(X)
    cross_entropy = -log_proba[np.arange(len(y)), y].mean()
    return cross_entropy + ALPHA / 2 * np.sum(model.coef_.astype(np.float64) ** 2)


def loss_against_time(make_model, budgets):
    """Fit one model per budget; return fit times, losses and the last model."""
    times, losses = [], []
    for budget in budgets:
        model = make_model(budget)
        started = time.perf_counter()
        with warnings.catch_warnings():
            # The small budgets stop L-BFGS early on purpose.
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y)
        times.append(time.perf_counter() - started)
        losses.append(penalised_loss(model))
    return np.array(times), np.array(losses), model


# %%
# Run the four methods
# --------------------
#
# SGD uses the default ``'adaptive'`` step schedule and ``eta0='auto'``,
# which sets the first step from the data. "SGD + Newton" runs
# ``SGD_EPOCHS`` epochs first, so that Newton-CG starts from their weights
# instead of from zero.
SGD_EPOCHS = 3

curves = {
    "SGD": loss_against_time(
        lambda epochs: SGDLogisticRegression(
            alpha=ALPHA, max_iter=epochs, tol=None, random_state=0
        ),
        [1, 2, 4, 8, 16],
    ),
    f"SGD ({SGD_EPOCHS} epochs) + Newton": loss_against_time(
        lambda steps: SGDLogisticRegression(
            alpha=ALPHA,
            max_iter=SGD_EPOCHS,
            newton_steps=steps,
            tol=None,
            random_state=0,
        ),
        [1, 2, 3, 5],
    ),
    "Newton only": loss_against_time(
        lambda steps: SGDLogisticRegression(
            alpha=ALPHA, max_iter=0, newton_steps=steps, tol=None, random_state=0
        ),
        [1, 2, 3, 5, 8],
    ),
    "scikit-learn LogisticRegression (lbfgs)": loss_against_time(
        lambda iterations: LogisticRegression(
            C=1 / (ALPHA * N_TRAIN), max_iter=iterations, tol=0
        ),
        [5, 10, 20, 40, 80],
    ),
}

# %%
# Plot suboptimality against time
# -------------------------------
#
# The best loss that any fit reached serves as the exact minimum, and
# the y-axis shows how far above it each fit stopped, on a log scale.
import matplotlib.pyplot as plt

best = min(losses.min() for _, losses, _ in curves.values())
fig, ax = plt.subplots(figsize=(7, 4.5))
for (name, (times, losses, _)), marker in zip(curves.items(), "osD^"):
    ax.loglog(times, losses - best + 1e-8, marker=marker, label=name)
ax.set_xlabel("fit time (s)")
ax.set_ylabel("loss - best loss")
ax.set_title("Newton-CG reaches the optimum; SGD and L-BFGS are still descending")
ax.legend()
fig.tight_layout()

# %%
# How to read it
# --------------
#
# The times are wall-clock seconds on the machine that built this page, and
# they vary with its load, but the shapes of the curves do not.
#
# - SGD makes its largest gains in the first epochs and then slows down:
#   minibatch gradients are noisy, so the steps cannot grow with the
#   precision needed, and after 16 epochs the loss is still far above the
#   optimum.
# - Newton-CG's first steps are cheap, because far from the optimum the
#   conjugate-gradient solves are loose and stop after a few Hessian-vector
#   products. Near the optimum the solves get tighter and each step costs
#   more, but the error then falls faster than geometrically, and a handful
#   of steps reach the optimum to many digits.
# - Starting Newton-CG from three SGD epochs buys little here: the Newton
#   steps it saves are the cheap early ones.
# - L-BFGS makes steady progress without Hessian-vector products, but at
#   this small ``alpha`` it needs many more than 80 iterations.
#
# The last fit of each method, its time, its loss and its training
# accuracy:
for name, (times, losses, model) in curves.items():
    print(
        f"{name:40s} {times[-1]:6.2f} s  loss {losses[-1]:.6f}  "
        f"accuracy {model.score(X, y):.4f}"
    )
