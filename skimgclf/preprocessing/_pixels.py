"""Pixel-level rules shared by the transformers: alpha, channels and dtypes.

Alpha rule
    ``"composite"`` blends each image onto a white background (the dtype's
    maximum for integer images, 1.0 for float images, whose alpha is taken
    to be in [0, 1]) and drops the alpha channel. ``"drop"`` discards the
    alpha channel. ``"keep"`` keeps it, so RGBA stays RGBA and grayscale with
    alpha becomes RGBA.

Dtype rule of a batch
    ``uint8``, ``uint16``, ``float32`` and ``float64`` images keep their
    dtype. Other dtypes (signed integers, ``bool``, ``float16``) become
    ``float32`` with the same values. When a list mixes ``uint8`` and
    ``uint16`` images, ``uint8`` values are multiplied by 257 so both span
    0-65535. When it mixes integer and float images, integer images are
    divided by their dtype's maximum into [0, 1] and the batch is float.
"""

import numpy as np

ALPHA_RULES = ("composite", "drop", "keep")
_PHOTO_DTYPES = (np.dtype(np.uint8), np.dtype(np.uint16))
_FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def pixel_max(dtype):
    """Return the value of a white pixel for ``dtype``."""
    dtype = np.dtype(dtype)
    if dtype in _PHOTO_DTYPES:
        return float(np.iinfo(dtype).max)
    return 1.0


def canonical_dtype(dtype):
    """Return the dtype an image of ``dtype`` keeps in the transformers."""
    dtype = np.dtype(dtype)
    if dtype in _PHOTO_DTYPES or dtype in _FLOAT_DTYPES:
        return dtype
    return np.dtype(np.float32)


def batch_dtype(dtypes):
    """Return the output dtype of a batch of images of ``dtypes``."""
    kinds = {canonical_dtype(dtype) for dtype in dtypes}
    if len(kinds) == 1:
        return kinds.pop()
    floats = kinds & set(_FLOAT_DTYPES)
    if not floats:
        return np.dtype(np.uint16)
    return np.result_type(*floats)


def convert_dtype(image, dtype):
    """Convert one image to a batch ``dtype`` by the dtype rule."""
    source = np.dtype(image.dtype)
    dtype = np.dtype(dtype)
    if source == dtype:
        return image
    if dtype == np.uint16 and source == np.uint8:
        return image.astype(np.uint16) * np.uint16(257)
    if dtype in _FLOAT_DTYPES and source in _PHOTO_DTYPES:
        return image.astype(dtype) / dtype.type(pixel_max(source))
    return image.astype(dtype)


def has_alpha(image):
    """Tell whether a ``(h, w, c)`` image ends in an alpha channel."""
    return image.ndim == 3 and image.shape[2] in (2, 4)


def apply_alpha_rule(image, alpha):
    """Apply the alpha rule (see the module docstring) to one image."""
    if not has_alpha(image) or alpha == "keep":
        return image
    color = image[..., :-1]
    if color.shape[2] == 1:
        color = color[..., 0]
    if alpha == "drop":
        return color

    white = pixel_max(image.dtype)
    work_dtype = np.float64 if image.dtype == np.float64 else np.float32
    opacity = image[..., -1].astype(work_dtype) / work_dtype(white)
    if color.ndim == 3:
        opacity = opacity[..., np.newaxis]
    blended = color * opacity + work_dtype(white) * (1 - opacity)
    return _cast_like(blended, image.dtype)


def _cast_like(values, dtype):
    dtype = np.dtype(dtype)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        values = np.clip(np.rint(values), info.min, info.max)
    return values.astype(dtype, copy=False)


# ITU-R BT.601 luma coefficients of R, G and B, as in Pillow's "L" mode.
BT601_WEIGHTS = (0.299, 0.587, 0.114)


def luminance(image, weights=BT601_WEIGHTS):
    """Return the luminance of RGB pixels ``image[..., :3]``.

    ``uint8`` and ``uint16`` images give the same dtype, rounded to the
    nearest integer; ``float32`` and ``float64`` keep their dtype; other
    dtypes give ``float32``.
    """
    dtype = canonical_dtype(image.dtype)
    work_dtype = np.float64 if dtype == np.float64 else np.float32
    luma = image[..., :3].astype(work_dtype, copy=False) @ np.asarray(weights, dtype=work_dtype)
    return _cast_like(luma, dtype)


def to_channels(image, n_channels):
    """Lay one image out with ``n_channels`` channels (1, 3 or 4).

    Grayscale is replicated into RGB; an opaque alpha channel is added for 4
    channels. ``n_channels=1`` returns a 2-D ``(h, w)`` image; colour images
    become their BT.601 luminance, ignoring any alpha channel.
    """
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[..., 0]
    current = 1 if image.ndim == 2 else image.shape[2]
    if current == n_channels:
        return image
    if n_channels == 1:
        return image[..., 0] if current == 2 else luminance(image)

    if current in (1, 2):
        gray = image if image.ndim == 2 else image[..., 0]
        alpha = image[..., 1] if current == 2 else None
        planes = [gray, gray, gray]
    else:
        planes = [image[..., 0], image[..., 1], image[..., 2]]
        alpha = image[..., 3] if current == 4 else None
    if n_channels == 4:
        if alpha is None:
            alpha = np.full(image.shape[:2], pixel_max(image.dtype), dtype=image.dtype)
        planes.append(alpha)
    return np.stack(planes, axis=-1)


def pixel_feature_names(image_shape):
    """Name the flattened pixels of an image: ``pixel_<row>_<col>[_<channel>]``."""
    rows, cols = image_shape[:2]
    if len(image_shape) == 2:
        names = [f"pixel_{r}_{c}" for r in range(rows) for c in range(cols)]
    else:
        channels = image_shape[2]
        names = [
            f"pixel_{r}_{c}_{ch}"
            for r in range(rows)
            for c in range(cols)
            for ch in range(channels)
        ]
    return np.asarray(names, dtype=object)
