"""ImageResizer: resize images of any size and source to one shape."""

import numbers
import sys

import numpy as np
from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from skimgclf.preprocessing._base import BaseImageTransformer, run_in_threads
from skimgclf.preprocessing._geometry import (
    RESAMPLE_FILTERS,
    decoded_size_needed,
    place,
    resample,
    resample_pil,
)
from skimgclf.preprocessing._pixels import (
    ALPHA_RULES,
    apply_alpha_rule,
    batch_dtype,
    convert_dtype,
    pixel_feature_names,
    to_channels,
)
from skimgclf.utils._decode import decoded, is_path
from skimgclf.utils._image_input import check_image_input, describe_item, load_item
from skimgclf.utils._image_shape import infer_image_shape


class ImageResizer(BaseImageTransformer):
    """Resize images to one shape, decoding file paths and PIL images.

    Takes a batch of images as an array, or a list of images of different
    sizes (arrays, PIL images or file paths), and returns one array of
    images of ``output_shape``. Pillow resamples each image with its
    antialiasing filters, so downsampling does not alias. Lists are decoded
    and resized one image at a time on ``n_jobs`` threads.

    Parameters
    ----------
    output_shape : int or tuple of int, default=(224, 224)
        ``(height, width)`` of the output images. An int gives square images.

    preserve_aspect_ratio : bool, default=False
        If False, each image is stretched to ``output_shape``. If True, the
        aspect ratio is kept and ``aspect_mode`` decides how the image fills
        ``output_shape``.

    aspect_mode : {"pad", "crop"}, default="pad"
        Used when ``preserve_aspect_ratio=True``. ``"pad"`` fits the whole
        image inside ``output_shape`` and fills the border with ``cval``.
        ``"crop"`` fills ``output_shape`` and cuts the centred excess.

    cval : float, default=0.0
        Value of the padded border, in the output's value range.

    resample : {"nearest", "box", "bilinear", "hamming", "bicubic", \
            "lanczos"}, default="bilinear"
        Pillow resampling filter.

    alpha : {"composite", "drop", "keep"}, default="composite"
        What happens to an alpha channel. ``"composite"`` blends the image
        onto white, ``"drop"`` discards the alpha channel, ``"keep"`` keeps
        it and outputs RGBA.

    image_shape : tuple of int, default=None
        ``(height, width)`` or ``(height, width, channels)`` of the images
        in a 2-D input. None infers a square grayscale image when the number
        of features is a perfect square, else a single row of pixels.

    n_jobs : int, default=None
        Number of threads that decode and resize images. None means 1
        unless in a :func:`joblib.parallel_config` context; -1 uses all
        processors.

    verbose : int, default=0
        If positive, print a progress line every 1000 images.

    Other Parameters
    ----------------
    jpeg_draft : bool, default=True
        Decode large JPEG files at a reduced DCT scale (1/2, 1/4 or 1/8)
        that still covers twice the output size before resampling. This is
        several times faster for photos much larger than ``output_shape``.
        Pixel values differ slightly from a full decode, but the placement
        of the image does not depend on this setting.

    Attributes
    ----------
    output_shape_ : tuple of int
        ``(height, width)`` of the output images.

    n_channels_ : int
        Channels of the output images, fixed in :term:`fit` by the layout
        rule of the Notes: 1 (grayscale), 3 (RGB) or 4 (RGBA).

    n_features_in_ : int
        Number of features seen during :term:`fit`. Defined only when ``X``
        was a 2-D array.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when ``X``
        was a DataFrame with string column names.

    See Also
    --------
    Grayscaler : Convert colour images to luminance.
    PixelScaler : Scale pixel values to [0, 1].
    Flattener : Flatten images into rows for linear models.

    Notes
    -----
    Output layout: a 2-D input gives a 2-D output of flattened
    ``output_shape`` images. Otherwise the output is ``(n, height, width)``
    when every image seen in :term:`fit` is grayscale and
    ``(n, height, width, 3)`` when any has colour; alpha follows ``alpha``
    (``"keep"`` gives 4 channels). :meth:`transform` always gives these
    ``n_channels_`` channels, so training and test images match: grayscale
    images are replicated into RGB, and colour images become their BT.601
    luminance when fit saw only grayscale. A 4-D input with one channel
    keeps its channel axis.

    Output dtype and range: ``uint8``, ``uint16``, ``float32`` and
    ``float64`` images keep their dtype and value range, so ``uint8``
    photos stay ``uint8`` in 0-255 and :class:`PixelScaler` later knows to
    divide by 255. Other dtypes become ``float32`` with the same values. In
    a list that mixes ``uint8`` and ``uint16`` images the output is
    ``uint16`` (``uint8`` values times 257); in a list that mixes integer
    and float images the output is float, with integer images divided by
    their dtype's maximum. The same rules apply whether or not an image
    needed resizing, and values are clipped to each image's per-channel
    range, so no filter overshoots it.

    File paths and PIL images are decoded with Pillow: EXIF orientation is
    applied, palette and CMYK images become RGB (RGBA with transparency),
    16-bit grayscale stays ``uint16``. Pillow reads 16-bit-per-channel RGB
    PNG files as 8-bit RGB.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgclf.preprocessing import ImageResizer
    >>> small = np.zeros((10, 20, 3), dtype=np.uint8)
    >>> large = np.full((300, 200), 255, dtype=np.uint8)
    >>> resizer = ImageResizer(output_shape=(32, 32))
    >>> X = resizer.fit_transform([small, large])
    >>> X.shape, X.dtype
    ((2, 32, 32, 3), dtype('uint8'))
    >>> int(X[1].min()), int(X[1].max())
    (255, 255)
    """

    _parameter_constraints = {
        "output_shape": [Interval(numbers.Integral, 1, None, closed="left"), tuple, list],
        "preserve_aspect_ratio": ["boolean"],
        "aspect_mode": [StrOptions({"pad", "crop"})],
        "cval": [numbers.Real],
        "resample": [StrOptions(set(RESAMPLE_FILTERS))],
        "alpha": [StrOptions(set(ALPHA_RULES))],
        "image_shape": [tuple, list, None],
        "n_jobs": [numbers.Integral, None],
        "verbose": ["verbose"],
        "jpeg_draft": ["boolean"],
    }

    def __init__(
        self,
        output_shape=(224, 224),
        *,
        preserve_aspect_ratio=False,
        aspect_mode="pad",
        cval=0.0,
        resample="bilinear",
        alpha="composite",
        image_shape=None,
        n_jobs=None,
        verbose=0,
        jpeg_draft=True,
    ):
        self.output_shape = output_shape
        self.preserve_aspect_ratio = preserve_aspect_ratio
        self.aspect_mode = aspect_mode
        self.cval = cval
        self.resample = resample
        self.alpha = alpha
        self.image_shape = image_shape
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.jpeg_draft = jpeg_draft

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the parameters and the form of ``X``.

        Fixes the output channels ``n_channels_``. Images are not decoded
        here: of a list of paths, only the file headers are read.

        Parameters
        ----------
        X : array-like or list of images
            A 2-D array of flattened images, a 3-D or 4-D image batch, or a
            list of arrays, PIL images or file paths.
        y : None
            Ignored.

        Returns
        -------
        self : ImageResizer
            The fitted transformer.
        """
        self.output_shape_ = _check_output_shape(self.output_shape)
        images = check_image_input(self, X, image_shape=self.image_shape, reset=True)
        if images.batch is not None:
            first = images.batch[0]
            channels_in = 1 if first.ndim == 2 else first.shape[2]
            self.n_channels_ = self._output_channels(channels_in >= 3, channels_in == 4)
        else:
            any_color, any_alpha, _ = _describe_items(images.items)
            self.n_channels_ = self._output_channels(any_color, any_alpha)
        return self

    def transform(self, X):
        """Resize every image of ``X`` to ``output_shape``.

        Parameters
        ----------
        X : array-like or list of images
            A 2-D array of flattened images, a 3-D or 4-D image batch, or a
            list of arrays, PIL images or file paths.

        Returns
        -------
        X_resized : ndarray
            ``(n, height * width * channels)`` for a 2-D input, else
            ``(n, height, width)`` or ``(n, height, width, channels)``; see
            the Notes for the dtype.
        """
        check_is_fitted(self)
        images = check_image_input(self, X, image_shape=self.image_shape, reset=False)
        if images.batch is not None:
            result = self._resize_batch(images.batch)
        else:
            result = self._resize_items(images.items)
        if images.flat:
            result = result.reshape(result.shape[0], -1)
        return self._wrap_output(result, X)

    def _output_channels(self, any_color, any_alpha):
        if self.alpha == "keep" and any_alpha:
            return 4
        return 3 if any_color else 1

    def _resize_batch(self, batch):
        channels_in = 1 if batch.ndim == 3 else batch.shape[3]
        n_channels = self.n_channels_
        dtype = batch_dtype([batch.dtype])
        keep_axis = batch.ndim == 4 and channels_in == 1
        out = self._allocate(batch.shape[0], n_channels, dtype, keep_axis)

        def resize_one(index):
            self._place_into(out, index, batch[index], n_channels, dtype)

        run_in_threads(resize_one, batch.shape[0], self.n_jobs)
        return out

    def _resize_items(self, items):
        # A first pass reads only headers (or array shapes) to find the
        # output dtype, so that the output is allocated once and each
        # decoded image is written straight into it.
        _, _, dtypes = _describe_items(items)
        n_channels = self.n_channels_
        dtype = batch_dtype(dtypes)
        out = self._allocate(len(items), n_channels, dtype, keep_axis=False)
        n_items = len(items)

        def resize_one(index):
            item = items[index]
            if isinstance(item, np.ndarray):
                image = load_item(item, index)
                self._place_into(out, index, image, n_channels, dtype)
            else:
                draft = self._draft_size if (self.jpeg_draft and is_path(item)) else None
                with decoded(item, index, draft_size=draft) as image:
                    self._place_decoded(out, index, image, n_channels, dtype)
            if self.verbose and (index + 1) % 1000 == 0:
                print(f"[ImageResizer] resized {index + 1}/{n_items} images", file=sys.stderr)

        run_in_threads(resize_one, n_items, self.n_jobs)
        return out

    def _draft_size(self, width, height):
        # Twice the size that resampling needs, as Pillow's thumbnail does:
        # the DCT scaling of a JPEG decoder is a coarse filter, and the
        # antialiasing filter then does the last factor of 2 or more.
        needed_width, needed_height = decoded_size_needed(
            width,
            height,
            self.output_shape_,
            preserve_aspect_ratio=self.preserve_aspect_ratio,
            aspect_mode=self.aspect_mode,
        )
        return 2 * needed_width, 2 * needed_height

    def _allocate(self, n_images, n_channels, dtype, keep_axis):
        shape = (n_images, *self.output_shape_)
        if n_channels > 1 or keep_axis:
            shape += (n_channels,)
        out = np.empty(shape, dtype=dtype)
        if self.preserve_aspect_ratio and self.aspect_mode == "pad":
            out.fill(_check_cval(self.cval, dtype))
        return out

    def _placement(self, source_shape, decoded_shape):
        placement = place(
            *source_shape,
            self.output_shape_,
            preserve_aspect_ratio=self.preserve_aspect_ratio,
            aspect_mode=self.aspect_mode,
        )
        return placement.scaled_to(source_shape, decoded_shape)

    def _place_decoded(self, out, index, image, n_channels, dtype):
        """Resize a decoded path or PIL image into ``out[index]``."""
        source_shape = image.source_size[::-1]
        mode = image.image.mode
        direct = dtype == np.uint8 and (
            (mode == "L" and n_channels in (1, 3))
            or (mode == "RGB" and n_channels == 3)
            or (mode == "RGBA" and n_channels == 4)
        )
        if not direct:
            self._place_into(out, index, image.to_array(), n_channels, dtype, source_shape)
            return

        # 8-bit photos are resampled by Pillow straight from the decoded
        # image, without an array copy of the full-size image.
        decoded_shape = image.image.size[::-1]
        placement = self._placement(source_shape, decoded_shape)
        resized = resample_pil(image.image, placement, self.resample)
        if mode == "L" and n_channels == 3:
            resized = np.repeat(resized[..., np.newaxis], 3, axis=2)
        self._write(out, index, resized, placement)

    def _place_into(self, out, index, image, n_channels, dtype, source_shape=None):
        """Resize an image array into ``out[index]``.

        ``source_shape`` is the ``(height, width)`` of the full image when
        ``image`` was decoded at a reduced scale.
        """
        image = apply_alpha_rule(image, self.alpha)
        image = to_channels(image, n_channels)
        image = convert_dtype(image, dtype)
        decoded_shape = image.shape[:2]
        placement = self._placement(source_shape or decoded_shape, decoded_shape)
        resized = resample(image, placement, self.resample)
        self._write(out, index, resized, placement)

    def _write(self, out, index, resized, placement):
        row, col = placement.offset
        rows, cols = placement.size
        target = out[index]
        if target.ndim == 3 and resized.ndim == 2:
            resized = resized[..., np.newaxis]
        target[row : row + rows, col : col + cols] = resized

    def get_feature_names_out(self, input_features=None):
        """Get the names of the output pixels, once flattened.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored; the output pixels get their own names.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``pixel_<row>_<col>`` for grayscale output, else
            ``pixel_<row>_<col>_<channel>``.
        """
        check_is_fitted(self)
        keep_axis = False
        if hasattr(self, "n_features_in_"):
            keep_axis = len(infer_image_shape(self.n_features_in_, self.image_shape)) == 3
        shape_out = self.output_shape_
        if self.n_channels_ > 1 or keep_axis:
            shape_out = (*shape_out, self.n_channels_)
        return pixel_feature_names(shape_out)


def _check_output_shape(output_shape):
    if isinstance(output_shape, bool):
        raise ValueError(f"output_shape must be a positive int or a tuple, got {output_shape!r}.")
    if isinstance(output_shape, numbers.Integral):
        return (int(output_shape), int(output_shape))
    shape = tuple(output_shape)
    if len(shape) != 2 or not all(
        isinstance(size, numbers.Integral) and not isinstance(size, bool) and size >= 1
        for size in shape
    ):
        raise ValueError(
            "output_shape must be a positive int or a tuple (height, width) of "
            f"positive ints, got {output_shape!r}."
        )
    return (int(shape[0]), int(shape[1]))


def _check_cval(cval, dtype):
    """Return ``cval`` as a value of ``dtype``, or raise if it does not fit."""
    if not np.issubdtype(dtype, np.integer):
        return cval
    info = np.iinfo(dtype)
    if cval != int(cval) or not info.min <= cval <= info.max:
        raise ValueError(
            f"cval={cval!r} is not a value of the {dtype} output, whose pixels "
            f"are integers from {info.min} to {info.max}. Pass a cval in that "
            "range, or convert the images to float first."
        )
    return int(cval)


def _describe_items(items):
    """Return ``(any_color, any_alpha, dtypes)`` of a list of images."""
    any_color = False
    any_alpha = False
    dtypes = []
    for index, item in enumerate(items):
        color, alpha, dtype = describe_item(item, index)
        any_color |= color
        any_alpha |= alpha
        dtypes.append(dtype)
    return any_color, any_alpha, dtypes
