"""Data set loaders that return images as scikit-learn Bunch objects.

Fashion-MNIST is read from its original files (and downloaded when
allowed), photo folders are read one sub-folder per class, and two small
data sets bundled with scikit-learn and scikit-image need no download.
:func:`group_train_test_split` keeps duplicate photos on one side of a
split, and :func:`iter_image_batches` streams decoded batches of files.
"""

from skimgclf.datasets._base import get_data_home
from skimgclf.datasets._embedded import load_digits_images, load_lfw_subset
from skimgclf.datasets._fashion_mnist import FASHION_MNIST_URL, load_fashion_mnist
from skimgclf.datasets._image_folder import IMAGE_EXTENSIONS, load_image_folder
from skimgclf.datasets._split import group_train_test_split
from skimgclf.datasets._stream import iter_image_batches

__all__ = [
    "FASHION_MNIST_URL",
    "IMAGE_EXTENSIONS",
    "get_data_home",
    "group_train_test_split",
    "iter_image_batches",
    "load_digits_images",
    "load_fashion_mnist",
    "load_image_folder",
    "load_lfw_subset",
]
