"""The scikit-learn estimator that trains a Keras convolutional network."""

import copy
import gc
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.model_selection import train_test_split
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from skimgclf.cnn._architecture import build_default_cnn, check_filters
from skimgclf.cnn._backend import derive_seeds, import_keras, resolve_random_state
from skimgclf.cnn._serialization import model_from_bytes, model_to_bytes
from skimgclf.cnn._training import (
    build_training_variables,
    history_to_dict,
    make_dataset,
    make_loss,
    make_optimizer,
    one_hot_labels,
)
from skimgclf.cnn._validation import (
    check_two_classes,
    class_weight_to_sample_weight,
    encode_labels,
    validate_images,
    validate_labels,
)

# Key under which __getstate__ stores the .keras archive of model_.
_MODEL_BYTES_KEY = "_model_keras_bytes"


class KerasCNNClassifier(ClassifierMixin, BaseEstimator):
    """Convolutional neural network classifier trained with Keras 3.

    The estimator trains a Keras model with the TensorFlow backend on a batch
    of images and behaves like any scikit-learn classifier: it can be cloned,
    pickled, used in a :class:`~sklearn.pipeline.Pipeline` and tuned with
    :class:`~sklearn.model_selection.GridSearchCV`, in worker processes too.
    TensorFlow and Keras are imported on the first ``fit``, ``partial_fit``,
    prediction or unpickling, never when :mod:`skimgclf` is imported.

    Parameters
    ----------
    model : callable or None, default=None
        Builder of the network, called as
        ``model(input_shape, n_classes, *, seed, **model_kwargs)`` where
        ``input_shape`` is ``(height, width, channels)`` of one image,
        ``n_classes`` the number of classes and ``seed`` an int that the
        builder should pass to its initializers and dropout layers so that
        ``random_state`` controls training. It must return an uncompiled or
        compiled ``keras.Model`` whose output has ``n_classes`` softmax units;
        the estimator compiles it with ``optimizer`` and ``loss``. None builds
        the default network described in the Notes.
    model_kwargs : dict or None, default=None
        Extra keyword arguments of ``model``, so that a grid search can tune
        a custom network (``{"model_kwargs": [{"units": 32}, ...]}``).
    filters : int or tuple of int, default=(32, 64)
        Filters of each convolution block of the default network; one block
        per entry. Ignored when ``model`` is given.
    kernel_size : int, default=3
        Side of the square convolution kernels of the default network.
    dense_units : int, default=128
        Units of the hidden dense layer of the default network.
    dropout : float in [0, 1), default=0.25
        Dropout rate after each convolution block of the default network.
    dense_dropout : float in [0, 1), default=0.5
        Dropout rate after the hidden dense layer of the default network.
    optimizer : str or keras.optimizers.Optimizer, default="adam"
        Optimizer name, instance or class. An instance is copied through its
        config at every fit and never trained itself.
    learning_rate : float > 0 or None, default=None
        Learning rate of the optimizer; None keeps the optimizer's own.
    loss : str or callable, default="sparse_categorical_crossentropy"
        Keras loss. The network receives labels encoded as ``0 ..
        n_classes - 1``, or one-hot rows with ``"categorical_crossentropy"``.
        A name that ``keras.losses.get`` does not know raises ValueError
        before the network is built.
    epochs : int >= 1, default=10
        Number of passes over the training data in ``fit``.
    batch_size : int >= 1, default=128
        Samples per gradient step, also used to batch predictions.
    validation_fraction : float in (0, 1) or None, default=None
        Fraction of the training data held out, stratified by class, to
        compute ``val_loss`` and ``val_accuracy`` after every epoch. None
        holds out nothing, or 0.1 when ``early_stopping`` is True.
    early_stopping : bool, default=False
        Whether to stop when ``val_loss`` has not improved for
        ``n_iter_no_change`` epochs; the weights of the best epoch are
        restored at the end of training.
    n_iter_no_change : int >= 1, default=5
        Patience of ``early_stopping``, in epochs.
    callbacks : list of keras.callbacks.Callback or None, default=None
        Extra Keras callbacks. Each fit trains with deep copies, so a
        callback's state never carries over between fits and the objects in
        this list are never modified.
    class_weight : dict, "balanced" or None, default=None
        Weights keyed by the original class labels (labels left out weigh
        1), or ``"balanced"`` for weights inversely proportional to class
        frequencies in ``y``. Multiplied with ``sample_weight``.
    image_shape : tuple of int or None, default=None
        ``(height, width)`` or ``(height, width, channels)`` of 2-D
        flattened input rows; None infers a square grayscale image, or a
        single row of pixels when ``n_features`` is not a perfect square.
        Ignored for 3-D and 4-D input.
    warm_start : bool, default=False
        When True and the estimator is fitted, ``fit`` continues training the
        existing network (optimizer state included) for ``epochs`` more
        epochs instead of building a new one.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialization, dropout, shuffling and the
        validation split. An int gives identical results on CPU from fit to
        fit; see the Notes for GPUs. None draws a new seed from the OS, so
        NumPy's global random state is neither used nor advanced.
    verbose : int, default=0
        Show Keras' progress bar for every epoch when greater than 0.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    n_features_in_ : int
        Number of values per image, ``height * width * channels``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names, set only when ``X`` is a data frame with string
        column names.
    image_shape_ : tuple of int
        ``(height, width, channels)`` of the training images.
    model_ : keras.Model
        The trained network.
    history_ : dict of str to list of float
        Per-epoch ``loss`` and ``accuracy`` (and ``val_loss`` and
        ``val_accuracy`` with a hold-out), over all epochs run since the
        network was built.
    n_iter_ : int
        Number of epochs run since the network was built.

    See Also
    --------
    skimgclf.SGDLogisticRegression : Softmax regression on flattened pixels.
    skimgclf.ImageResizer : Brings photos of any size to one image shape.

    Notes
    -----
    The default network has, for each entry of ``filters``, a 3x3 (by
    default) Conv2D with ReLU and ``"same"`` padding, 2x2 max pooling and
    dropout ``dropout``, then a dense ReLU layer of ``dense_units`` with
    dropout ``dense_dropout`` and a softmax output. Pooling halves only the
    axes that have at least 2 pixels, so 8x8 digits and 1xN rows still give
    a valid network.

    ``predict_proba`` always returns ``(n_samples, n_classes)`` float64 rows
    that sum to 1, two columns for binary problems.

    With an int ``random_state``, every initializer, dropout layer and the
    per-epoch shuffling get their own seed, so two fits on CPU give
    identical predictions without touching NumPy's, Python's or
    TensorFlow's global random state. On GPUs, cuDNN convolutions may
    accumulate gradients in a different order on each run; only
    ``tf.config.experimental.enable_op_determinism()``, a process-wide and
    slower setting that the estimator leaves to the user, makes them
    reproducible.

    A pickle holds the network as a ``.keras`` archive (Keras' own format)
    next to plain Python data, and loading uses Keras' safe mode. Custom
    layers must be registered with
    ``keras.saving.register_keras_serializable`` where the pickle is loaded.

    Coming from scikeras: ``KerasClassifier(model=build, optimizer=...,
    loss=..., epochs=..., batch_size=..., callbacks=...)`` maps to this
    estimator's parameters of the same names; ``model__units=32`` becomes
    ``model_kwargs={"units": 32}``, ``fit__validation_split`` becomes
    ``validation_fraction`` and ``optimizer__learning_rate`` becomes
    ``learning_rate``. The builder takes ``input_shape``, ``n_classes`` and
    ``seed`` in place of scikeras' ``meta`` dictionary.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skimgclf.cnn import KerasCNNClassifier
    >>> X, y = load_digits(return_X_y=True)
    >>> clf = KerasCNNClassifier(filters=(8,), dense_units=16, epochs=2,
    ...                          random_state=0).fit(X[:300] / 16, y[:300])
    >>> clf.image_shape_
    (8, 8, 1)
    >>> clf.predict_proba(X[:2] / 16).shape
    (2, 10)
    """

    _parameter_constraints: dict = {
        "model": [callable, None],
        "model_kwargs": [dict, None],
        "filters": [Interval(Integral, 1, None, closed="left"), tuple, list],
        "kernel_size": [Interval(Integral, 1, None, closed="left")],
        "dense_units": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "dense_dropout": [Interval(Real, 0, 1, closed="left")],
        "optimizer": [str, HasMethods(["get_config"])],
        "learning_rate": [Interval(Real, 0, None, closed="neither"), None],
        "loss": [str, callable],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither"), None],
        "early_stopping": ["boolean"],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "callbacks": [list, None],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "image_shape": [tuple, list, None],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        model=None,
        *,
        model_kwargs=None,
        filters=(32, 64),
        kernel_size=3,
        dense_units=128,
        dropout=0.25,
        dense_dropout=0.5,
        optimizer="adam",
        learning_rate=None,
        loss="sparse_categorical_crossentropy",
        epochs=10,
        batch_size=128,
        validation_fraction=None,
        early_stopping=False,
        n_iter_no_change=5,
        callbacks=None,
        class_weight=None,
        image_shape=None,
        warm_start=False,
        random_state=None,
        verbose=0,
    ):
        self.model = model
        self.model_kwargs = model_kwargs
        self.filters = filters
        self.kernel_size = kernel_size
        self.dense_units = dense_units
        self.dropout = dropout
        self.dense_dropout = dense_dropout
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_fraction = validation_fraction
        self.early_stopping = early_stopping
        self.n_iter_no_change = n_iter_no_change
        self.callbacks = callbacks
        self.class_weight = class_weight
        self.image_shape = image_shape
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Train the network on a batch of images.

        Parameters
        ----------
        X : array-like of shape (n_samples, height, width, channels), \
                (n_samples, height, width) or (n_samples, n_features)
            Training images, channels last; 2-D rows are reshaped with
            ``image_shape``.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights of the loss, multiplied with ``class_weight``.

        Returns
        -------
        self : KerasCNNClassifier
            The fitted estimator.
        """
        warm = self.warm_start and hasattr(self, "model_")
        X, image_shape = validate_images(self, X, reset=not warm)
        y = validate_labels(self, y, X.shape[0])
        self._check_callbacks()
        check_filters(self.filters)
        make_loss(self.loss)

        if warm:
            classes = self.classes_
            y_encoded = encode_labels(self, y, classes)
        else:
            classes, y_encoded = np.unique(y, return_inverse=True)
            check_two_classes(self, classes)
        weights = self._combined_weights(X, y, classes, y_encoded, sample_weight)

        model_seed, shuffle_seed, split_seed = derive_seeds(
            resolve_random_state(self.random_state), 3
        )
        if not warm:
            self.classes_ = classes
            self.image_shape_ = image_shape
            self._reset_training_state(model_seed)

        validation = None
        validation_fraction = self.validation_fraction
        if validation_fraction is None and self.early_stopping:
            validation_fraction = 0.1
        if validation_fraction is not None:
            X, y_encoded, weights, validation = self._split_validation(
                X, y_encoded, weights, validation_fraction, split_seed
            )

        self._train(
            X, y_encoded, weights, epochs=self.epochs, shuffle_seed=shuffle_seed,
            validation=validation, early_stopping=self.early_stopping,
        )
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train the network for one epoch on the given batch.

        The first call builds the network and needs ``classes``. Later calls
        continue training it; ``epochs``, ``validation_fraction`` and
        ``early_stopping`` do not apply.

        Parameters
        ----------
        X : array-like of shape (n_samples, height, width, channels), \
                (n_samples, height, width) or (n_samples, n_features)
            Training images of this batch.
        y : array-like of shape (n_samples,)
            Class labels of this batch.
        classes : array-like of shape (n_classes,), default=None
            All class labels; required on the first call, and when given
            later it must equal ``classes_``.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights of the loss.

        Returns
        -------
        self : KerasCNNClassifier
            The fitted estimator.
        """
        first_call = not hasattr(self, "model_")
        if first_call and classes is None:
            raise ValueError(
                "classes must be passed on the first call to partial_fit, "
                "for example classes=np.unique(y_all)."
            )
        if isinstance(self.class_weight, str):
            raise ValueError(
                "class_weight='balanced' is not supported by partial_fit "
                "because the class frequencies of later batches are unknown. "
                "Pass a dict computed with "
                "sklearn.utils.class_weight.compute_class_weight on all labels."
            )

        X, image_shape = validate_images(self, X, reset=first_call)
        y = validate_labels(self, y, X.shape[0])
        self._check_callbacks()
        check_filters(self.filters)
        make_loss(self.loss)

        if first_call:
            all_classes = np.unique(validate_labels(self, classes, len(classes)))
            check_two_classes(self, all_classes)
        elif classes is not None and not np.array_equal(np.unique(classes), self.classes_):
            raise ValueError(
                f"classes={np.unique(classes).tolist()!r} differs from the "
                f"classes {self.classes_.tolist()!r} of the first call to "
                "partial_fit."
            )
        else:
            all_classes = self.classes_
        y_encoded = encode_labels(self, y, all_classes)
        weights = self._combined_weights(X, y, all_classes, y_encoded, sample_weight)

        # Every check above runs before the first fitted attribute is set,
        # so a first call that raises leaves the estimator unfitted.
        if first_call:
            self.classes_ = all_classes
            self.image_shape_ = image_shape
            (model_seed,) = derive_seeds(resolve_random_state(self.random_state), 1)
            self._reset_training_state(model_seed)

        if not hasattr(self, "_partial_fit_rng"):
            # Seeds the shuffling of every later partial_fit call.
            (rng_seed,) = derive_seeds(resolve_random_state(self.random_state), 1)
            self._partial_fit_rng = np.random.RandomState(rng_seed)
        (shuffle_seed,) = derive_seeds(self._partial_fit_rng, 1)
        self._train(
            X, y_encoded, weights, epochs=1, shuffle_seed=shuffle_seed,
            validation=None, early_stopping=False,
        )
        return self

    def predict_proba(self, X):
        """Predict class probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, height, width, channels), \
                (n_samples, height, width) or (n_samples, n_features)
            Images of the shape seen in ``fit``.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes), dtype float64
            Probabilities in the order of ``classes_``; rows sum to 1.
        """
        check_is_fitted(self)
        X, _ = validate_images(self, X, reset=False)

        # The network is called directly, batch by batch, because
        # model.predict would trace a new TensorFlow function for every
        # fitted network.
        batches = [
            np.asarray(self.model_(X[start : start + self.batch_size], training=False))
            for start in range(0, X.shape[0], self.batch_size)
        ]
        proba = np.concatenate(batches).astype(np.float64)
        proba /= proba.sum(axis=1, keepdims=True)
        return proba

    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, height, width, channels), \
                (n_samples, height, width) or (n_samples, n_features)
            Images of the shape seen in ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def __getstate__(self):
        state = dict(super().__getstate__())
        model = state.pop("model_", None)
        if model is not None:
            state[_MODEL_BYTES_KEY] = model_to_bytes(model)
        return state

    def __setstate__(self, state):
        state = dict(state)
        model_bytes = state.pop(_MODEL_BYTES_KEY, None)
        super().__setstate__(state)
        if model_bytes is not None:
            self.model_ = model_from_bytes(model_bytes)

    def _check_callbacks(self):
        if self.callbacks is None:
            return
        _, keras = import_keras()
        for callback in self.callbacks:
            if not isinstance(callback, keras.callbacks.Callback):
                raise TypeError(
                    "callbacks must be a list of keras.callbacks.Callback "
                    f"instances; got {callback!r}."
                )

    def _combined_weights(self, X, y, classes, y_encoded, sample_weight):
        weights = _check_sample_weight(
            sample_weight, X, dtype=np.float64, ensure_non_negative=True
        )
        weights = weights * class_weight_to_sample_weight(
            self.class_weight, classes, y_encoded, y_for_balanced=y
        )
        return weights.astype(np.float32)

    def _split_validation(self, X, y_encoded, weights, validation_fraction, seed):
        try:
            split = train_test_split(
                np.arange(X.shape[0]),
                test_size=validation_fraction,
                stratify=y_encoded,
                random_state=seed,
            )
        except ValueError as exc:
            raise ValueError(
                f"A stratified hold-out of validation_fraction="
                f"{validation_fraction} could not be drawn: {exc} Use more "
                "samples per class, another validation_fraction, or "
                "early_stopping=False with validation_fraction=None."
            ) from exc
        train_index, validation_index = np.sort(split[0]), np.sort(split[1])
        validation = (X[validation_index], y_encoded[validation_index], weights[validation_index])
        return X[train_index], y_encoded[train_index], weights[train_index], validation

    def _reset_training_state(self, model_seed):
        """Build and compile a new network and clear the training record."""
        # Keras networks contain reference cycles, so the previous one is
        # freed only by a cyclic garbage collection. Running it here keeps
        # hundreds of fits in a grid search from piling up networks.
        # NOTE: about 2 MB per fit stays allocated even so (30 fits of a
        # small network on CPU, TensorFlow 2.21), and keras.backend.clear_session
        # does not release it. Plain model.fit in the same loop kept 6.7 MB.
        if self.__dict__.pop("model_", None) is not None:
            gc.collect()
        self.__dict__.pop("_partial_fit_rng", None)
        self.model_ = self._build_model(model_seed)
        self.history_ = {}
        self.n_iter_ = 0

    def _build_model(self, seed):
        _, keras = import_keras()
        n_classes = len(self.classes_)
        input_shape = self.image_shape_

        if self.model is None:
            model = build_default_cnn(
                input_shape,
                n_classes,
                seed=seed,
                filters=self.filters,
                kernel_size=self.kernel_size,
                dense_units=self.dense_units,
                dropout=self.dropout,
                dense_dropout=self.dense_dropout,
            )
        else:
            model_kwargs = dict(self.model_kwargs or {})
            try:
                model = self.model(input_shape, n_classes, seed=seed, **model_kwargs)
            except ValueError as exc:
                raise ValueError(
                    f"model={self.model!r} failed to build a network for images "
                    f"of shape {input_shape}: {exc} If the images are too small "
                    "for its convolutions and pooling, resize them (for example "
                    "with skimgclf.preprocessing.ImageResizer) or use "
                    "padding='same'."
                ) from exc
            if not isinstance(model, keras.Model):
                raise TypeError(
                    f"model={self.model!r} must return a keras.Model; got "
                    f"{type(model).__name__}."
                )
            output_shape = tuple(model.outputs[0].shape)
            if output_shape[-1] != n_classes:
                raise ValueError(
                    f"model={self.model!r} returned a network with output shape "
                    f"{output_shape}, but y has {n_classes} classes. The last "
                    "layer needs n_classes softmax units."
                )

        loss, _ = make_loss(self.loss)
        model.compile(
            optimizer=make_optimizer(self.optimizer, self.learning_rate),
            loss=loss,
            metrics=["accuracy"],
        )
        return model

    def _train(
        self, X, y_encoded, weights, *, epochs, shuffle_seed, validation, early_stopping
    ):
        """Run ``epochs`` more epochs and append their logs to ``history_``."""
        _, keras = import_keras()
        _, one_hot = make_loss(self.loss)
        n_classes = len(self.classes_)

        def targets(labels):
            return one_hot_labels(labels, n_classes) if one_hot else labels

        if not self.model_.optimizer.built:
            build_training_variables(self.model_, X, targets(y_encoded[:1]), weights)
        dataset = make_dataset(
            X, targets(y_encoded), weights, batch_size=self.batch_size,
            shuffle_seed=shuffle_seed,
        )
        validation_dataset = None
        if validation is not None:
            X_val, y_val, weights_val = validation
            validation_dataset = make_dataset(
                X_val, targets(y_val), weights_val, batch_size=self.batch_size,
                shuffle_seed=None,
            )

        callbacks = copy.deepcopy(list(self.callbacks or []))
        if early_stopping:
            callbacks.append(
                keras.callbacks.EarlyStopping(
                    monitor="val_loss",
                    patience=self.n_iter_no_change,
                    restore_best_weights=True,
                )
            )

        history = self.model_.fit(
            dataset,
            validation_data=validation_dataset,
            initial_epoch=self.n_iter_,
            epochs=self.n_iter_ + epochs,
            callbacks=callbacks,
            shuffle=False,
            verbose=1 if self.verbose > 0 else 0,
        )
        for key, values in history_to_dict(history.history).items():
            self.history_.setdefault(key, []).extend(values)
        self.n_iter_ += len(history.epoch)
