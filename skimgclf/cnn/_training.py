"""Input pipeline, optimizer and loss set-up for training the network."""

import copy

import numpy as np

from skimgclf.cnn._backend import import_keras


def make_dataset(X, y, sample_weight, *, batch_size, shuffle_seed):
    """Build a ``tf.data`` pipeline of ``(x, y, sample_weight)`` batches.

    With ``shuffle_seed`` set, the sample order is reshuffled at every epoch
    from that seed alone, so the sequence of orders repeats between fits and
    no global random state is read or advanced.

    Parameters
    ----------
    X : ndarray of shape (n_samples, height, width, channels), dtype float32
    y : ndarray of shape (n_samples,) or (n_samples, n_classes)
        Encoded labels, or one-hot labels for the categorical loss.
    sample_weight : ndarray of shape (n_samples,), dtype float32
    batch_size : int
    shuffle_seed : int or None
        None keeps the order of X, as evaluation does.

    Returns
    -------
    dataset : tf.data.Dataset
    """
    tf, _ = import_keras()
    # NOTE: TensorFlow copies each array into a tensor once per fit; with
    # float32 input this is the only copy made after validation.
    tensors = tuple(tf.convert_to_tensor(array) for array in (X, y, sample_weight))
    n_samples = X.shape[0]

    indices = tf.data.Dataset.range(n_samples)
    if shuffle_seed is not None:
        indices = indices.shuffle(n_samples, seed=shuffle_seed, reshuffle_each_iteration=True)

    def gather_batch(batch_indices):
        return tuple(tf.gather(tensor, batch_indices) for tensor in tensors)

    batches = indices.batch(batch_size).map(
        gather_batch, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True
    )
    return batches.prefetch(tf.data.AUTOTUNE)


def build_training_variables(model, X, y, sample_weight):
    """Create the optimizer and metric variables before ``model.fit``.

    When these variables are first created inside Keras' traced training
    step, TensorFlow traces the step a second time, which doubles the fixed
    cost of every fit (about 1.5 s of CPU time for a small network). One
    sample is enough to build them; the metric state it leaves is reset.

    Parameters
    ----------
    model : keras.Model
        A compiled network that has not been trained yet.
    X : ndarray of shape (n_samples, height, width, channels)
    y : ndarray
        Targets in the form the loss expects.
    sample_weight : ndarray of shape (n_samples,)
    """
    model.optimizer.build(model.trainable_variables)
    y_pred = model(X[:1], training=False)
    model.compute_metrics(X[:1], y[:1], y_pred, sample_weight=sample_weight[:1])
    model.reset_metrics()


def make_optimizer(optimizer, learning_rate):
    """Return a fresh Keras optimizer, leaving the user's object untouched.

    Parameters
    ----------
    optimizer : str, keras.optimizers.Optimizer or subclass of it
        A name known to :func:`keras.optimizers.get`, an instance (copied
        through its config, so that its slot variables are not shared) or a
        class.
    learning_rate : float or None
        Overrides the optimizer's learning rate when not None.

    Returns
    -------
    optimizer : keras.optimizers.Optimizer
    """
    _, keras = import_keras()
    if isinstance(optimizer, str):
        try:
            template = keras.optimizers.get(optimizer)
        except ValueError as exc:
            raise ValueError(
                f"optimizer={optimizer!r} is not a Keras optimizer name; use "
                "for example 'adam', 'sgd' or 'rmsprop', or pass a "
                "keras.optimizers.Optimizer instance."
            ) from exc
        optimizer_class, config = type(template), template.get_config()
    elif isinstance(optimizer, type) and issubclass(optimizer, keras.optimizers.Optimizer):
        optimizer_class, config = optimizer, None
    elif isinstance(optimizer, keras.optimizers.Optimizer):
        optimizer_class, config = type(optimizer), optimizer.get_config()
    else:
        raise TypeError(
            "optimizer must be a Keras optimizer name, a "
            "keras.optimizers.Optimizer instance or subclass; got "
            f"{optimizer!r}."
        )

    if config is None:
        if learning_rate is None:
            return optimizer_class()
        return optimizer_class(learning_rate=learning_rate)
    config = dict(config)
    if learning_rate is not None:
        config["learning_rate"] = learning_rate
    return optimizer_class.from_config(config)


def make_loss(loss):
    """Return the loss for ``compile`` and whether it expects one-hot labels.

    Parameters
    ----------
    loss : str or callable
        A Keras loss name or a loss object; objects are deep-copied.

    Returns
    -------
    loss : str or callable
    one_hot : bool
        True for ``"categorical_crossentropy"``, whose targets are one-hot.
    """
    if isinstance(loss, str):
        _, keras = import_keras()
        try:
            keras.losses.get(loss)
        except ValueError as exc:
            raise ValueError(
                f"loss={loss!r} is not a Keras loss name. Pass a name such as "
                "'sparse_categorical_crossentropy' or 'categorical_crossentropy', "
                "a keras.losses.Loss instance, or a callable "
                "loss(y_true, y_pred)."
            ) from exc
        return loss, loss in ("categorical_crossentropy", "CategoricalCrossentropy")
    _, keras = import_keras()
    one_hot = isinstance(loss, keras.losses.CategoricalCrossentropy)
    return copy.deepcopy(loss), one_hot


def one_hot_labels(y_encoded, n_classes):
    """Return float32 one-hot rows for encoded labels."""
    return np.eye(n_classes, dtype=np.float32)[y_encoded]


def history_to_dict(history):
    """Convert Keras' per-epoch logs to ``dict[str, list[float]]``."""
    return {key: [float(value) for value in values] for key, values in history.items()}
