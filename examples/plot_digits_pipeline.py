"""
A first image-classification pipeline
=====================================

This example chains the four image transformers of skimgclf with
:class:`~skimgclf.linear_model.SGDLogisticRegression` into one scikit-learn
:class:`~sklearn.pipeline.Pipeline` and tunes it with
:class:`~sklearn.model_selection.GridSearchCV`. You will learn how the steps
hand images to each other, how to search over the image size as if it were
any other hyperparameter, and how to read the result of the search.

The data are scikit-learn's bundled 8x8 handwritten digits, so the example
needs no download.
"""

# %%
# Load the digits as images
# -------------------------
#
# :func:`~skimgclf.datasets.load_digits_images` returns the digits as an
# image batch of shape ``(n_samples, 8, 8)``, with pixel values from 0 to 16.
import matplotlib.pyplot as plt

from skimgclf.datasets import load_digits_images

digits = load_digits_images()
print(digits.images.shape, digits.images.dtype, digits.images.max())

fig, axes = plt.subplots(2, 8, figsize=(8, 2.4))
for ax, image, label in zip(axes.ravel(), digits.images, digits.target):
    ax.imshow(image, cmap="gray_r")
    ax.set_title(label)
    ax.set_axis_off()
fig.suptitle("The first 16 digits: 8x8 pixels, values 0 to 16")
fig.tight_layout()

# %%
# Hold out a test set
# -------------------
#
# The grid search below cross-validates on the training part only, and the
# test part gives one final, unbiased score.
from sklearn.model_selection import train_test_split

X_train, X_test, y_train, y_test = train_test_split(
    digits.images, digits.target, test_size=0.25, stratify=digits.target, random_state=0
)

# %%
# Build the pipeline
# ------------------
#
# Each step takes images and returns images, until
# :class:`~skimgclf.preprocessing.Flattener` turns them into rows of pixels:
#
# - :class:`~skimgclf.preprocessing.ImageResizer` brings every image to
#   ``output_shape``. Here it can enlarge or shrink the 8x8 digits, which
#   changes the number of features the classifier gets.
# - :class:`~skimgclf.preprocessing.PixelScaler` divides by a divisor learned
#   in ``fit``. The digits are float64 with a maximum of 16, so the default
#   ``method="dtype"`` would pick 255. ``method="max"`` divides by the
#   largest value seen in ``fit``, 16, and maps the pixels to [0, 1].
# - :class:`~skimgclf.preprocessing.Flattener` reshapes ``(n, h, w)`` into
#   ``(n, h * w)``.
# - :class:`~skimgclf.linear_model.SGDLogisticRegression` fits a multinomial
#   logistic regression by minibatch SGD.
from sklearn.pipeline import make_pipeline

from skimgclf.linear_model import SGDLogisticRegression
from skimgclf.preprocessing import Flattener, ImageResizer, PixelScaler

pipeline = make_pipeline(
    ImageResizer(output_shape=(8, 8)),
    PixelScaler(method="max"),
    Flattener(),
    SGDLogisticRegression(max_iter=30, random_state=0),
)
pipeline

# %%
# Search over image size and regularisation
# -----------------------------------------
#
# The step names that :func:`~sklearn.pipeline.make_pipeline` chose are the
# lower-cased class names, so the image size is
# ``imageresizer__output_shape`` and the L2 penalty is
# ``sgdlogisticregression__alpha``. ``n_jobs=2`` fits two candidates at a
# time, in separate processes.
import warnings

import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

param_grid = {
    "imageresizer__output_shape": [(4, 4), (8, 8), (16, 16)],
    "sgdlogisticregression__alpha": [1e-5, 1e-3, 1e-1],
}
search = GridSearchCV(pipeline, param_grid, cv=3, n_jobs=2)
with warnings.catch_warnings():
    # 30 epochs are enough for this comparison; a fit that is still
    # improving at the end only warns.
    warnings.simplefilter("ignore", ConvergenceWarning)
    search.fit(X_train, y_train)

results = pd.DataFrame(search.cv_results_)
table = results.pivot_table(
    index="param_sgdlogisticregression__alpha",
    columns="param_imageresizer__output_shape",
    values="mean_test_score",
)
table

# %%
# The table reads as a map of the grid. Shrinking the digits to 4x4 loses detail
# and costs about ten points of accuracy. Enlarging them to 16x16 adds no information, and scores within
# a few tenths of a point of 8x8 while the classifier has four times the
# weights to fit. The strongest penalty, ``alpha=0.1``, underfits at every
# size.
fig, ax = plt.subplots(figsize=(5, 3.5))
image = ax.imshow(table.to_numpy(), cmap="viridis")
ax.set_xticks(range(table.shape[1]), [f"{h}x{w}" for h, w in table.columns])
ax.set_yticks(range(table.shape[0]), [f"{alpha:g}" for alpha in table.index])
ax.set_xlabel("output_shape of ImageResizer")
ax.set_ylabel("alpha")
for row in range(table.shape[0]):
    for col in range(table.shape[1]):
        ax.text(col, row, f"{table.iat[row, col]:.3f}", ha="center", va="center", color="w")
fig.colorbar(image, label="mean cross-validated accuracy")
ax.set_title("Too small an image or too much penalty costs accuracy")
fig.tight_layout()

# %%
# Score the best pipeline on the test set
# ---------------------------------------
#
# ``GridSearchCV`` refits the best candidate on the whole training set, so
# ``search`` itself is the final model.
from sklearn.metrics import ConfusionMatrixDisplay

print("best parameters:", search.best_params_)
print(f"test accuracy: {search.score(X_test, y_test):.3f}")

ConfusionMatrixDisplay.from_estimator(search, X_test, y_test, cmap="Blues", colorbar=False)
plt.title("Test digits: 8s are the hardest class")
plt.tight_layout()
