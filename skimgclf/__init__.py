"""scikit-learn compatible image classification.

The transformers in :mod:`skimgclf.preprocessing` turn photos, file paths and
image batches into model input, :class:`SGDLogisticRegression` is a minibatch
SGD softmax regression, and :class:`KerasCNNClassifier` trains a Keras 3
convolutional network. TensorFlow and Keras are imported only when
:class:`KerasCNNClassifier` is first accessed.
"""

import importlib

__version__ = "0.1.0.dev0"

# Public names are resolved on first access, so that importing skimgclf stays
# fast and never imports TensorFlow or Keras.
_LAZY_ATTRIBUTES = {
    "Flattener": "skimgclf.preprocessing",
    "Grayscaler": "skimgclf.preprocessing",
    "ImageResizer": "skimgclf.preprocessing",
    "PixelScaler": "skimgclf.preprocessing",
    "SGDLogisticRegression": "skimgclf.linear_model",
    "KerasCNNClassifier": "skimgclf.cnn",
}

__all__ = [
    "Flattener",
    "Grayscaler",
    "ImageResizer",
    "KerasCNNClassifier",
    "PixelScaler",
    "SGDLogisticRegression",
    "__version__",
]


def __getattr__(name):
    if name in _LAZY_ATTRIBUTES:
        module = importlib.import_module(_LAZY_ATTRIBUTES[name])
        return getattr(module, name)
    raise AttributeError(f"module 'skimgclf' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY_ATTRIBUTES))
