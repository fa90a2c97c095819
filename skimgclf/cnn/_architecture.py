"""The default convolutional network of :class:`KerasCNNClassifier`."""

import itertools
import numbers

from skimgclf.cnn._backend import import_keras


def check_filters(filters):
    """Validate ``filters`` and return it as a tuple of positive ints.

    Parameters
    ----------
    filters : int or sequence of int
        Number of convolution filters, one entry per convolution block.

    Returns
    -------
    filters : tuple of int
    """
    if isinstance(filters, numbers.Integral) and not isinstance(filters, bool):
        filters = (filters,)
    if isinstance(filters, (str, bytes)) or not hasattr(filters, "__iter__"):
        raise TypeError(
            "filters must be an int or a sequence of ints such as (32, 64), "
            f"got {filters!r}."
        )
    filters = tuple(filters)
    if not filters or not all(
        isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 1
        for n in filters
    ):
        raise ValueError(
            "filters must hold at least one positive int, one per convolution "
            f"block, such as (32, 64); got {filters!r}."
        )
    return tuple(int(n) for n in filters)


def pool_size_for(height, width):
    """Return the max-pooling window for a feature map, or None to skip pooling.

    Each axis is halved while it has at least 2 pixels and left alone
    otherwise, so that 8x8 digits and 1xN rows still give a valid network.

    Parameters
    ----------
    height, width : int
        Spatial size of the feature map entering the pooling layer.

    Returns
    -------
    pool_size : tuple of int or None
    """
    pool_size = (2 if height >= 2 else 1, 2 if width >= 2 else 1)
    if pool_size == (1, 1):
        return None
    return pool_size


def build_default_cnn(
    input_shape,
    n_classes,
    *,
    seed,
    filters=(32, 64),
    kernel_size=3,
    dense_units=128,
    dropout=0.25,
    dense_dropout=0.5,
):
    """Build the default network of :class:`KerasCNNClassifier`.

    One block per entry of ``filters``: Conv2D with ReLU and ``"same"``
    padding, max pooling and dropout. Then Flatten, a ReLU dense layer with
    dropout, and a softmax output with one unit per class. Every initializer
    and dropout layer receives its own seed derived from ``seed``.

    Parameters
    ----------
    input_shape : tuple of int
        ``(height, width, channels)`` of one image.
    n_classes : int
        Number of output units.
    seed : int
        Base seed of the weight initializers and dropout layers.
    filters : int or sequence of int, default=(32, 64)
        Filters of each convolution block.
    kernel_size : int, default=3
        Side of the square convolution kernels.
    dense_units : int, default=128
        Units of the hidden dense layer.
    dropout : float, default=0.25
        Dropout rate after each convolution block.
    dense_dropout : float, default=0.5
        Dropout rate after the hidden dense layer.

    Returns
    -------
    model : keras.Model
        The uncompiled network.
    """
    _, keras = import_keras()
    layers = keras.layers
    filters = check_filters(filters)

    layer_seeds = itertools.count(seed + 1)

    inputs = keras.Input(shape=tuple(input_shape))
    x = inputs
    height, width = input_shape[0], input_shape[1]
    for n_filters in filters:
        x = layers.Conv2D(
            n_filters,
            kernel_size,
            padding="same",
            activation="relu",
            kernel_initializer=keras.initializers.GlorotUniform(seed=next(layer_seeds)),
        )(x)
        pool_size = pool_size_for(height, width)
        if pool_size is not None:
            x = layers.MaxPooling2D(pool_size=pool_size)(x)
            height //= pool_size[0]
            width //= pool_size[1]
        if dropout > 0:
            x = layers.Dropout(dropout, seed=next(layer_seeds))(x)

    x = layers.Flatten()(x)
    x = layers.Dense(
        dense_units,
        activation="relu",
        kernel_initializer=keras.initializers.GlorotUniform(seed=next(layer_seeds)),
    )(x)
    if dense_dropout > 0:
        x = layers.Dropout(dense_dropout, seed=next(layer_seeds))(x)
    outputs = layers.Dense(
        n_classes,
        activation="softmax",
        kernel_initializer=keras.initializers.GlorotUniform(seed=next(layer_seeds)),
    )(x)
    return keras.Model(inputs=inputs, outputs=outputs, name="skimgclf_default_cnn")
