"""
Tuning a CNN with GridSearchCV
==============================

:class:`~skimgclf.cnn.KerasCNNClassifier` is a scikit-learn estimator, so
:class:`~sklearn.model_selection.GridSearchCV` tunes its architecture and
training parameters like any other. This example searches over the dropout
rate and the learning rate, then reads the learning curves of the
refitted best network from ``history_``. You will learn how to set up the
search, how to read ``cv_results_``, and how ``history_`` shows whether
the chosen network trained long enough.

The data are scikit-learn's bundled 8x8 digits, so the example needs no
download.
"""

# %%
# Load and split the digits
# -------------------------
#
# The CNN takes the ``(n, 8, 8)`` batch directly. The digits' pixel values
# run from 0 to 16, so :class:`~skimgclf.preprocessing.PixelScaler` divides
# by the largest value seen in ``fit`` (``method="max"``).
from sklearn.model_selection import train_test_split

from skimgclf.datasets import load_digits_images

digits = load_digits_images()
X_train, X_test, y_train, y_test = train_test_split(
    digits.images, digits.target, test_size=0.3, stratify=digits.target, random_state=0
)

# %%
# Set up the search
# -----------------
#
# The network has one convolution block of 16 filters. The grid varies the
# dropout after its dense layer and the Adam learning rate.
# ``validation_fraction=0.2`` makes every fit hold out a fifth of its
# training fold, so that ``history_`` records the validation loss after each
# epoch. ``EPOCHS`` is kept small for the build.
#
# ``n_jobs=1`` runs the fits one after the other in this process.
# TensorFlow already spreads each fit over the cores, and every extra worker
# process would import TensorFlow again, which costs seconds; on a machine
# with many cores, ``n_jobs`` > 1 pays off.
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from skimgclf.cnn import KerasCNNClassifier
from skimgclf.preprocessing import PixelScaler

EPOCHS = 10

pipeline = make_pipeline(
    PixelScaler(method="max"),
    KerasCNNClassifier(
        filters=(16,),
        dense_units=64,
        dropout=0.0,
        epochs=EPOCHS,
        batch_size=64,
        validation_fraction=0.2,
        random_state=0,
    ),
)
param_grid = {
    "kerascnnclassifier__dense_dropout": [0.0, 0.5],
    "kerascnnclassifier__learning_rate": [1e-3, 1e-2],
}
search = GridSearchCV(pipeline, param_grid, cv=3, n_jobs=1).fit(X_train, y_train)

# %%
# Read ``cv_results_``
# --------------------
#
# One row per candidate: its parameters, the mean and spread of its
# cross-validated accuracy, and how long it took to fit.
import pandas as pd

results = pd.DataFrame(search.cv_results_)
columns = [
    "param_kerascnnclassifier__dense_dropout",
    "param_kerascnnclassifier__learning_rate",
    "mean_test_score",
    "std_test_score",
    "mean_fit_time",
    "rank_test_score",
]
results[columns].sort_values("rank_test_score")

# %%
# In ``EPOCHS`` epochs the learning rate matters most: at ``1e-3`` both
# networks score about 0.90, at ``1e-2`` about 0.96. Dropout after the dense
# layer changes the score by less than its spread across the folds
# (``std_test_score``), so the grid cannot tell the two apart.
#
# Read ``history_`` of the best network
# -------------------------------------
#
# ``GridSearchCV`` refits the best candidate on the whole training set.
# Its fitted CNN is the last step of ``best_estimator_``, and ``history_``
# contains one value per epoch for each metric.
import matplotlib.pyplot as plt
import numpy as np

best_cnn = search.best_estimator_[-1]
history = best_cnn.history_
print("best parameters:", search.best_params_)
print("recorded metrics:", sorted(history))

epochs = np.arange(1, best_cnn.n_iter_ + 1)
fig, (ax_loss, ax_accuracy) = plt.subplots(1, 2, figsize=(10, 3.8))
ax_loss.plot(epochs, history["loss"], label="training")
ax_loss.plot(epochs, history["val_loss"], label="validation")
ax_loss.set_ylabel("cross-entropy")
ax_accuracy.plot(epochs, history["accuracy"], label="training")
ax_accuracy.plot(epochs, history["val_accuracy"], label="validation")
ax_accuracy.set_ylabel("accuracy")
for ax in (ax_loss, ax_accuracy):
    ax.set_xlabel("epoch")
    ax.legend()
fig.suptitle("The best network's validation loss has flattened: enough epochs")
fig.tight_layout()

# %%
# The training curves lie below the validation curves because Keras
# averages the training loss and accuracy over each epoch with dropout
# active, while it scores the validation images with the whole network at
# the end of the epoch.
#
# When the validation loss is still falling at the last epoch, more epochs
# would help; when it has turned up, fewer epochs or
# ``early_stopping=True`` would. Here it has levelled off after about seven
# epochs, so ``EPOCHS`` is about right for this network.
#
# Score on the test set
# ---------------------
from sklearn.metrics import ConfusionMatrixDisplay

print(f"test accuracy: {search.score(X_test, y_test):.3f}")
ConfusionMatrixDisplay.from_estimator(search, X_test, y_test, cmap="Blues", colorbar=False)
plt.title("Test digits, best CNN of the search")
plt.tight_layout()
