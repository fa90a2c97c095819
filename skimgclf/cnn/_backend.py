"""Lazy access to TensorFlow and Keras.

Every module of :mod:`skimgclf.cnn` reaches TensorFlow and Keras through
:func:`import_keras`, called inside methods, so that importing
:mod:`skimgclf` or :mod:`skimgclf.cnn` never loads either package.
"""

import os

import numpy as np
from sklearn.utils import check_random_state

# joblib's loky backend exports these variables in each worker, set to
# cpu_count() // n_jobs unless the parent already sets them. TensorFlow reads
# none of them, so import_keras copies the first one found into TensorFlow's
# own thread pool settings.
_THREAD_LIMIT_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")

_MAX_SEED = 2**31 - 2**16

_MODULES = None


def import_keras():
    """Import TensorFlow and Keras with the TensorFlow backend.

    On the first call in a process, TensorFlow's intra-op and inter-op thread
    pools are limited to the thread count that joblib's loky backend sets in
    its workers (see :func:`limit_tensorflow_threads`).

    Returns
    -------
    tf : module
        The ``tensorflow`` module.
    keras : module
        The ``keras`` module.

    Raises
    ------
    ImportError
        If TensorFlow or Keras is not installed, or if Keras was already
        imported with a backend other than TensorFlow.
    """
    global _MODULES
    if _MODULES is not None:
        return _MODULES

    # Keras reads KERAS_BACKEND once, when it is first imported.
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    # Keep TensorFlow's C++ start-up messages (CUDA probing on CPU machines)
    # out of the user's output unless the user configured the level.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        import tensorflow as tf
        import keras
    except ImportError as exc:
        raise ImportError(
            "KerasCNNClassifier requires TensorFlow and Keras 3. Install them "
            "with: pip install 'tensorflow>=2.16' 'keras>=3.0'"
        ) from exc

    if keras.backend.backend() != "tensorflow":
        raise ImportError(
            "KerasCNNClassifier requires the TensorFlow backend of Keras, but "
            f"Keras was loaded with the {keras.backend.backend()!r} backend. "
            "Set the environment variable KERAS_BACKEND=tensorflow before "
            "Keras is first imported."
        )

    limit_tensorflow_threads(tf)
    _MODULES = (tf, keras)
    return _MODULES


def _thread_limit_from_environment():
    for name in _THREAD_LIMIT_VARIABLES:
        value = os.environ.get(name, "")
        if value.isdigit() and int(value) >= 1:
            return int(value)
    return None


def limit_tensorflow_threads(tf):
    """Size TensorFlow's thread pools from the OpenMP/BLAS thread limits.

    joblib's loky workers inherit ``OMP_NUM_THREADS`` (and the MKL and
    OpenBLAS equivalents) set to ``cpu_count() // n_jobs``. Without this step
    each TensorFlow worker would start one thread per core, so two workers on
    two cores would run four busy threads.

    Parameters
    ----------
    tf : module
        The ``tensorflow`` module.

    Returns
    -------
    n_threads : int or None
        The limit applied, or None when no variable is set or TensorFlow's
        runtime was already initialized (its pools are then left as they are).
    """
    n_threads = _thread_limit_from_environment()
    if n_threads is None:
        return None
    try:
        tf.config.threading.set_intra_op_parallelism_threads(n_threads)
        tf.config.threading.set_inter_op_parallelism_threads(n_threads)
    except RuntimeError:
        # TensorFlow rejects the change once its runtime has started, for
        # example when the user ran TensorFlow operations before fitting.
        return None
    return n_threads


def resolve_random_state(random_state):
    """Return a RandomState; None gets a new one seeded from OS entropy.

    ``sklearn.utils.check_random_state(None)`` returns NumPy's global
    RandomState, which fitting would then use and advance.
    """
    if random_state is None:
        return np.random.RandomState()
    return check_random_state(random_state)


def derive_seeds(random_state, n_seeds):
    """Draw ``n_seeds`` 31-bit integer seeds from a scikit-learn random state.

    Parameters
    ----------
    random_state : numpy.random.RandomState
        Output of :func:`resolve_random_state`. An integer
        ``random_state`` gives a fresh generator on each fit, hence the same
        seeds, and ``None`` a generator seeded from OS entropy.
    n_seeds : int
        Number of seeds.

    Returns
    -------
    seeds : list of int
    """
    # Builders add small offsets to a base seed, one per layer, so the seeds
    # stay below 2**31 - 2**16 to remain valid 32-bit seeds after the offsets.
    seeds = random_state.randint(_MAX_SEED, size=n_seeds)
    return [int(seed) for seed in seeds]
