"""Input validation shared by the estimators of skimgclf."""

from skimgclf.utils._image_input import ImageInput, check_image_input, load_item
from skimgclf.utils._image_shape import check_image_shape, infer_image_shape

__all__ = [
    "ImageInput",
    "check_image_input",
    "check_image_shape",
    "infer_image_shape",
    "load_item",
]
