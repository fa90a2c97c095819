"""The input layer shared by every image transformer.

An image input ``X`` is one of:

* a 2-D array ``(n_samples, n_features)`` of flattened images, whose image
  shape comes from ``image_shape`` (see :func:`infer_image_shape`);
* a 3-D array ``(n_samples, height, width)`` of grayscale images;
* a 4-D array ``(n_samples, height, width, channels)`` with 1, 3 or 4
  channels, channels last;
* a list or tuple of images that may differ in size and dtype: 2-D or 3-D
  arrays, PIL images, or file paths (``str`` or ``os.PathLike``).

:func:`check_image_input` validates the container once and returns an
:class:`ImageInput`. The items of a list are validated one at a time by
:func:`load_item`, so that a list of paths is never decoded all at once.
"""

import numbers

import numpy as np
from PIL import Image
from sklearn.utils import check_array
from sklearn.utils.validation import validate_data

from skimgclf.utils._decode import (
    decode_item,
    image_info,
    is_path,
    open_item,
)
from skimgclf.utils._image_shape import ALLOWED_CHANNELS, infer_image_shape


class ImageInput:
    """Validated image input.

    Exactly one of ``batch`` and ``items`` is set.

    Parameters
    ----------
    batch : ndarray or None
        Images as one array, ``(n, height, width)`` or
        ``(n, height, width, channels)``.
    items : list or None
        Images as a list of arrays, PIL images or paths.
    flat : bool
        Whether ``X`` was a 2-D array of flattened images, so that outputs
        should be flattened again.
    """

    def __init__(self, *, batch=None, items=None, flat=False):
        self.batch = batch
        self.items = items
        self.flat = flat

    @property
    def n_samples(self):
        """Number of images."""
        if self.batch is not None:
            return self.batch.shape[0]
        return len(self.items)


def _channel_message(n_channels, where):
    message = (
        f"{where} has {n_channels} channels in its last axis; images must have "
        "1 (grayscale), 3 (RGB) or 4 (RGBA) channels, channels last."
    )
    if n_channels > 4:
        message += " For channels-first data, use np.moveaxis(X, 1, -1)."
    return message


def check_image_input(estimator, X, *, image_shape=None, reset, allow_list=True):
    """Validate an image input ``X`` once.

    Parameters
    ----------
    estimator : estimator instance
        The estimator that receives ``X``. For 2-D input,
        ``n_features_in_`` and ``feature_names_in_`` are set (``reset=True``)
        or checked (``reset=False``) as scikit-learn's ``validate_data`` does.
        For other input they are removed when ``reset=True``.
    X : array-like or list
        The image input, in one of the forms in the module docstring.
    image_shape : tuple of int or None, default=None
        Shape of one image of a 2-D input.
    reset : bool
        Whether this call fits ``estimator``.
    allow_list : bool, default=True
        Whether a list of images is accepted.

    Returns
    -------
    images : ImageInput
        ``X`` as a validated batch array, or as a list of images whose
        items are validated later by :func:`load_item`.
    """
    if isinstance(X, Image.Image) or is_path(X):
        raise TypeError(
            f"X is a single image ({type(X).__name__}); transformers take a "
            "batch. Pass a list with one image, [X]."
        )
    if _is_pandas_series(X):
        X = X.to_numpy()

    if _is_array_of_paths(X):
        X = [item.item() if isinstance(item, np.generic) else item for item in X]

    if isinstance(X, (list, tuple)) and _is_nested_sequence(X):
        X = _nested_sequence_to_array(X)

    if isinstance(X, (list, tuple)):
        if not allow_list:
            raise TypeError(
                f"{type(estimator).__name__} needs images of one size as an "
                "array; got a list. Resize them first with ImageResizer."
            )
        items = _check_items(X)
        if reset:
            _forget_features(estimator)
        return ImageInput(items=items)

    if isinstance(X, np.ndarray) and X.dtype == object and X.ndim == 1:
        raise TypeError(
            "X is a 1-D array of objects. Pass a list of images instead, "
            "for example list(X)."
        )

    ndim = _ndim(X)
    if ndim == 2:
        X = validate_data(
            estimator, X, reset=reset, dtype="numeric", ensure_all_finite=True
        )
        shape = infer_image_shape(X.shape[1], image_shape)
        return ImageInput(batch=X.reshape((X.shape[0], *shape)), flat=True)

    if ndim in (3, 4):
        X = check_array(
            X,
            dtype="numeric",
            allow_nd=True,
            ensure_all_finite=True,
            input_name="X",
        )
        if X.ndim == 4 and X.shape[3] not in ALLOWED_CHANNELS:
            raise ValueError(_channel_message(X.shape[3], f"X of shape {X.shape}"))
        if 0 in X.shape[1:]:
            raise ValueError(f"X of shape {X.shape} contains empty images.")
        if reset:
            _forget_features(estimator)
        return ImageInput(batch=X)

    if ndim == 0:
        raise TypeError(
            f"X must be an array of images or a list of images, got "
            f"{type(X).__name__}: {X!r:.80}."
        )
    if ndim == 1:
        raise ValueError(
            f"Expected a 2-D, 3-D or 4-D array or a list of images, got a 1-D "
            f"array of shape {np.shape(X)}. Reshape your data with "
            "X.reshape(1, -1) if it is one flattened image, or pass a list "
            "of images."
        )
    raise ValueError(
        f"Expected a 2-D, 3-D or 4-D array or a list of images, got a "
        f"{ndim}-D array of shape {np.shape(X)}. A batch of images is "
        "(n_samples, height, width) or (n_samples, height, width, channels)."
    )


def _is_pandas_series(X):
    return type(X).__name__ == "Series" and hasattr(X, "to_numpy")


def _is_array_of_paths(X):
    """Tell whether ``X`` is a 1-D array of file paths, as indexing a list of paths with an array gives."""
    if not isinstance(X, np.ndarray) or X.ndim != 1 or X.size == 0:
        return False
    if X.dtype.kind in "US":
        return True
    return X.dtype == object and all(is_path(item) for item in X)


def _is_nested_sequence(X):
    """Tell whether ``X`` is a list of rows (lists or tuples), as in [[0, 1], [2, 3]]."""
    return len(X) > 0 and all(isinstance(item, (list, tuple)) for item in X)


def _nested_sequence_to_array(X):
    """Convert nested lists of numbers to an array, rejecting ragged rows."""
    lengths = {len(row) for row in X}
    if len(lengths) > 1:
        raise ValueError(
            f"X is a list of rows of different lengths {sorted(lengths)}. Rows "
            "of a 2-D input must have one length; pass images of different "
            "sizes as a list of arrays instead."
        )
    try:
        return np.asarray(X)
    except ValueError as exc:
        raise ValueError(
            f"X is a nested list that is not rectangular: {exc}. Pass images "
            "of different sizes as a list of arrays."
        ) from exc


def _ndim(X):
    ndim = getattr(X, "ndim", None)
    if isinstance(ndim, numbers.Integral):
        return int(ndim)
    # Array-likes without ndim (nested sequences, objects with __array__).
    return np.asarray(X).ndim


def _forget_features(estimator):
    for attribute in ("n_features_in_", "feature_names_in_"):
        if hasattr(estimator, attribute):
            delattr(estimator, attribute)


def _check_items(X):
    if len(X) == 0:
        raise ValueError(
            "X is an empty list. Pass at least one image: an array, a PIL "
            "image or a file path."
        )
    for index, item in enumerate(X):
        if not isinstance(item, (np.ndarray, Image.Image)) and not is_path(item):
            hint = ""
            if isinstance(item, (list, tuple)):
                hint = (
                    " To pass a batch of flattened images, convert X with "
                    "np.asarray(X) first."
                )
            raise TypeError(
                f"Item {index} of X is of type {type(item).__name__}; images in "
                "a list must be NumPy arrays, PIL images or file paths (str or "
                f"os.PathLike).{hint}"
            )
    return list(X)


def check_item_array(image, index):
    """Validate one array from a list of images.

    Returns
    -------
    image : ndarray
        ``(height, width)`` or ``(height, width, channels)`` with a numeric
        dtype and finite values.
    """
    where = f"Item {index} of X"
    if image.dtype == object:
        try:
            image = image.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"{where} is an array of objects that are not numbers: {exc}."
            ) from exc
    if not (np.issubdtype(image.dtype, np.number) or image.dtype == np.bool_):
        raise TypeError(
            f"{where} has dtype {image.dtype}; images must hold numbers."
        )
    if np.issubdtype(image.dtype, np.complexfloating):
        raise TypeError(f"{where} has complex dtype {image.dtype}; use real pixels.")
    if image.ndim not in (2, 3):
        raise ValueError(
            f"{where} has shape {image.shape}; one image must be "
            "(height, width) or (height, width, channels)."
        )
    if image.ndim == 3 and image.shape[2] not in ALLOWED_CHANNELS:
        raise ValueError(_channel_message(image.shape[2], f"{where} of shape {image.shape}"))
    if 0 in image.shape:
        raise ValueError(f"{where} of shape {image.shape} is empty.")
    if np.issubdtype(image.dtype, np.floating) and not np.isfinite(image).all():
        raise ValueError(
            f"{where} contains NaN or infinity. Replace them, for example "
            "with np.nan_to_num, before passing the image."
        )
    return image


def load_item(item, index, *, draft_size=None):
    """Return one list item as a validated array, decoding paths and PIL images.

    Parameters
    ----------
    item : ndarray, PIL.Image.Image, str or os.PathLike
        One item of a list of images.
    index : int
        Position of the item in X, for error messages.
    draft_size : callable or None, default=None
        For JPEG files, a reduced decoding size; see
        :func:`skimgclf.utils._decode.decoded`.

    Returns
    -------
    image : ndarray
        ``(height, width)`` or ``(height, width, channels)`` with 1, 3 or 4
        channels. Grayscale images with alpha are returned as RGBA.
    """
    if isinstance(item, np.ndarray):
        return check_item_array(item, index)
    image = decode_item(item, index, draft_size=draft_size)
    if image.ndim == 3 and image.shape[2] == 2:
        # Grayscale with alpha becomes RGBA, a layout every transformer takes.
        gray = image[..., 0]
        image = np.stack([gray, gray, gray, image[..., 1]], axis=-1)
    return image


def describe_item(item, index):
    """Return ``(is_color, has_alpha, dtype)`` of one list item.

    Of a path or PIL image only the header is read, so this is cheap enough
    to run over a whole list before decoding it.
    """
    if isinstance(item, np.ndarray):
        image = check_item_array(item, index)
        n_channels = 1 if image.ndim == 2 else image.shape[2]
        return n_channels >= 3, n_channels == 4, image.dtype
    image = open_item(item, index)
    try:
        return image_info(image, item, index)
    finally:
        if image is not item:
            image.close()
