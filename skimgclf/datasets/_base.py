"""Data home resolution and file hashing shared by the loaders."""

import hashlib
import os
from pathlib import Path

DATA_HOME_ENV = "SKIMGCLF_DATA"
DEFAULT_DATA_HOME = "~/skimgclf_data"

_CHUNK_SIZE = 1 << 20


def get_data_home(data_home=None):
    """Return the folder where skimgclf stores downloaded data sets.

    The folder is ``data_home`` when given, else the value of the
    ``SKIMGCLF_DATA`` environment variable when it is set and not empty, else
    ``~/skimgclf_data``. A leading ``~`` is expanded. The folder is not
    created here: the loaders create it only when they download into it.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder to use instead of the environment variable and the default.

    Returns
    -------
    data_home : pathlib.Path
        The resolved folder, which may not exist yet.

    Examples
    --------
    >>> from skimgclf.datasets import get_data_home
    >>> str(get_data_home("/tmp/my_data"))
    '/tmp/my_data'
    """
    if data_home is None:
        data_home = os.environ.get(DATA_HOME_ENV) or DEFAULT_DATA_HOME
    elif not isinstance(data_home, (str, os.PathLike)):
        raise TypeError(
            f"data_home must be a str, a path-like object or None, got "
            f"{data_home!r} of type {type(data_home).__name__}."
        )
    return Path(data_home).expanduser()


def file_digest(path, algorithm="sha256"):
    """Hash a file in chunks of 1 MiB and return the hex digest."""
    digest = hashlib.new(algorithm, usedforsecurity=False)
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(_CHUNK_SIZE), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_return_X_y(return_X_y):
    """Raise a TypeError unless ``return_X_y`` is a bool."""
    if not isinstance(return_X_y, bool):
        raise TypeError(
            f"return_X_y must be True or False, got {return_X_y!r}."
        )
