"""Data set loaders that return scikit-learn Bunch objects of images."""

from skimgclf.datasets._base import get_data_home
from skimgclf.datasets._fashion_mnist import FASHION_MNIST_URL, load_fashion_mnist
from skimgclf.datasets._image_folder import IMAGE_EXTENSIONS, load_image_folder

__all__ = [
    "FASHION_MNIST_URL",
    "IMAGE_EXTENSIONS",
    "get_data_home",
    "load_fashion_mnist",
    "load_image_folder",
]
