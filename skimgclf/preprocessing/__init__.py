"""Image transformers: resizing, grayscale conversion, scaling, flattening."""

from skimgclf.preprocessing._flatten import Flattener
from skimgclf.preprocessing._grayscale import Grayscaler
from skimgclf.preprocessing._resize import ImageResizer
from skimgclf.preprocessing._scale import PixelScaler

__all__ = ["Flattener", "Grayscaler", "ImageResizer", "PixelScaler"]
