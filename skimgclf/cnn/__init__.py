"""Convolutional neural network classifier built on Keras 3.

Importing this package does not import TensorFlow or Keras; they are
imported when :class:`KerasCNNClassifier` first trains, predicts or is
unpickled.
"""

from skimgclf.cnn._classifier import KerasCNNClassifier

__all__ = ["KerasCNNClassifier"]
