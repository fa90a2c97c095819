"""Small image data sets bundled with scikit-learn and scikit-image."""

import numpy as np
from sklearn.utils import Bunch

from skimgclf.datasets._base import check_return_X_y

LFW_SUBSET_DESCR = """\
LFW faces and non-faces
-----------------------

200 grayscale 25x25 patches from the Labeled Faces in the Wild (LFW) photos,
bundled with scikit-image as skimage.data.lfw_subset: 100 faces and 100
non-faces cut from the backgrounds of the same photos.

Images are float64 in [0, 1]. Labels: 0 non-face, 1 face.

Source: skimage.data.lfw_subset in scikit-image 0.26, whose documentation
points to the LFW site http://vis-www.cs.umass.edu/lfw/ and to Huang,
Mattar, Lee and Learned-Miller, "Learning to align from scratch", NIPS 2012.
"""

# skimage.data.lfw_subset returns the 100 faces first, then the 100 non-faces.
_N_FACES = 100


def load_digits_images(*, n_class=10, return_X_y=False):
    """Load scikit-learn's bundled 8x8 handwritten digits as an image batch.

    A thin wrapper around :func:`sklearn.datasets.load_digits` that needs no
    download and returns the fields of the other loaders of this module.

    Parameters
    ----------
    n_class : int, default=10
        Number of classes to return, from 1 to 10: the digits 0 to
        ``n_class - 1``.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        images : ndarray of shape (n_samples, 8, 8), dtype=float64
            The images, pixel values from 0 to 16 (the number of set pixels
            in each 4x4 block of the original 32x32 bitmaps).
        data : ndarray of shape (n_samples, 64), dtype=float64
            The same pixels, each image flattened row by row.
        target : ndarray of shape (n_samples,), dtype=int64
            The digit of each image.
        target_names : ndarray of shape (n_class,), dtype=str
            The digits as strings, ``"0"`` to ``"9"``.
        DESCR : str
            scikit-learn's description of the data set.

    (data, target) : tuple if ``return_X_y`` is True
        ``data`` and ``target`` as in the Bunch.

    See Also
    --------
    sklearn.datasets.load_digits : The source of the data.

    Notes
    -----
    With the default ``n_class=10`` there are 1,797 images, about 180 per
    digit. The value range 0 to 16 differs from the 0 to 255 of uint8
    photos, so scale with ``PixelScaler(method="max")`` or divide by 16.

    Examples
    --------
    >>> from skimgclf.datasets import load_digits_images
    >>> digits = load_digits_images()
    >>> digits.images.shape, float(digits.images.max())
    ((1797, 8, 8), 16.0)
    >>> digits.target_names.tolist()[:3]
    ['0', '1', '2']
    """
    from sklearn.datasets import load_digits

    check_return_X_y(return_X_y)
    if isinstance(n_class, bool) or not isinstance(n_class, (int, np.integer)):
        raise TypeError(f"n_class must be an int from 1 to 10, got {n_class!r}.")
    if not 1 <= n_class <= 10:
        raise ValueError(f"n_class must be from 1 to 10, got {n_class}.")

    digits = load_digits(n_class=int(n_class))
    target = digits.target.astype(np.int64)
    if return_X_y:
        return digits.data, target
    return Bunch(
        images=digits.images,
        data=digits.data,
        target=target,
        target_names=np.array([str(digit) for digit in range(n_class)]),
        DESCR=digits.DESCR,
    )


def load_lfw_subset(*, return_X_y=False):
    """Load scikit-image's bundled 25x25 faces and non-faces as an image batch.

    The 200 patches of :func:`skimage.data.lfw_subset` with labels: the
    first 100 are faces (label 1) and the last 100 are non-faces (label 0).
    No download is needed.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        images : ndarray of shape (200, 25, 25), dtype=float64
            The grayscale patches, values in [0, 1].
        data : ndarray of shape (200, 625), dtype=float64
            The same pixels, each image flattened row by row.
        target : ndarray of shape (200,), dtype=int64
            1 for a face, 0 for a non-face.
        target_names : ndarray of shape (2,), dtype=str
            ``["non-face", "face"]``.
        DESCR : str
            Description of the data set.

    (data, target) : tuple if ``return_X_y`` is True
        ``data`` and ``target`` as in the Bunch.

    See Also
    --------
    skimage.data.lfw_subset : The source of the data.

    Notes
    -----
    The docstring of ``skimage.data.lfw_subset`` in scikit-image 0.26 calls
    the images uint8, but the function returns float64 values in [0, 1].
    This loader returns what the function returns.

    Examples
    --------
    >>> from skimgclf.datasets import load_lfw_subset
    >>> faces = load_lfw_subset()
    >>> faces.images.shape
    (200, 25, 25)
    >>> faces.target_names[faces.target[:2]].tolist()
    ['face', 'face']
    """
    from skimage.data import lfw_subset

    check_return_X_y(return_X_y)
    images = lfw_subset()
    target = np.zeros(len(images), dtype=np.int64)
    target[:_N_FACES] = 1
    data = images.reshape(len(images), -1)
    if return_X_y:
        return data, target
    return Bunch(
        images=images,
        data=data,
        target=target,
        target_names=np.array(["non-face", "face"]),
        DESCR=LFW_SUBSET_DESCR,
    )
