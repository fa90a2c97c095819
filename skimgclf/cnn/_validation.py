"""Validation of image batches, labels and class weights."""

import math

import numpy as np
from sklearn.utils import column_or_1d
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_consistent_length, validate_data

from skimgclf.utils import infer_image_shape
from skimgclf.utils._image_shape import ALLOWED_CHANNELS


def validate_images(estimator, X, *, reset):
    """Validate an image batch and return it as float32 ``(n, h, w, c)``.

    4-D input is ``(n, height, width, channels)``, 3-D input is grayscale
    ``(n, height, width)`` and 2-D input contains flattened rows whose image
    shape comes from ``estimator.image_shape`` (see
    :func:`skimgclf.utils.infer_image_shape`). The data are converted to
    float32 at most once and the reshapes are views.

    Parameters
    ----------
    estimator : KerasCNNClassifier
        Receives ``n_features_in_`` (and ``feature_names_in_`` for 2-D
        input) when ``reset`` is True, and provides ``image_shape_`` when it
        is False.
    X : array-like
        The batch.
    reset : bool
        True in ``fit`` and the first ``partial_fit``, False afterwards.

    Returns
    -------
    X : ndarray of shape (n_samples, height, width, channels), dtype float32
    image_shape : tuple of int
        ``(height, width, channels)``.
    """
    # Lists become arrays here so that their number of dimensions is known;
    # arrays, data frames and sparse matrices already expose it.
    if not hasattr(X, "ndim"):
        X = np.asarray(X)
    ndim = X.ndim
    name = type(estimator).__name__

    if ndim > 4:
        raise ValueError(
            f"{name} expects X of shape (n_samples, height, width, channels), "
            f"(n_samples, height, width) or (n_samples, n_features); got a "
            f"{ndim}-D array of shape {X.shape}."
        )

    if ndim in (3, 4):
        X = check_array(X, allow_nd=True, dtype=np.float32, estimator=estimator, input_name="X")
        if X.ndim == 3:
            X = X[..., np.newaxis]
        image_shape = tuple(int(size) for size in X.shape[1:])
        _check_image_shape_of_batch(name, image_shape)
        if reset:
            estimator.n_features_in_ = math.prod(image_shape)
            if hasattr(estimator, "feature_names_in_"):
                del estimator.feature_names_in_
        elif image_shape != estimator.image_shape_:
            raise ValueError(
                f"X has images of shape {image_shape}, but {name} was fitted "
                f"on images of shape {estimator.image_shape_}. Resize the "
                "images (for example with skimgclf.preprocessing.ImageResizer) "
                "to the fitted shape."
            )
        return X, image_shape

    X = validate_data(estimator, X, reset=reset, dtype=np.float32, order="C")
    if reset:
        image_shape = infer_image_shape(X.shape[1], estimator.image_shape)
        if len(image_shape) == 2:
            image_shape = (*image_shape, 1)
    else:
        image_shape = estimator.image_shape_
    return X.reshape((X.shape[0], *image_shape)), image_shape


def _check_image_shape_of_batch(name, image_shape):
    if 0 in image_shape:
        raise ValueError(
            f"{name} needs images with at least one pixel; X has images of "
            f"shape {image_shape}."
        )
    channels = image_shape[-1]
    if channels not in ALLOWED_CHANNELS:
        raise ValueError(
            f"{name} expects channels last with 1, 3 or 4 channels, but the "
            f"images in X have shape {image_shape}. Move a channels-first "
            "axis to the end with np.moveaxis(X, 1, -1)."
        )


def validate_labels(estimator, y, n_samples):
    """Validate class labels and return them as a 1-D array.

    A column vector ``(n_samples, 1)`` is raveled with scikit-learn's
    ``DataConversionWarning``; one-hot and other 2-D targets raise.

    Parameters
    ----------
    estimator : KerasCNNClassifier
        Used in error messages.
    y : array-like of shape (n_samples,)
        Class labels of any type: ints, strings, negative values or gaps.
    n_samples : int
        Number of samples in X.

    Returns
    -------
    y : ndarray of shape (n_samples,)
    """
    name = type(estimator).__name__
    if y is None:
        raise ValueError(f"{name} requires y to be passed, but the target y is None.")
    y_array = np.asarray(y)
    if y_array.ndim == 2 and y_array.shape[1] > 1:
        raise ValueError(
            f"{name} expects y as 1-D class labels, got a 2-D y of shape "
            f"{y_array.shape}. For one-hot encoded labels pass "
            "y.argmax(axis=1); multi-output targets are not supported."
        )
    y = column_or_1d(y, warn=True)
    check_consistent_length(np.empty(n_samples), y)
    try:
        np.unique(y)
    except TypeError as exc:
        label_types = sorted({type(label).__name__ for label in y})
        raise TypeError(
            f"y mixes label types {label_types} that cannot be sorted against "
            f"each other ({exc}). Use labels of one type, e.g. all int or all "
            "str, and no None."
        ) from exc
    check_classification_targets(y)
    return y


def check_two_classes(estimator, classes):
    """Raise if fewer than two classes are present."""
    if len(classes) < 2:
        raise ValueError(
            f"{type(estimator).__name__} needs samples of at least 2 classes, "
            f"but y contains only one class: {classes.tolist()!r}."
        )


def encode_labels(estimator, y, classes):
    """Map labels to their index in ``classes``, raising on unknown labels."""
    indices = np.searchsorted(classes, y)
    indices = np.clip(indices, 0, len(classes) - 1)
    unknown = classes[indices] != y
    if np.any(unknown):
        raise ValueError(
            f"y contains labels {np.unique(y[unknown]).tolist()!r} that are not "
            f"in the classes {classes.tolist()!r} that "
            f"{type(estimator).__name__} was first fitted on."
        )
    return indices


def class_weight_to_sample_weight(class_weight, classes, y_encoded, *, y_for_balanced=None):
    """Turn ``class_weight`` into one weight per sample.

    Parameters
    ----------
    class_weight : dict, "balanced" or None
        Weights keyed by the original labels; labels left out weigh 1.
    classes : ndarray of shape (n_classes,)
        Sorted original labels.
    y_encoded : ndarray of shape (n_samples,)
        Index of each sample's label in ``classes``.
    y_for_balanced : ndarray of shape (n_samples,), default=None
        Original labels used by ``"balanced"``.

    Returns
    -------
    weights : ndarray of shape (n_samples,), dtype float64
    """
    if class_weight is None:
        return np.ones(len(y_encoded))
    if isinstance(class_weight, str):
        per_class = compute_class_weight("balanced", classes=classes, y=y_for_balanced)
        return per_class[y_encoded]

    known = classes.tolist()
    unknown = [label for label in class_weight if label not in known]
    if unknown:
        raise ValueError(
            f"class_weight has keys {unknown!r} that are not class labels; "
            f"the classes are {known!r}. Key class_weight by the labels of y."
        )
    per_class = np.array([float(class_weight.get(label, 1.0)) for label in known])
    invalid = [
        (label, class_weight[label])
        for label, weight in zip(known, per_class)
        if not (np.isfinite(weight) and weight >= 0)
    ]
    if invalid:
        raise ValueError(
            "class_weight must be finite and non-negative, but it maps "
            + ", ".join(f"{label!r} to {weight!r}" for label, weight in invalid)
            + ". Give every class a weight >= 0."
        )
    return per_class[y_encoded]
