"""
Training from a folder that does not fit in memory
==================================================

A folder of 20,000 photos decoded to the usual CNN input of 224x224 RGB
``float32`` pixels takes 12 GB of memory, more than many laptops and GPU
workers have. This example trains both classifiers of skimgclf on batches
streamed out of a photo folder, so that only one batch is ever decoded.
You will learn

- how :func:`~skimgclf.datasets.iter_image_batches` yields decoded and
  transformed batches, one epoch per pass,
- how :class:`~skimgclf.linear_model.SGDLogisticRegression` and
  :class:`~skimgclf.cnn.KerasCNNClassifier` train on them with
  ``partial_fit``, and
- how to score a model on a test folder in batches too.

The photos are the face-mask photos of the gallery example "Face-mask
photos from a class folder", read from ``$SKIMGCLF_DATA/facemask``. The
example uses a random subset of ``N_PHOTOS`` photos so that it runs in a
couple of minutes. The code is the same for the whole folder.
"""

# %%
# List the photos and split them
# ------------------------------
#
# :func:`~skimgclf.datasets.load_image_folder` returns file paths only, and
# :func:`~skimgclf.datasets.group_train_test_split` keeps byte-identical
# copies of a photo on one side of the split.
import numpy as np

from skimgclf.datasets import get_data_home, group_train_test_split, load_image_folder

N_PHOTOS = 300

photos = load_image_folder(get_data_home() / "facemask")
rng = np.random.RandomState(0)
subset = rng.choice(len(photos.filenames), size=N_PHOTOS, replace=False)
paths_train, paths_test, y_train, y_test = group_train_test_split(
    photos.filenames[subset],
    photos.target[subset],
    groups=photos.groups[subset],
    test_size=0.25,
    stratify=photos.target[subset],
    random_state=0,
)
classes = np.unique(photos.target)
print(f"{len(paths_train)} training and {len(paths_test)} test photos")

full_bytes = 20_000 * 224 * 224 * 3 * np.dtype(np.float32).itemsize
print(f"20,000 photos as 224x224x3 float32: {full_bytes / 1e9:.1f} GB")

# %%
# One batch at a time
# -------------------
#
# ``iter_image_batches`` shuffles the paths, then decodes ``batch_size`` of
# them with the given transformer and yields the pixels with their labels.
# The transformer here resizes to 32x32, converts to gray, scales to [0, 1]
# and flattens each image to a row for the linear model.
from sklearn.pipeline import make_pipeline

from skimgclf.datasets import iter_image_batches
from skimgclf.preprocessing import Flattener, Grayscaler, ImageResizer, PixelScaler

BATCH_SIZE = 64

to_rows = make_pipeline(
    ImageResizer(output_shape=(32, 32)), Grayscaler(), PixelScaler(), Flattener()
)
X_batch, y_batch = next(
    iter_image_batches(
        paths_train, y_train, batch_size=BATCH_SIZE, transformer=to_rows,
        random_state=0,
    )
)
print(f"one batch: {X_batch.shape} {X_batch.dtype}, {X_batch.nbytes / 1e6:.2f} MB")

# %%
# The test set is scored the same way: predict batch by batch without
# shuffling and keep only the predicted labels.


def predict_streamed(clf, paths, transformer):
    batches = iter_image_batches(
        paths, batch_size=BATCH_SIZE, transformer=transformer, shuffle=False
    )
    return np.concatenate([clf.predict(X) for X, _ in batches])


# %%
# Logistic regression with partial_fit
# ------------------------------------
#
# Each call of ``partial_fit`` runs one SGD pass over its batch. The first
# call needs ``classes``, because a batch may lack a class. One
# :class:`numpy.random.RandomState` passed to every epoch draws a new order
# of the photos each time.
from skimgclf.linear_model import SGDLogisticRegression

N_EPOCHS_LR = 6

lr = SGDLogisticRegression(alpha=1e-3, random_state=0)
lr_accuracy = []
order_rng = np.random.RandomState(0)
for epoch in range(N_EPOCHS_LR):
    for X_batch, y_batch in iter_image_batches(
        paths_train, y_train, batch_size=BATCH_SIZE, transformer=to_rows,
        random_state=order_rng,
    ):
        lr.partial_fit(X_batch, y_batch, classes=classes)
    lr_accuracy.append(np.mean(predict_streamed(lr, paths_test, to_rows) == y_test))
print(f"logistic regression test accuracy after {N_EPOCHS_LR} epochs: {lr_accuracy[-1]:.3f}")

# %%
# CNN with partial_fit
# --------------------
#
# The CNN takes colour images, so its transformer stops after scaling. Each
# ``partial_fit`` call is one epoch of Keras training over the streamed
# batch, in minibatches of the estimator's ``batch_size``, and the network
# is built on the first call. With few photos per epoch, a learning rate
# above Adam's default of 1e-3 makes the few steps count.
from skimgclf.cnn import KerasCNNClassifier

N_EPOCHS_CNN = 10

to_images = make_pipeline(ImageResizer(output_shape=(32, 32)), PixelScaler())
cnn = KerasCNNClassifier(
    filters=(8, 16), dense_units=32, batch_size=16, learning_rate=3e-3, random_state=0
)
cnn_accuracy = []
order_rng = np.random.RandomState(0)
for epoch in range(N_EPOCHS_CNN):
    for X_batch, y_batch in iter_image_batches(
        paths_train, y_train, batch_size=BATCH_SIZE, transformer=to_images,
        random_state=order_rng,
    ):
        cnn.partial_fit(X_batch, y_batch, classes=classes)
    cnn_accuracy.append(np.mean(predict_streamed(cnn, paths_test, to_images) == y_test))
print(f"CNN test accuracy after {N_EPOCHS_CNN} epochs: {cnn_accuracy[-1]:.3f}")

# %%
# Learning curves and errors
# --------------------------
#
# Both models learn although neither ever held the whole training set in
# memory. The curves are noisy because an epoch of this subset has only a
# few gradient steps. The confusion matrix shows which class the CNN
# confuses on the test photos.
import matplotlib.pyplot as plt
from sklearn.metrics import ConfusionMatrixDisplay

fig, (ax_curve, ax_matrix) = plt.subplots(1, 2, figsize=(10, 4))
ax_curve.plot(range(1, N_EPOCHS_LR + 1), lr_accuracy, marker="o", label="logistic regression")
ax_curve.plot(range(1, N_EPOCHS_CNN + 1), cnn_accuracy, marker="o", label="CNN")
ax_curve.set_xlabel("epoch")
ax_curve.set_ylabel("test accuracy")
ax_curve.set_title("Test accuracy while streaming batches")
ax_curve.legend()

ConfusionMatrixDisplay.from_predictions(
    y_test,
    predict_streamed(cnn, paths_test, to_images),
    display_labels=photos.target_names,
    ax=ax_matrix,
    colorbar=False,
)
ax_matrix.set_title("CNN errors on the test photos")
fig.tight_layout()
plt.show()
