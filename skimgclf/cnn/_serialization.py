"""Pickling support: a fitted network travels as a ``.keras`` archive."""

import os
import tempfile

from skimgclf.cnn._backend import import_keras


def model_to_bytes(model):
    """Serialize a Keras model to the bytes of a ``.keras`` archive.

    The archive is Keras' own format: architecture, weights and optimizer
    state, with no Python objects pickled inside.

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    data : bytes
    """
    with tempfile.TemporaryDirectory(prefix="skimgclf-") as folder:
        path = os.path.join(folder, "model.keras")
        model.save(path)
        with open(path, "rb") as file:
            return file.read()


def model_from_bytes(data):
    """Load a Keras model from the bytes written by :func:`model_to_bytes`.

    Loading uses Keras' safe mode, so an archive that would run arbitrary
    Python code (a ``Lambda`` layer holding bytecode) is rejected. Custom
    layers must be registered with
    :func:`keras.saving.register_keras_serializable` in the loading process.

    Parameters
    ----------
    data : bytes

    Returns
    -------
    model : keras.Model
    """
    _, keras = import_keras()
    with tempfile.TemporaryDirectory(prefix="skimgclf-") as folder:
        path = os.path.join(folder, "model.keras")
        with open(path, "wb") as file:
            file.write(data)
        return keras.saving.load_model(path, compile=True, safe_mode=True)
