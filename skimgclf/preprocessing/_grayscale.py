"""Grayscaler: convert colour images to luminance."""

import numpy as np
from sklearn.base import _fit_context
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_is_fitted

from skimgclf.preprocessing._base import BaseImageTransformer
from skimgclf.preprocessing._pixels import (
    BT601_WEIGHTS,
    apply_alpha_rule,
    canonical_dtype,
    luminance,
    pixel_feature_names,
)
from skimgclf.utils._image_input import check_image_input, load_item
from skimgclf.utils._image_shape import infer_image_shape

# Luma coefficients for R, G and B.
LUMA_WEIGHTS = {
    # ITU-R BT.601, the weights of Pillow's "L" conversion.
    "bt601": BT601_WEIGHTS,
    # ITU-R BT.709 (HDTV and sRGB primaries).
    "bt709": (0.2126, 0.7152, 0.0722),
}

# Images converted per NumPy call, to bound the float copy of a large batch.
_CHUNK_SIZE = 1024


class Grayscaler(BaseImageTransformer):
    """Convert colour images to grayscale luminance.

    Luminance is the weighted sum of the R, G and B channels with the
    weights of ITU-R BT.601 (0.299, 0.587, 0.114, as Pillow's ``"L"`` mode)
    or BT.709 (0.2126, 0.7152, 0.0722). Images that are already grayscale
    pass through unchanged.

    Parameters
    ----------
    weights : {"bt601", "bt709"}, default="bt601"
        Standard whose luma coefficients are used.

    alpha : {"composite", "drop"}, default="composite"
        What happens to an alpha channel before the conversion:
        ``"composite"`` blends the image onto white, ``"drop"`` discards
        the alpha channel.

    image_shape : tuple of int, default=None
        ``(height, width)`` or ``(height, width, channels)`` of the images
        in a 2-D input. None infers a square grayscale image when the number
        of features is a perfect square, else a single row of pixels.

    Attributes
    ----------
    luminance_weights_ : ndarray of shape (3,)
        Weights of the R, G and B channels.

    n_features_in_ : int
        Number of features seen during :term:`fit`. Defined only when ``X``
        was a 2-D array.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when ``X``
        was a DataFrame with string column names.

    See Also
    --------
    ImageResizer : Resize images to one shape.

    Notes
    -----
    Layouts: ``(n, h, w, 3)`` and ``(n, h, w, 4)`` give ``(n, h, w)``. A
    3-D batch ``(n, h, w)`` is grayscale by definition, even when ``w`` is
    3, and ``(n, h, w, 1)`` is grayscale too; both are returned as an
    unchanged copy. A 2-D input gives a 2-D output of flattened grayscale
    images. A list gives a list of 2-D arrays.

    Dtypes: ``uint8`` and ``uint16`` images stay in their dtype, rounded to
    the nearest integer, so the pixel range travels to
    :class:`PixelScaler`. ``float32`` and ``float64`` stay as they are;
    other dtypes become ``float32``.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgclf.preprocessing import Grayscaler
    >>> red = np.zeros((1, 2, 2, 3), dtype=np.uint8)
    >>> red[..., 0] = 255
    >>> Grayscaler().fit_transform(red)
    array([[[76, 76],
            [76, 76]]], dtype=uint8)
    """

    _parameter_constraints = {
        "weights": [StrOptions(set(LUMA_WEIGHTS))],
        "alpha": [StrOptions({"composite", "drop"})],
        "image_shape": [tuple, list, None],
    }

    def __init__(self, *, weights="bt601", alpha="composite", image_shape=None):
        self.weights = weights
        self.alpha = alpha
        self.image_shape = image_shape

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the parameters and the form of ``X``.

        Parameters
        ----------
        X : array-like or list of images
            A 2-D array of flattened images, a 3-D or 4-D image batch, or a
            list of arrays, PIL images or file paths.
        y : None
            Ignored.

        Returns
        -------
        self : Grayscaler
            The fitted transformer.
        """
        images = check_image_input(self, X, image_shape=self.image_shape, reset=True)
        self.luminance_weights_ = np.asarray(LUMA_WEIGHTS[self.weights])
        # Image shape of a batch, for the output feature names.
        self._fit_image_shape = None if images.batch is None else images.batch.shape[1:]
        return self

    def transform(self, X):
        """Convert every image of ``X`` to luminance.

        Parameters
        ----------
        X : array-like or list of images
            A 2-D array of flattened images, a 3-D or 4-D image batch, or a
            list of arrays, PIL images or file paths.

        Returns
        -------
        X_gray : ndarray or list of ndarray
            Grayscale images in the layout and dtype of the Notes.
        """
        check_is_fitted(self)
        images = check_image_input(self, X, image_shape=self.image_shape, reset=False)
        if images.items is not None:
            return [
                self._convert(load_item(item, index))
                for index, item in enumerate(images.items)
            ]

        batch = images.batch
        if batch.ndim == 3 or batch.shape[3] == 1:
            # A copy, so that writing to the output never changes X.
            result = batch.copy()
        else:
            result = np.empty(batch.shape[:3], dtype=canonical_dtype(batch.dtype))
            for start in range(0, batch.shape[0], _CHUNK_SIZE):
                stop = start + _CHUNK_SIZE
                result[start:stop] = self._convert(batch[start:stop], batched=True)
        if images.flat:
            result = result.reshape(result.shape[0], -1)
        return self._wrap_output(result, X)

    def _convert(self, image, *, batched=False):
        """Convert one image, or a batch when ``batched``, to luminance."""
        channel_ndim = 4 if batched else 3
        if image.ndim < channel_ndim or image.shape[-1] == 1:
            return image if image.ndim < channel_ndim else image[..., 0]
        if image.shape[-1] in (2, 4):
            image = _apply_alpha(image, self.alpha, batched)
            if image.ndim < channel_ndim:
                return image

        return luminance(image, self.luminance_weights_)

    def get_feature_names_out(self, input_features=None):
        """Get the names of the output pixels, once flattened.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored; the output pixels get their own names.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``pixel_<row>_<col>`` for each grayscale pixel.
        """
        check_is_fitted(self)
        if hasattr(self, "n_features_in_"):
            shape_in = infer_image_shape(self.n_features_in_, self.image_shape)
        elif getattr(self, "_fit_image_shape", None) is not None:
            shape_in = self._fit_image_shape
        else:
            raise ValueError(
                "Grayscaler was fitted on a list of images, whose sizes may "
                "differ, so its output pixels have no names. Fit it on an "
                "array, or place it after ImageResizer."
            )
        if len(shape_in) == 3 and shape_in[2] == 1:
            return pixel_feature_names(shape_in)
        return pixel_feature_names(shape_in[:2])


def _apply_alpha(image, alpha, batched):
    if not batched:
        return apply_alpha_rule(image, alpha)
    return np.stack([apply_alpha_rule(single, alpha) for single in image])
