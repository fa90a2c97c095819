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
    """Where a source image lands in the output image.

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

    def covers(self, output_shape):
        """Tell whether the region fills the whole output image."""
        return self.offset == (0, 0) and tuple(self.size) == tuple(output_shape)


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


def resample(image, placement, filter_name):
    """Resample ``image`` to ``placement.size``, keeping its dtype.

    ``image`` is ``(h, w)`` or ``(h, w, c)``. The result is clipped to the
    per-channel range of the source, so filters with negative lobes
    (bicubic, lanczos) never overshoot it and a constant image stays
    constant.
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

    if filter_name == "nearest":
        return resized.astype(image.dtype, copy=False)
    return _clip_to_source_range(resized, image)


def _resample_float(image, size, box, pil_filter):
    out_height, out_width = size
    planes = image[..., np.newaxis] if image.ndim == 2 else image
    result = np.empty((out_height, out_width, planes.shape[2]), dtype=np.float32)
    for channel in range(planes.shape[2]):
        plane = np.ascontiguousarray(planes[..., channel], dtype=np.float32)
        pil_plane = Image.fromarray(plane, "F")
        result[..., channel] = np.asarray(
            pil_plane.resize((out_width, out_height), pil_filter, box=box)
        )
    return result[..., 0] if image.ndim == 2 else result


def _clip_to_source_range(resized, image):
    axes = (0, 1)
    low = image.min(axis=axes)
    high = image.max(axis=axes)
    if np.issubdtype(image.dtype, np.integer):
        resized = np.rint(resized) if resized.dtype != image.dtype else resized
    clipped = np.clip(resized, low, high)
    return clipped.astype(image.dtype, copy=False)
