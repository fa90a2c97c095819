"""Data set loaders that return scikit-learn Bunch objects of images."""

from skimgclf.datasets._base import get_data_home
from skimgclf.datasets._fashion_mnist import FASHION_MNIST_URL, load_fashion_mnist

__all__ = ["FASHION_MNIST_URL", "get_data_home", "load_fashion_mnist"]
