"""
Logistic regression versus a CNN on Fashion-MNIST
=================================================

Fashion-MNIST has ten classes of 28x28 grayscale photos of clothes. This
example trains a logistic regression on the pixels and a small
convolutional network on the images, and compares them class by class. You
will learn

- where a linear model on pixels falls short and a CNN does better,
- which classes stay hard for both: shirts, T-shirts, pullovers and coats,
- how to read a CNN's learning curves from ``history_``, and how dropout
  cures the overfitting that they show.

The images are read through :func:`~skimgclf.datasets.load_fashion_mnist`
from ``$SKIMGCLF_DATA``; see the gallery's introduction for how to get them.
Pass ``base_url=FASHION_MNIST_URL`` (from :mod:`skimgclf.datasets`) to
download them from Zalando Research instead.
"""

# %%
# Load a subset
# -------------
#
# ``N_TRAIN`` training and ``N_TEST`` test images keep the example to a few
# minutes on two cores. The full sets have 60,000 and 10,000 images; with them
# both models gain several points of accuracy.
import numpy as np

from skimgclf.datasets import load_fashion_mnist

N_TRAIN = 2000
N_TEST = 2000

train = load_fashion_mnist(subset="train")
test = load_fashion_mnist(subset="test")
rng = np.random.default_rng(0)
train_rows = rng.choice(len(train.target), N_TRAIN, replace=False)
test_rows = rng.choice(len(test.target), N_TEST, replace=False)
X_train, y_train = train.images[train_rows], train.target[train_rows]
X_test, y_test = test.images[test_rows], test.target[test_rows]
class_names = train.target_names
print(X_train.shape, X_train.dtype, class_names.tolist())

# %%
# One image of each class. Shirts, T-shirts, pullovers and coats share a
# silhouette at this resolution.
import matplotlib.pyplot as plt

fig, axes = plt.subplots(1, 10, figsize=(12, 1.8))
for label, ax in enumerate(axes):
    ax.imshow(X_train[np.flatnonzero(y_train == label)[0]], cmap="gray_r")
    ax.set_title(class_names[label], fontsize=9)
    ax.set_axis_off()
fig.suptitle("The ten Fashion-MNIST classes")
fig.tight_layout()

# %%
# Two models
# ----------
#
# Both pipelines start with :class:`~skimgclf.preprocessing.PixelScaler`,
# which divides the ``uint8`` pixels by 255. The logistic regression then
# needs :class:`~skimgclf.preprocessing.Flattener` to see each image as 784
# features, and five SGD epochs followed by Newton steps fit it to the
# optimum. The CNN takes the ``(n, 28, 28)`` batch as it is. It has two
# convolution blocks and lighter dropout than the default, which trains
# faster in the few epochs (``CNN_EPOCHS``) that the build affords.
from sklearn.pipeline import make_pipeline

from skimgclf.cnn import KerasCNNClassifier
from skimgclf.linear_model import SGDLogisticRegression
from skimgclf.preprocessing import Flattener, PixelScaler

CNN_EPOCHS = 12

logistic = make_pipeline(
    PixelScaler(),
    Flattener(),
    SGDLogisticRegression(alpha=1e-3, max_iter=5, newton_steps=10, random_state=0),
)
cnn = make_pipeline(
    PixelScaler(),
    KerasCNNClassifier(
        filters=(16, 32),
        dense_units=128,
        dropout=0.1,
        dense_dropout=0.25,
        epochs=CNN_EPOCHS,
        batch_size=32,
        random_state=0,
    ),
)
logistic.fit(X_train, y_train)
cnn.fit(X_train, y_train)

predictions = {"logistic regression": logistic.predict(X_test), "CNN": cnn.predict(X_test)}
for name, y_pred in predictions.items():
    print(f"{name:20s} test accuracy {np.mean(y_pred == y_test):.3f}")

# %%
# Class by class
# --------------
#
# Each row of a normalised confusion matrix shows where the test images of
# one class went; the diagonal is the recall of each class.
from sklearn.metrics import ConfusionMatrixDisplay

fig, axes = plt.subplots(1, 2, figsize=(13, 5.5))
for ax, (name, y_pred) in zip(axes, predictions.items()):
    ConfusionMatrixDisplay.from_predictions(
        y_test,
        y_pred,
        display_labels=class_names,
        normalize="true",
        values_format=".2f",
        cmap="Blues",
        colorbar=False,
        ax=ax,
        xticks_rotation=60,
    )
    ax.set_title(name)
fig.suptitle("Both models confuse the upper-body garments")
fig.tight_layout()

# %%
# Trousers, bags and ankle boots are the easiest classes for both models.
# The errors gather in the block of T-shirt/top, Pullover, Coat and Shirt,
# and shirts are the hardest class of all, taken for each of the other
# three. The CNN gains most on T-shirts, pullovers and dresses. At this
# training size it calls even more shirts T-shirts than the linear model
# does, so its lead in accuracy comes from the other classes.
#
# What the CNN gets wrong
# -----------------------
#
# The CNN's errors among the four upper-body classes, with the true and the
# predicted class. Many of them are hard to tell for a person too at 28x28:
# a dark sleeveless shirt and a dark sleeveless top differ in the label
# only.
upper_body = np.isin(y_test, [0, 2, 4, 6])
cnn_wrong = np.flatnonzero(upper_body & (predictions["CNN"] != y_test))

fig, axes = plt.subplots(2, 6, figsize=(10, 5))
for ax in axes.ravel():
    ax.set_axis_off()
for ax, index in zip(axes.ravel(), cnn_wrong):
    ax.imshow(X_test[index], cmap="gray_r")
    ax.set_title(
        f"{class_names[y_test[index]]}\nas {class_names[predictions['CNN'][index]]}",
        fontsize=8,
    )
fig.suptitle("Misclassified upper-body garments: true class, then prediction")
fig.tight_layout()

# %%
# Learning curves and dropout
# ---------------------------
#
# With ``validation_fraction`` the CNN holds out part of its training data
# and records ``val_loss`` and ``val_accuracy`` in ``history_`` after every
# epoch. To make overfitting visible within a short build, two CNNs with a
# large dense layer train on only ``N_CURVE`` images, half of them held
# out: one without dropout, one with the default dropout after each
# convolution block (0.25) and after the dense layer (0.5).
N_CURVE = 500
CURVE_EPOCHS = 25

curves = {}
for name, dropout, dense_dropout in [("no dropout", 0.0, 0.0), ("dropout", 0.25, 0.5)]:
    model = make_pipeline(
        PixelScaler(),
        KerasCNNClassifier(
            filters=(16, 32),
            dense_units=256,
            dropout=dropout,
            dense_dropout=dense_dropout,
            epochs=CURVE_EPOCHS,
            batch_size=16,
            validation_fraction=0.5,
            random_state=0,
        ),
    )
    model.fit(X_train[:N_CURVE], y_train[:N_CURVE])
    curves[name] = model[-1].history_

fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
for ax, (name, history) in zip(axes, curves.items()):
    epochs = np.arange(1, len(history["loss"]) + 1)
    ax.plot(epochs, history["loss"], label="training loss")
    ax.plot(epochs, history["val_loss"], label="validation loss")
    ax.set_xlabel("epoch")
    ax.set_title(name)
    ax.legend()
axes[0].set_ylabel("cross-entropy")
fig.suptitle("Without dropout the validation loss turns up; dropout keeps it down")
fig.tight_layout()

# %%
# Without dropout the training loss falls towards zero while the
# validation loss stops improving after about ten epochs and then rises:
# the network memorises its 250 training images and grows confident on the
# validation images it gets wrong. With dropout the training loss falls
# more slowly, and the validation loss keeps falling to the last epoch and
# ends lower. The validation accuracy differs less than the loss, because
# overconfidence costs cross-entropy before it costs correct predictions:
for name, history in curves.items():
    best = int(np.argmin(history["val_loss"]))
    print(
        f"{name:10s}: validation loss {history['val_loss'][-1]:.3f} at the end, "
        f"lowest {history['val_loss'][best]:.3f} at epoch {best + 1}; "
        f"validation accuracy {history['val_accuracy'][-1]:.3f}"
    )
