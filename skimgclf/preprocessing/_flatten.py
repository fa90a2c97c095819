"""Flattener: turn image batches into rows of pixels."""

import numpy as np
from sklearn.base import _fit_context
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted, validate_data

from skimgclf.preprocessing._base import BaseImageTransformer
from skimgclf.preprocessing._pixels import batch_dtype, convert_dtype, pixel_feature_names
from skimgclf.utils._image_input import check_image_input, load_item


class Flattener(BaseImageTransformer):
    """Flatten images into rows of pixels for linear models.

    ``(n, height, width[, channels])`` becomes
    ``(n, height * width * channels)`` in C order (row by row, channels
    innermost). :meth:`inverse_transform` restores the image shape.

    Parameters
    ----------
    image_shape : tuple of int, default=None
        ``(height, width)`` or ``(height, width, channels)`` of the images
        in a 2-D input, which passes through unchanged. None infers a square
        grayscale image when the number of features is a perfect square,
        else a single row of pixels.

    Attributes
    ----------
    image_shape_ : tuple of int
        Shape of one image seen during :term:`fit`.

    n_features_in_ : int
        Number of features seen during :term:`fit`. Defined only when ``X``
        was a 2-D array.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when ``X``
        was a DataFrame with string column names.

    See Also
    --------
    ImageResizer : Give images of different sizes one shape first.

    Notes
    -----
    Flattening is a reshape: the dtype is kept, and a C-contiguous batch is
    returned as a view of it. A list of images must hold images of one
    shape; their dtypes are unified by the rule of :class:`ImageResizer`.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgclf.preprocessing import Flattener
    >>> X = np.arange(12).reshape(1, 2, 2, 3)
    >>> flattener = Flattener().fit(X)
    >>> flattener.transform(X)
    array([[ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11]])
    >>> flattener.get_feature_names_out()[:4]
    array(['pixel_0_0_0', 'pixel_0_0_1', 'pixel_0_0_2', 'pixel_0_1_0'],
          dtype=object)
    >>> flattener.inverse_transform(flattener.transform(X)).shape
    (1, 2, 2, 3)
    """

    _parameter_constraints = {"image_shape": [tuple, list, None]}

    def __init__(self, *, image_shape=None):
        self.image_shape = image_shape

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the image shape of ``X``.

        Parameters
        ----------
        X : array-like or list of images
            A 2-D array of flattened images, a 3-D or 4-D image batch, or a
            list of arrays, PIL images or file paths of one shape.
        y : None
            Ignored.

        Returns
        -------
        self : Flattener
            The fitted transformer.
        """
        images = check_image_input(self, X, image_shape=self.image_shape, reset=True)
        if images.batch is not None:
            self.image_shape_ = tuple(images.batch.shape[1:])
        else:
            self.image_shape_ = tuple(load_item(images.items[0], 0).shape)
        return self

    def transform(self, X):
        """Flatten every image of ``X`` into one row.

        Parameters
        ----------
        X : array-like or list of images
            Images of shape ``image_shape_``.

        Returns
        -------
        X_flat : ndarray of shape (n_samples, n_pixels)
            One row of pixel values per image.
        """
        check_is_fitted(self)
        images = check_image_input(self, X, image_shape=self.image_shape, reset=False)
        if images.batch is not None:
            batch = images.batch
            if tuple(batch.shape[1:]) != self.image_shape_:
                raise ValueError(self._shape_message(batch.shape[1:], "X"))
            result = batch.reshape(batch.shape[0], -1)
        else:
            result = self._stack_items(images.items)
        return self._wrap_output(result, X)

    def _stack_items(self, items):
        arrays = []
        for index, item in enumerate(items):
            image = load_item(item, index)
            if image.shape != self.image_shape_:
                raise ValueError(self._shape_message(image.shape, f"Item {index} of X"))
            arrays.append(image)
        dtype = batch_dtype([image.dtype for image in arrays])
        result = np.empty((len(arrays), int(np.prod(self.image_shape_))), dtype=dtype)
        for row, image in enumerate(arrays):
            result[row] = convert_dtype(image, dtype).ravel()
        return result

    def _shape_message(self, shape, where):
        return (
            f"{where} has images of shape {tuple(shape)}, but Flattener was "
            f"fitted on images of shape {self.image_shape_}. Resize them with "
            "ImageResizer first."
        )

    def inverse_transform(self, X):
        """Restore the image shape of flattened rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_pixels)
            Rows as returned by :meth:`transform`.

        Returns
        -------
        X_images : ndarray of shape ``(n_samples, *image_shape_)``
            The images.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype="numeric", ensure_all_finite=False)
        n_pixels = int(np.prod(self.image_shape_))
        if X.shape[1] != n_pixels:
            raise ValueError(
                f"X has {X.shape[1]} features, but images of shape "
                f"{self.image_shape_} have {n_pixels} pixels."
            )
        return X.reshape((X.shape[0], *self.image_shape_))

    def get_feature_names_out(self, input_features=None):
        """Get output feature names.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            For a 2-D input, names of the input features, which pass through
            unchanged. Otherwise ignored.

        Returns
        -------
        feature_names_out : ndarray of str objects
            The input feature names for a 2-D input with names, else
            ``pixel_<row>_<col>[_<channel>]``.
        """
        check_is_fitted(self)
        if input_features is not None or hasattr(self, "feature_names_in_"):
            return _check_feature_names_in(self, input_features)
        return pixel_feature_names(self.image_shape_)
