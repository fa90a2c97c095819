"""Behaviour of KerasCNNClassifier: inputs, outputs, training options, errors."""

import copy
import pickle
import random
import subprocess
import sys
import textwrap

import joblib
import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.exceptions import DataConversionWarning, NotFittedError

from skimgclf.cnn import KerasCNNClassifier
from skimgclf.cnn._backend import import_keras

# Importing TensorFlow here is fine: the check that importing skimgclf.cnn
# does not load it runs in a fresh subprocess.
tf, keras = import_keras()

SMALL_PARAMS = {
    "filters": (4,),
    "dense_units": 8,
    "dropout": 0.0,
    "dense_dropout": 0.0,
    "learning_rate": 0.02,
    "epochs": 2,
    "batch_size": 16,
}


def small_classifier(**params):
    return KerasCNNClassifier(**{**SMALL_PARAMS, "random_state": 0, **params})


def make_images(n_samples=60, image_shape=(6, 6), n_classes=3, seed=0):
    """Return noisy images whose mean brightness depends on the class."""
    rng = np.random.RandomState(seed)
    y = np.arange(n_samples) % n_classes
    X = rng.uniform(0, 0.5, size=(n_samples, *image_shape)) + 0.25 * y.reshape(
        (-1,) + (1,) * len(image_shape)
    )
    return X.astype(np.float32), y


class StopAfterTwoEpochs(keras.callbacks.Callback):
    """Stop training after two epochs, counting the epochs it has seen."""

    def __init__(self):
        super().__init__()
        self.epochs_seen = 0

    def on_epoch_end(self, epoch, logs=None):
        self.epochs_seen += 1
        if self.epochs_seen >= 2:
            self.model.stop_training = True


@pytest.fixture(scope="module")
def fitted_gray():
    """A classifier fitted once on 3-D grayscale images with string labels."""
    X, y = make_images()
    labels = np.array(["coat", "dress", "shirt"])[y]
    return small_classifier().fit(X, labels), X, labels


def test_import_does_not_load_tensorflow():
    code = textwrap.dedent(
        """
        import sys
        from sklearn.base import clone
        from skimgclf.cnn import KerasCNNClassifier

        estimator = KerasCNNClassifier()
        clone(estimator)
        estimator.get_params()
        repr(estimator)
        loaded = [
            name for name in sys.modules
            if name.split(".")[0] in ("tensorflow", "keras")
        ]
        assert not loaded, loaded
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_is_classifier_with_tags():
    estimator = KerasCNNClassifier()
    tags = estimator.__sklearn_tags__()
    assert is_classifier(estimator)
    assert tags.estimator_type == "classifier"
    assert tags.input_tags.three_d_array
    assert not tags.non_deterministic


def test_predict_before_fit_raises():
    X, _ = make_images(n_samples=3)
    with pytest.raises(NotFittedError):
        KerasCNNClassifier().predict(X)


def test_fitted_attributes(fitted_gray):
    classifier, X, labels = fitted_gray
    assert classifier.classes_.tolist() == ["coat", "dress", "shirt"]
    assert classifier.image_shape_ == (6, 6, 1)
    assert classifier.n_features_in_ == 36
    assert classifier.n_iter_ == 2
    assert set(classifier.history_) == {"loss", "accuracy"}
    assert all(type(value) is float for value in classifier.history_["loss"])
    assert len(classifier.history_["loss"]) == 2
    assert classifier.model_.output_shape == (None, 3)


def test_predict_proba_shape_and_sum(fitted_gray):
    classifier, X, labels = fitted_gray
    proba = classifier.predict_proba(X)
    assert proba.shape == (len(X), 3)
    assert proba.dtype == np.float64
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    assert classifier.predict_proba(X[:1]).shape == (1, 3)
    np.testing.assert_array_equal(
        classifier.predict(X), classifier.classes_[proba.argmax(axis=1)]
    )


def test_same_images_in_every_layout(fitted_gray):
    classifier, X, _ = fitted_gray
    expected = classifier.predict_proba(X)
    for layout in (X[..., np.newaxis], X.reshape(len(X), -1), X.tolist()):
        np.testing.assert_allclose(classifier.predict_proba(layout), expected, rtol=1e-6)


def test_predict_other_image_shape_raises(fitted_gray):
    classifier, _, _ = fitted_gray
    X_other, _ = make_images(n_samples=4, image_shape=(7, 7))
    with pytest.raises(ValueError, match=r"shape \(7, 7, 1\).*fitted on images of shape \(6, 6, 1\)"):
        classifier.predict(X_other)
    with pytest.raises(ValueError, match="X has 49 features, but KerasCNNClassifier is expecting 36"):
        classifier.predict(X_other.reshape(4, -1))


@pytest.mark.parametrize(
    "labels",
    [np.array([-3, 0, 7]), np.array([10, 20, 40]), np.array([1.0, 2.0, 5.0])],
    ids=["negative", "gaps", "integral-float"],
)
def test_any_labels_round_trip(labels):
    X, y = make_images(n_samples=30)
    classifier = small_classifier(epochs=1).fit(X, labels[y])
    np.testing.assert_array_equal(classifier.classes_, labels)
    assert set(classifier.predict(X)) <= set(labels)


def test_binary_gives_two_columns():
    X, y = make_images(n_samples=30, n_classes=2)
    classifier = small_classifier(epochs=1).fit(X, np.where(y == 1, "yes", "no"))
    assert classifier.predict_proba(X).shape == (30, 2)


def test_flat_rows_with_image_shape():
    X, y = make_images(n_samples=30, image_shape=(4, 6, 3))
    classifier = small_classifier(epochs=1, image_shape=(4, 6, 3))
    classifier.fit(X.reshape(30, -1), y)
    assert classifier.image_shape_ == (4, 6, 3)
    assert classifier.predict(X).shape == (30,)


@pytest.mark.parametrize(
    ("n_features", "image_shape"), [(16, (4, 4, 1)), (5, (1, 5, 1)), (1, (1, 1, 1))]
)
def test_flat_rows_infer_image_shape(n_features, image_shape):
    rng = np.random.RandomState(0)
    X = rng.rand(20, n_features)
    classifier = small_classifier(epochs=1).fit(X, np.arange(20) % 2)
    assert classifier.image_shape_ == image_shape


def test_inputs_not_modified_and_read_only_memmap(tmp_path):
    X, y = make_images(n_samples=30)
    path = tmp_path / "X.npy"
    np.save(path, X)
    X_mapped = np.load(path, mmap_mode="r")
    y_read_only = y.copy()
    y_read_only.flags.writeable = False
    sample_weight = np.ones(30)
    sample_weight_copy = sample_weight.copy()

    classifier = small_classifier(epochs=1).fit(X_mapped, y_read_only, sample_weight=sample_weight)
    classifier.predict(X_mapped)

    np.testing.assert_array_equal(np.load(path), X)
    np.testing.assert_array_equal(sample_weight, sample_weight_copy)


def test_random_state_repeats_fit_without_global_state():
    X, y = make_images()
    tf_generator = tf.random.get_global_generator()
    numpy_state = np.random.get_state()
    python_state = random.getstate()
    tf_state = tf_generator.state.numpy().copy()

    first = small_classifier(random_state=42, dropout=0.3, dense_dropout=0.3).fit(X, y)
    # A different network trained in between must not change the next fit.
    small_classifier(random_state=7, dense_units=4).fit(X, y)
    second = small_classifier(random_state=42, dropout=0.3, dense_dropout=0.3).fit(X, y)

    np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))
    assert first.history_ == second.history_
    np.testing.assert_array_equal(np.random.get_state()[1], numpy_state[1])
    assert random.getstate() == python_state
    np.testing.assert_array_equal(tf_generator.state.numpy(), tf_state)


def test_random_state_instances_and_none():
    X, y = make_images()
    from_instance = [
        small_classifier(random_state=np.random.RandomState(3)).fit(X, y).predict_proba(X)
        for _ in range(2)
    ]
    np.testing.assert_array_equal(from_instance[0], from_instance[1])

    unseeded = [small_classifier(random_state=None).fit(X, y).predict_proba(X) for _ in range(2)]
    assert not np.array_equal(unseeded[0], unseeded[1])


def test_class_weight_equals_sample_weight():
    X, y = make_images()
    by_class = small_classifier(class_weight={0: 3.0, 2: 0.5}).fit(X, y)
    weights = np.select([y == 0, y == 2], [3.0, 0.5], default=1.0)
    by_sample = small_classifier().fit(X, y, sample_weight=weights)
    np.testing.assert_array_equal(by_class.predict_proba(X), by_sample.predict_proba(X))


def test_class_weight_balanced_and_favoured_class():
    X, y = make_images(n_samples=90)
    y = np.where(np.arange(90) < 70, 0, y)
    small_classifier(class_weight="balanced", epochs=1).fit(X, y)

    favoured = small_classifier(class_weight={1: 1000.0}, epochs=3).fit(X, y)
    assert np.mean(favoured.predict(X) == 1) > 0.9


def test_unknown_class_weight_key_raises():
    X, y = make_images(n_samples=30)
    with pytest.raises(ValueError, match=r"class_weight has keys \['cat'\] that are not class labels"):
        small_classifier(class_weight={"cat": 2.0}).fit(X, y)


def test_callbacks_copied_for_every_fit(tmp_path):
    X, y = make_images(n_samples=30)
    counter = StopAfterTwoEpochs()
    stopper = keras.callbacks.EarlyStopping(monitor="loss", patience=1)
    logger = keras.callbacks.CSVLogger(str(tmp_path / "log.csv"))
    stopper_state = copy.deepcopy(stopper.__dict__)
    classifier = small_classifier(epochs=5, callbacks=[counter, stopper, logger])

    classifier.fit(X, y)
    first_run = classifier.n_iter_
    classifier.fit(X, y)

    # A counter shared between fits would stop the second fit after one epoch.
    assert first_run == classifier.n_iter_ == 2
    assert classifier.callbacks[0] is counter
    assert counter.epochs_seen == 0
    assert stopper.__dict__.keys() == stopper_state.keys()
    assert stopper.stopped_epoch == 0
    assert stopper.best_weights is None
    assert logger.csv_file is None
    assert (tmp_path / "log.csv").read_text().count("\n") == 3


def test_non_callback_raises():
    X, y = make_images(n_samples=30)
    with pytest.raises(TypeError, match="keras.callbacks.Callback instances"):
        small_classifier(callbacks=[print]).fit(X, y)


def test_validation_fraction_records_val_loss():
    X, y = make_images()
    classifier = small_classifier(validation_fraction=0.2).fit(X, y)
    assert len(classifier.history_["val_loss"]) == classifier.n_iter_ == 2


def test_early_stopping_stops_on_random_labels():
    # Random labels: the validation loss rises as soon as the network
    # memorises the training noise.
    rng = np.random.RandomState(0)
    X = rng.rand(120, 6, 6).astype(np.float32)
    y = rng.randint(0, 2, 120)
    classifier = small_classifier(
        dense_units=64, learning_rate=0.01, epochs=40, early_stopping=True, n_iter_no_change=2
    ).fit(X, y)
    assert classifier.n_iter_ < 40
    assert len(classifier.history_["val_loss"]) == classifier.n_iter_


def test_early_stopping_with_too_few_samples_raises():
    X, y = make_images(n_samples=6)
    with pytest.raises(ValueError, match="stratified hold-out of validation_fraction=0.1"):
        small_classifier(early_stopping=True).fit(X, y)


def test_warm_start_continues_training():
    X, y = make_images()
    classifier = small_classifier(warm_start=True).fit(X, y)
    network = classifier.model_
    classifier.set_params(epochs=1).fit(X, y)
    assert classifier.model_ is network
    assert classifier.n_iter_ == 3
    assert len(classifier.history_["loss"]) == 3

    classifier.set_params(warm_start=False).fit(X, y)
    assert classifier.model_ is not network
    assert classifier.n_iter_ == 1


def test_warm_start_with_new_label_raises():
    X, y = make_images()
    classifier = small_classifier(warm_start=True, epochs=1).fit(X, y)
    with pytest.raises(ValueError, match=r"labels \[5\] that are not in the classes"):
        classifier.fit(X, np.where(y == 0, 5, y))


def test_partial_fit_one_epoch_per_call():
    X, y = make_images()
    classifier = small_classifier()
    classifier.partial_fit(X[:30], y[:30], classes=[0, 1, 2])
    classifier.partial_fit(X[30:], y[30:])
    assert classifier.n_iter_ == 2
    assert len(classifier.history_["loss"]) == 2
    np.testing.assert_array_equal(classifier.classes_, [0, 1, 2])

    again = small_classifier()
    again.partial_fit(X[:30], y[:30], classes=[0, 1, 2])
    again.partial_fit(X[30:], y[30:])
    np.testing.assert_array_equal(classifier.predict_proba(X), again.predict_proba(X))


def test_partial_fit_errors():
    X, y = make_images(n_samples=30)
    classifier = small_classifier()
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        classifier.partial_fit(X, y)
    classifier.partial_fit(X, y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="differs from the classes"):
        classifier.partial_fit(X, y, classes=[0, 1, 2, 3])
    with pytest.raises(ValueError, match=r"labels \[9\] that are not in the classes"):
        classifier.partial_fit(X, np.full(30, 9))
    with pytest.raises(ValueError, match="'balanced' is not supported by partial_fit"):
        small_classifier(class_weight="balanced").partial_fit(X, y, classes=[0, 1, 2])


def test_verbose_prints_progress(capsys):
    X, y = make_images(n_samples=30)
    small_classifier(epochs=1).fit(X, y)
    assert "Epoch" not in capsys.readouterr().out
    small_classifier(epochs=2, verbose=1).fit(X, y)
    output = capsys.readouterr().out
    assert "Epoch 2/2" in output
    assert "loss:" in output


def _tiny_user_model(input_shape, n_classes, *, seed, units=4):
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(2, 3, kernel_initializer=keras.initializers.GlorotUniform(seed))(inputs)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dense(units, activation="relu")(x)
    outputs = keras.layers.Dense(n_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def _wrong_output_model(input_shape, n_classes, *, seed):
    inputs = keras.Input(shape=input_shape)
    outputs = keras.layers.Dense(n_classes + 1, activation="softmax")(keras.layers.Flatten()(inputs))
    return keras.Model(inputs, outputs)


def test_user_model_with_model_kwargs():
    X, y = make_images()
    classifier = small_classifier(model=_tiny_user_model, model_kwargs={"units": 3}).fit(X, y)
    assert classifier.model_.layers[-2].units == 3
    assert classifier.predict_proba(X).shape == (60, 3)


def test_user_model_too_small_images_raises():
    X, y = make_images(n_samples=30, image_shape=(2, 2))
    with pytest.raises(ValueError, match=r"failed to build a network for images of shape \(2, 2, 1\).*too small"):
        small_classifier(model=_tiny_user_model).fit(X, y)


def test_user_model_wrong_output_raises():
    X, y = make_images(n_samples=30)
    with pytest.raises(ValueError, match=r"output shape \(None, 4\), but y has 3 classes"):
        small_classifier(model=_wrong_output_model).fit(X, y)


def test_categorical_loss_and_optimizer_object():
    X, y = make_images()
    optimizer = keras.optimizers.SGD(learning_rate=0.1, momentum=0.5)
    classifier = small_classifier(
        loss="categorical_crossentropy", optimizer=optimizer, learning_rate=None
    ).fit(X, y)
    assert classifier.model_.optimizer is not optimizer
    assert float(classifier.model_.optimizer.momentum) == 0.5
    assert int(optimizer.iterations.numpy()) == 0
    assert classifier.predict_proba(X).shape == (60, 3)


def test_unknown_optimizer_name_raises():
    X, y = make_images(n_samples=30)
    with pytest.raises(ValueError, match="optimizer='adamw2' is not a Keras optimizer name"):
        small_classifier(optimizer="adamw2").fit(X, y)


@pytest.mark.parametrize(
    ("value", "message"), [(np.nan, "Input X contains NaN"), (np.inf, "Input X contains infinity")]
)
def test_non_finite_images_raise(value, message):
    X, y = make_images(n_samples=30)
    X[3, 2, 1] = value
    with pytest.raises(ValueError, match=message):
        small_classifier().fit(X, y)


def test_single_class_raises():
    X, _ = make_images(n_samples=30)
    with pytest.raises(ValueError, match=r"at least 2 classes, but y contains only one class: \['a'\]"):
        small_classifier().fit(X, np.full(30, "a"))


def test_one_hot_y_raises():
    X, y = make_images(n_samples=30)
    with pytest.raises(ValueError, match=r"2-D y of shape \(30, 3\). For one-hot encoded labels pass y.argmax"):
        small_classifier().fit(X, np.eye(3)[y])


def test_column_vector_y_warns():
    X, y = make_images(n_samples=30)
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        small_classifier(epochs=1).fit(X, y.reshape(-1, 1))


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ((4, 6, 6, 2), r"channels last with 1, 3 or 4 channels.*np.moveaxis"),
        ((4, 1, 6, 6, 1), "got a 5-D array of shape"),
        ((4, 0, 6), "at least one pixel"),
    ],
)
def test_bad_image_shapes_raise(shape, message):
    with pytest.raises(ValueError, match=message):
        small_classifier().fit(np.zeros(shape), np.arange(4) % 2)


def test_filters_validation():
    X, y = make_images(n_samples=30)
    with pytest.raises(ValueError, match="filters must hold at least one positive int"):
        small_classifier(filters=(8, 0)).fit(X, y)


@pytest.mark.parametrize("fitted", [False, True], ids=["unfitted", "fitted"])
@pytest.mark.parametrize("with_callbacks", [False, True], ids=["plain", "callbacks"])
def test_pickle_and_joblib_round_trip(tmp_path, fitted, with_callbacks):
    X, y = make_images()
    callbacks = [keras.callbacks.EarlyStopping(monitor="loss", patience=3)] if with_callbacks else None
    classifier = small_classifier(callbacks=callbacks)
    if fitted:
        classifier.fit(X, y)

    restored = [pickle.loads(pickle.dumps(classifier))]
    joblib.dump(classifier, tmp_path / "classifier.joblib")
    restored.append(joblib.load(tmp_path / "classifier.joblib"))

    for restored_copy in restored:
        assert restored_copy.get_params().keys() == classifier.get_params().keys()
        if not fitted:
            assert not hasattr(restored_copy, "model_")
            restored_copy.fit(X, y)
            classifier_proba = clone(classifier).fit(X, y).predict_proba(X)
        else:
            classifier_proba = classifier.predict_proba(X)
            assert restored_copy.history_ == classifier.history_
        np.testing.assert_array_equal(restored_copy.predict_proba(X), classifier_proba)


def test_pickle_state_is_plain_data():
    X, y = make_images(n_samples=30)
    classifier = small_classifier(epochs=1).fit(X, y)
    state = classifier.__getstate__()
    assert set(classifier.get_params(deep=False)) <= set(state)
    assert "model_" not in state
    assert state["_model_keras_bytes"][:2] == b"PK"
    assert "model_" in classifier.__dict__


def test_warm_start_after_unpickling_keeps_optimizer_state():
    X, y = make_images()
    classifier = small_classifier(warm_start=True, epochs=1).fit(X, y)
    restored = pickle.loads(pickle.dumps(classifier))
    assert int(restored.model_.optimizer.iterations.numpy()) == int(
        classifier.model_.optimizer.iterations.numpy()
    )
    restored.fit(X, y)
    classifier.fit(X, y)
    assert restored.n_iter_ == 2
    np.testing.assert_allclose(restored.predict_proba(X), classifier.predict_proba(X), rtol=1e-5)


def test_negative_sample_weight_raises():
    X, y = make_images(n_samples=30)
    weights = np.ones(30)
    weights[4] = -1.0
    with pytest.raises(ValueError, match="Negative values in data passed to `sample_weight`"):
        small_classifier().fit(X, y, sample_weight=weights)
    with pytest.raises(ValueError, match="Negative values in data passed to `sample_weight`"):
        small_classifier().partial_fit(X, y, classes=[0, 1, 2], sample_weight=weights)


def test_negative_class_weight_raises():
    X, y = make_images(n_samples=30)
    with pytest.raises(ValueError, match=r"class_weight must be finite and non-negative.*1 to -2\.0"):
        small_classifier(class_weight={1: -2.0}).fit(X, y)


def test_unknown_loss_name_raises():
    X, y = make_images(n_samples=30)
    classifier = small_classifier(loss="sparse_crossentropy")
    with pytest.raises(ValueError, match="loss='sparse_crossentropy' is not a Keras loss name"):
        classifier.fit(X, y)
    assert not hasattr(classifier, "model_")


def test_mixed_label_types_raise():
    X, y = make_images(n_samples=30)
    labels = y.astype(object)
    labels[0] = None
    with pytest.raises(TypeError, match=r"y mixes label types \['NoneType', 'int'\]"):
        small_classifier().fit(X, labels)


def test_unseeded_fit_keeps_global_random_state():
    X, y = make_images(n_samples=30)
    np.random.seed(0)
    before = np.random.get_state()
    small_classifier(random_state=None, epochs=1).fit(X, y)
    small_classifier(random_state=None).partial_fit(X, y, classes=[0, 1, 2])
    after = np.random.get_state()
    np.testing.assert_array_equal(before[1], after[1])
    assert before[2:] == after[2:]


def test_partial_fit_retry_after_failed_first_call():
    X, y = make_images(n_samples=30)
    classifier = small_classifier()
    with pytest.raises(ValueError, match=r"labels \[2\] that are not in the classes"):
        classifier.partial_fit(X, y, classes=[0, 1])
    assert not hasattr(classifier, "classes_")
    classifier.partial_fit(X, y, classes=[0, 1, 2])
    np.testing.assert_array_equal(classifier.classes_, [0, 1, 2])
