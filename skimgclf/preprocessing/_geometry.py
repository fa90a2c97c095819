"""Resampling of one image with Pillow, with stretch, pad and crop modes."""

import math

import numpy as np
from PIL import Image

RESAMPLE_FILTERS = {
    "nearest": Image.Resampling.NEAREST,
    "box": Image.Resampling.BOX,
    "bilinear": Image.Resampling.BILINEAR,
    "hamming": Image.Resampling.HAMMING,
    "bicubic": Image.Resampling.BICUBIC,
    "lanczos": Image.Resampling.LANCZOS,
}

# Pillow modes that resample uint8 images directly, keyed by channel count.
_UINT8_MODES = {1: "L", 3: "RGB", 4: "RGBA"}


class Placement:
    """Position of a resampled source image in the output image.

    Parameters
    ----------
    size : tuple of int
        ``(height, width)`` the source region is resampled to.
    box : tuple of float
        Source region ``(left, upper, right, lower)`` in pixels.
    offset : tuple of int
        ``(row, col)`` of the resampled region in the output image.
    """

    def __init__(self, size, box, offset):
        self.size = size
        self.box = box
        self.offset = offset

    def scaled_to(self, source_shape, decoded_shape):
        """Return this placement for a decoded image of another size.

        A JPEG decoded at a reduced scale is smaller than the file's full
        image. Placing it by the full size keeps the output independent of
        the decoding scale; only the source box is scaled.
        """
        if tuple(source_shape) == tuple(decoded_shape):
            return self
        scale_y = decoded_shape[0] / source_shape[0]
        scale_x = decoded_shape[1] / source_shape[1]
        left, upper, right, lower = self.box
        box = (left * scale_x, upper * scale_y, right * scale_x, lower * scale_y)
        if self.box == (0.0, 0.0, float(source_shape[1]), float(source_shape[0])):
            box = (0.0, 0.0, float(decoded_shape[1]), float(decoded_shape[0]))
        return Placement(self.size, box, self.offset)


def place(height, width, output_shape, *, preserve_aspect_ratio, aspect_mode):
    """Compute the :class:`Placement` of a ``height x width`` image."""
    out_height, out_width = output_shape
    full_box = (0.0, 0.0, float(width), float(height))
    if not preserve_aspect_ratio:
        return Placement((out_height, out_width), full_box, (0, 0))

    if aspect_mode == "pad":
        scale = min(out_height / height, out_width / width)
        size = (
            min(out_height, max(1, round(height * scale))),
            min(out_width, max(1, round(width * scale))),
        )
        offset = ((out_height - size[0]) // 2, (out_width - size[1]) // 2)
        return Placement(size, full_box, offset)

    # Crop: the centred source region with the output's aspect ratio.
    if width * out_height > height * out_width:
        crop_width = height * out_width / out_height
        left = (width - crop_width) / 2
        box = (left, 0.0, left + crop_width, float(height))
    else:
        crop_height = width * out_height / out_width
        upper = (height - crop_height) / 2
        box = (0.0, upper, float(width), upper + crop_height)
    return Placement((out_height, out_width), box, (0, 0))


def decoded_size_needed(width, height, output_shape, *, preserve_aspect_ratio, aspect_mode):
    """Return the smallest ``(width, height)`` a decoded image needs.

    JPEG files are decoded at a reduced DCT scale no smaller than this, so
    that resampling still only shrinks the image.
    """
    out_height, out_width = output_shape
    if not preserve_aspect_ratio:
        return out_width, out_height
    scales = (out_height / height, out_width / width)
    scale = min(scales) if aspect_mode == "pad" else max(scales)
    return math.ceil(width * scale), math.ceil(height * scale)


# Filters with negative lobes, whose output can leave the source's range.
# The other filters average pixels with non-negative weights that sum to 1.
OVERSHOOTING_FILTERS = ("bicubic", "lanczos")


def resample(image, placement, filter_name):
    """Resample ``image`` to ``placement.size``, keeping its dtype.

    ``image`` is ``(h, w)`` or ``(h, w, c)``. After bicubic and lanczos
    filters the result is clipped to the per-channel range of the source,
    so no filter overshoots it and a constant image stays constant.
    """
    height, width = image.shape[:2]
    out_height, out_width = placement.size
    full = placement.box == (0.0, 0.0, float(width), float(height))
    if full and (height, width) == (out_height, out_width):
        return image

    pil_filter = RESAMPLE_FILTERS[filter_name]
    n_channels = 1 if image.ndim == 2 else image.shape[2]
    if image.dtype == np.uint8 and n_channels in _UINT8_MODES:
        source = image[..., 0] if image.ndim == 3 and n_channels == 1 else image
        pil_image = Image.fromarray(np.ascontiguousarray(source), _UINT8_MODES[n_channels])
        resized = np.asarray(
            pil_image.resize((out_width, out_height), pil_filter, box=placement.box)
        )
        if image.ndim == 3 and n_channels == 1:
            resized = resized[..., np.newaxis]
    else:
        resized = _resample_float(image, (out_height, out_width), placement.box, pil_filter)

    if filter_name not in OVERSHOOTING_FILTERS:
        return _round_to_dtype(resized, image.dtype)
    low = image.min(axis=(0, 1))
    high = image.max(axis=(0, 1))
    return clip_to_range(resized, low, high, image.dtype)


def resample_pil(image, placement, filter_name):
    """Resample a uint8 ``"L"``, ``"RGB"`` or ``"RGBA"`` PIL image to an array.

    The same operation as :func:`resample` without converting the full
    decoded image to an array first, which saves a copy of it.
    """
    out_height, out_width = placement.size
    resized = np.asarray(
        image.resize((out_width, out_height), RESAMPLE_FILTERS[filter_name], box=placement.box)
    )
    if filter_name not in OVERSHOOTING_FILTERS:
        return resized
    extrema = image.getextrema()
    if image.mode == "L":
        extrema = (extrema,)
    low = np.array([band[0] for band in extrema], dtype=np.uint8)
    high = np.array([band[1] for band in extrema], dtype=np.uint8)
    if image.mode == "L":
        low, high = low[0], high[0]
    return clip_to_range(resized, low, high, np.dtype(np.uint8))


def _resample_float(image, size, box, pil_filter):
    """Resample each channel as a Pillow ``"F"`` (float32) image.

    Each channel is mapped to [0, 1] in float64 first and mapped back after
    resampling, so float64 values outside float32's range keep their
    magnitude and nearby values keep a precision of about 1e-7 of the
    channel's range.
    """
    out_height, out_width = size
    planes = image[..., np.newaxis] if image.ndim == 2 else image
    result_dtype = np.float64 if image.dtype == np.float64 else np.float32
    result = np.empty((out_height, out_width, planes.shape[2]), dtype=result_dtype)
    for channel in range(planes.shape[2]):
        plane = planes[..., channel]
        low = float(plane.min())
        high = float(plane.max())
        if low == high:
            result[..., channel] = low
            continue
        unit = (plane.astype(np.float64) - low) / (high - low)
        pil_plane = Image.fromarray(unit.astype(np.float32), "F")
        resized = np.asarray(pil_plane.resize((out_width, out_height), pil_filter, box=box))
        result[..., channel] = resized.astype(np.float64) * (high - low) + low
    return result[..., 0] if image.ndim == 2 else result


def _round_to_dtype(values, dtype):
    if values.dtype == dtype:
        return values
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        values = np.clip(np.rint(values), info.min, info.max)
    return values.astype(dtype)


def clip_to_range(resized, low, high, dtype):
    """Clip resampled values to ``[low, high]`` and cast them to ``dtype``."""
    if np.issubdtype(dtype, np.integer) and resized.dtype != dtype:
        resized = np.rint(resized)
    return np.clip(resized, low, high).astype(dtype, copy=False)
