"""Input validation shared by the estimators of skimgclf."""

from skimgclf.utils._image_shape import check_image_shape, infer_image_shape

__all__ = ["check_image_shape", "infer_image_shape"]
