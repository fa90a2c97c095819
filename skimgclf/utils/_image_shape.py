"""Image shapes of flattened rows."""

import math
import numbers

import numpy as np

ALLOWED_CHANNELS = (1, 3, 4)


def check_image_shape(image_shape, *, param_name="image_shape"):
    """Validate a user-given image shape and return it as a tuple of ints.

    Parameters
    ----------
    image_shape : tuple of int
        ``(height, width)`` or ``(height, width, channels)``.
    param_name : str, default="image_shape"
        Name used in error messages.

    Returns
    -------
    image_shape : tuple of int
        The same shape as a tuple of Python ints.
    """
    if isinstance(image_shape, (str, bytes)) or not np.iterable(image_shape):
        raise TypeError(
            f"{param_name} must be a tuple (height, width) or "
            f"(height, width, channels), got {image_shape!r}."
        )
    shape = tuple(image_shape)
    if len(shape) not in (2, 3) or not all(
        isinstance(size, numbers.Integral) and not isinstance(size, bool) and size >= 1
        for size in shape
    ):
        raise ValueError(
            f"{param_name} must be (height, width) or (height, width, channels) "
            f"with positive integers, got {image_shape!r}."
        )
    if len(shape) == 3 and shape[2] not in ALLOWED_CHANNELS:
        raise ValueError(
            f"{param_name}={image_shape!r} has {shape[2]} channels; images must "
            "have 1 (grayscale), 3 (RGB) or 4 (RGBA) channels."
        )
    return tuple(int(size) for size in shape)


def infer_image_shape(n_features, image_shape=None):
    """Find the image shape of flattened rows with ``n_features`` values.

    The rule shared by every estimator of the library: ``image_shape`` when
    given, else a square grayscale image when ``n_features`` is a perfect
    square, else a single row of ``n_features`` grayscale pixels.

    Parameters
    ----------
    n_features : int
        Number of values in each flattened row.
    image_shape : tuple of int or None, default=None
        ``(height, width)`` or ``(height, width, channels)`` whose product
        must equal ``n_features``.

    Returns
    -------
    image_shape : tuple of int
        ``(height, width)`` for grayscale or ``(height, width, channels)``.

    Examples
    --------
    >>> from skimgclf.utils import infer_image_shape
    >>> infer_image_shape(784)
    (28, 28)
    >>> infer_image_shape(10)
    (1, 10)
    >>> infer_image_shape(12, (2, 2, 3))
    (2, 2, 3)
    """
    if image_shape is None:
        side = math.isqrt(n_features)
        if side * side == n_features:
            return (side, side)
        return (1, int(n_features))

    shape = check_image_shape(image_shape)
    size = math.prod(shape)
    if size != n_features:
        raise ValueError(
            f"image_shape={image_shape!r} has {size} values per image, but "
            f"X has {n_features} features per row. Pass an image_shape whose "
            f"product is {n_features}, or image_shape=None to infer it."
        )
    return shape
