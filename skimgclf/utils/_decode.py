"""Decoding of image files and PIL images into NumPy arrays.

Every path and PIL image goes through :func:`open_item` (for its header) and
:func:`decode_item` (for its pixels), so all transformers agree on the same
mode rules:

* EXIF orientation is applied.
* Bilevel (``"1"``) images become ``uint8`` grayscale with values 0 and 255.
* Palette images become RGB, or RGBA when the palette has transparency.
* CMYK, YCbCr, LAB and HSV images become RGB.
* 16-bit grayscale images (``"I;16"`` modes) stay ``uint16``.
* 32-bit integer (``"I"``) and float (``"F"``) images become ``float32``.
"""

import os
import struct
from contextlib import contextmanager

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow modes grouped by what they decode to: (is_color, has_alpha, dtype).
_MODE_INFO = {
    "1": (False, False, np.uint8),
    "L": (False, False, np.uint8),
    "LA": (False, True, np.uint8),
    "La": (False, True, np.uint8),
    "RGB": (True, False, np.uint8),
    "RGBX": (True, False, np.uint8),
    "RGBA": (True, True, np.uint8),
    "RGBa": (True, True, np.uint8),
    "CMYK": (True, False, np.uint8),
    "YCbCr": (True, False, np.uint8),
    "LAB": (True, False, np.uint8),
    "HSV": (True, False, np.uint8),
    "PA": (True, True, np.uint8),
    "I;16": (False, False, np.uint16),
    "I;16L": (False, False, np.uint16),
    "I;16B": (False, False, np.uint16),
    "I;16N": (False, False, np.uint16),
    "I": (False, False, np.float32),
    "F": (False, False, np.float32),
}

# Errors Pillow raises on truncated or corrupt files: OSError for truncated
# data, SyntaxError and struct.error from some format parsers.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error)

# EXIF orientations 5 to 8 swap width and height.
_TRANSPOSING_ORIENTATIONS = (5, 6, 7, 8)
_EXIF_ORIENTATION_TAG = 0x0112


def is_path(item):
    """Tell whether a list item is a file path."""
    return isinstance(item, (str, os.PathLike))


def describe_item_name(item, index):
    """Name a list item in error messages: its path, or its position."""
    if is_path(item):
        return f"{str(os.fspath(item))!r} (item {index} of X)"
    return f"item {index} of X"


def open_item(item, index):
    """Open a path lazily, reading only its header; PIL images pass through.

    The caller closes the returned image when ``item`` is a path.

    Raises
    ------
    ValueError
        If the path does not exist, is a directory, or is not an image file
        that Pillow can identify.
    """
    if isinstance(item, Image.Image):
        return item
    path = os.fspath(item)
    name = describe_item_name(item, index)
    if os.path.isdir(path):
        raise ValueError(
            f"Image file {name} is a directory. Pass the paths of the image "
            "files inside it, for example with "
            "skimgclf.datasets.load_image_folder."
        )
    if not os.path.exists(path):
        raise ValueError(f"Image file not found: {name}. Check the path.")
    try:
        return Image.open(path)
    except UnidentifiedImageError as exc:
        raise ValueError(
            f"Cannot read image file {name}: Pillow does not recognise its "
            "format, so it is not an image or it is truncated or corrupt. "
            "Remove the file, or re-encode it as PNG or JPEG."
        ) from exc
    except _DECODE_ERRORS as exc:
        raise ValueError(
            f"Cannot read image file {name}: {exc}. The file is truncated or "
            "corrupt; remove it or re-encode it."
        ) from exc


def image_info(image, item, index):
    """Return ``(is_color, has_alpha, dtype)`` of an opened PIL image."""
    mode = image.mode
    if mode == "P":
        has_alpha = "transparency" in image.info
        return True, has_alpha, np.dtype(np.uint8)
    if mode not in _MODE_INFO:
        raise ValueError(
            f"Image {describe_item_name(item, index)} has Pillow mode {mode!r}, "
            "which skimgclf does not decode. Convert it to RGB, RGBA, L or "
            "I;16 first."
        )
    is_color, has_alpha, dtype = _MODE_INFO[mode]
    return is_color, has_alpha, np.dtype(dtype)


def exif_orientation(image):
    """Return the EXIF orientation tag of ``image`` (1 when it has none)."""
    try:
        return int(image.getexif().get(_EXIF_ORIENTATION_TAG, 1))
    except _DECODE_ERRORS:
        return 1


def oriented_size(image):
    """Return the ``(width, height)`` of ``image`` after its EXIF rotation."""
    width, height = image.size
    if exif_orientation(image) in _TRANSPOSING_ORIENTATIONS:
        return height, width
    return width, height


class DecodedImage:
    """A decoded PIL image in a normalized mode, with its NumPy dtype.

    Parameters
    ----------
    image : PIL.Image.Image
        The loaded image, EXIF orientation applied, in mode ``"L"``,
        ``"LA"``, ``"RGB"``, ``"RGBA"``, ``"F"`` or an ``"I;16"`` mode.
    dtype : numpy.dtype
        Dtype of the pixels as an array.
    source_size : tuple of int
        ``(width, height)`` of the full image after EXIF rotation, which
        differs from ``image.size`` when a JPEG was decoded at a reduced
        scale.
    """

    def __init__(self, image, dtype, source_size):
        self.image = image
        self.dtype = dtype
        self.source_size = source_size

    def to_array(self):
        """Return the pixels as an array (see :func:`decode_item`)."""
        array = np.asarray(self.image)
        return array.astype(self.dtype.newbyteorder("="), copy=False)


@contextmanager
def decoded(item, index, *, draft_size=None):
    """Decode a path or PIL image, closing the file afterwards.

    Parameters
    ----------
    item : str, os.PathLike or PIL.Image.Image
        The image.
    index : int
        Position of the item in X, for error messages.
    draft_size : callable or None, default=None
        Maps the ``(width, height)`` of the image after EXIF rotation to the
        ``(width, height)`` the decoded image must at least have. JPEG files
        are then decoded at the smallest DCT scale (1/2, 1/4 or 1/8) that
        still covers it, which is much faster for large photos.

    Yields
    ------
    image : DecodedImage
    """
    image = open_item(item, index)
    try:
        yield _decode_opened(image, item, index, draft_size)
    finally:
        if image is not item:
            image.close()


def decode_item(item, index, *, draft_size=None):
    """Decode a path or PIL image into a NumPy array.

    Parameters
    ----------
    item : str, os.PathLike or PIL.Image.Image
        The image.
    index : int
        Position of the item in X, for error messages.
    draft_size : callable or None, default=None
        See :func:`decoded`.

    Returns
    -------
    image : ndarray
        ``(height, width)`` for grayscale, ``(height, width, 2)`` for
        grayscale with alpha, ``(height, width, 3)`` for RGB or
        ``(height, width, 4)`` for RGBA, with the dtype of the mode rules in
        this module's docstring.
    """
    with decoded(item, index, draft_size=draft_size) as image:
        return image.to_array()


def _decode_opened(image, item, index, draft_size):
    is_color, has_alpha, dtype = image_info(image, item, index)
    name = describe_item_name(item, index)
    source_size = oriented_size(image)
    try:
        if draft_size is not None and image.format == "JPEG":
            width, height = draft_size(*source_size)
            if exif_orientation(image) in _TRANSPOSING_ORIENTATIONS:
                width, height = height, width
            image.draft(None, (max(int(width), 1), max(int(height), 1)))
        image.load()
        if exif_orientation(image) != 1:
            image = ImageOps.exif_transpose(image)
        image = _normalize_mode(image, is_color, has_alpha)
    except _DECODE_ERRORS as exc:
        raise ValueError(
            f"Cannot decode image file {name}: {exc}. The file is truncated or "
            "corrupt; remove it or re-encode it."
        ) from exc
    return DecodedImage(image, dtype, source_size)


def _normalize_mode(image, is_color, has_alpha):
    mode = image.mode
    if mode in ("L", "RGB", "RGBA", "LA", "F"):
        return image
    if mode.startswith("I;16"):
        return image
    if mode == "I":
        return image.convert("F")
    if mode == "1":
        return image.convert("L")
    if mode == "La":
        return image.convert("LA")
    if is_color and has_alpha:
        return image.convert("RGBA")
    return image.convert("RGB")
