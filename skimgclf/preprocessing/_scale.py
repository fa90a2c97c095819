"""PixelScaler: map pixel values to [0, 1]."""

import numpy as np
from sklearn.base import _fit_context
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from skimgclf.preprocessing._base import BaseImageTransformer
from skimgclf.utils._image_input import check_image_input, describe_item, load_item

# Integer dtypes whose maximum is the white level of a photo.
_PHOTO_DTYPES = (np.dtype(np.uint8), np.dtype(np.uint16))
# Value ranges tried, in order, for images whose dtype does not fix one.
_STANDARD_RANGES = (1.0, 255.0, 65535.0)


class PixelScaler(BaseImageTransformer):
    """Scale pixel values to [0, 1] by a divisor learned in :term:`fit`.

    Parameters
    ----------
    method : {"dtype", "max"}, default="dtype"
        How the divisor ``scale_`` is learned.

        - ``"dtype"``: ``uint8`` images are divided by 255 and ``uint16``
          images by 65535, image by image. For other dtypes (floats, signed
          integers) the divisor is ``scale_``: the smallest of 1, 255 and
          65535 that is at least the largest value seen in fit. Float
          pixels produced from ``uint8`` images by an earlier step are
          therefore still divided by 255.
        - ``"max"``: the divisor is the largest pixel value seen in fit.

    Attributes
    ----------
    scale_ : float
        Divisor applied by :meth:`transform` (with ``method="dtype"``, to
        images that are not ``uint8`` or ``uint16``).

    n_features_in_ : int
        Number of features seen during :term:`fit`. Defined only when ``X``
        was a 2-D array.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when ``X``
        was a DataFrame with string column names.

    See Also
    --------
    ImageResizer : Resize images; keeps ``uint8`` photos in ``uint8``.

    Notes
    -----
    Output dtype: ``float64`` input stays ``float64``; every other dtype
    gives ``float32``. The output has the input's layout (a list gives a
    list). Values are only divided, never shifted or clipped, so negative
    inputs stay negative and values above those seen in fit exceed 1.
    With ``method="max"`` and no positive value in fit, ``scale_`` is 1.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgclf.preprocessing import PixelScaler
    >>> X = np.array([[0, 51, 255]], dtype=np.uint8)
    >>> PixelScaler().fit_transform(X)
    array([[0. , 0.2, 1. ]], dtype=float32)
    >>> PixelScaler().fit(X.astype(np.float32)).scale_
    255.0
    """

    _parameter_constraints = {"method": [StrOptions({"dtype", "max"})]}

    def __init__(self, *, method="dtype"):
        self.method = method

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the divisor ``scale_`` from ``X``.

        Parameters
        ----------
        X : array-like or list of images
            A 2-D array of flattened images, a 3-D or 4-D image batch, or a
            list of arrays, PIL images or file paths.
        y : None
            Ignored.

        Returns
        -------
        self : PixelScaler
            The fitted transformer.
        """
        images = check_image_input(self, X, reset=True)
        if images.batch is not None:
            self.scale_ = self._scale_of(images.batch.dtype, images.batch)
            return self

        scale = 0.0
        for index, item in enumerate(images.items):
            dtype = describe_item(item, index)[2]
            if self.method == "dtype" and dtype in _PHOTO_DTYPES:
                item_scale = float(np.iinfo(dtype).max)
            else:
                image = load_item(item, index)
                item_scale = self._scale_of(image.dtype, image)
            scale = max(scale, item_scale)
        self.scale_ = scale
        return self

    def _scale_of(self, dtype, values):
        dtype = np.dtype(dtype)
        if self.method == "dtype" and dtype in _PHOTO_DTYPES:
            return float(np.iinfo(dtype).max)
        data_max = float(values.max()) if values.size else 0.0
        if self.method == "max":
            return data_max if data_max > 0 else 1.0
        for value_range in _STANDARD_RANGES:
            if data_max <= value_range:
                return value_range
        raise ValueError(
            f"PixelScaler(method='dtype') found pixel values up to {data_max:g} "
            f"in X of dtype {dtype}, above the 16-bit range 0-65535, so the "
            "dtype rule has no divisor for them. Use method='max', or scale "
            "the data yourself."
        )

    def transform(self, X):
        """Divide the pixel values of ``X`` by ``scale_``.

        Parameters
        ----------
        X : array-like or list of images
            A 2-D array of flattened images, a 3-D or 4-D image batch, or a
            list of arrays, PIL images or file paths.

        Returns
        -------
        X_scaled : ndarray or list of ndarray
            Scaled images in the layout of ``X``, ``float64`` for
            ``float64`` input and ``float32`` otherwise.
        """
        check_is_fitted(self)
        images = check_image_input(self, X, reset=False)
        if images.items is not None:
            return [
                self._divide(load_item(item, index))
                for index, item in enumerate(images.items)
            ]
        result = self._divide(images.batch)
        if images.flat:
            result = result.reshape(result.shape[0], -1)
        return self._wrap_output(result, X)

    def _divide(self, image):
        dtype = np.float64 if image.dtype == np.float64 else np.float32
        scale = self.scale_
        if self.method == "dtype" and image.dtype in _PHOTO_DTYPES:
            # The dtype fixes the white level of each image, also in a list
            # that mixes 8-bit and 16-bit images.
            scale = float(np.iinfo(image.dtype).max)
        return np.divide(image, dtype(scale), dtype=dtype)

    def get_feature_names_out(self, input_features=None):
        """Get output feature names: the input feature names, unchanged.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Names of the input features. None uses ``feature_names_in_``, or
            ``x0, x1, ...`` after a fit on a 2-D array without names.

        Returns
        -------
        feature_names_out : ndarray of str objects
            The same names as the input features.
        """
        check_is_fitted(self)
        return _check_feature_names_in(self, input_features)
