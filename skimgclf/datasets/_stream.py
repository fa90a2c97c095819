"""Stream decoded batches out of a list of image files."""

import numbers

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from skimgclf.preprocessing import ImageResizer


def iter_image_batches(
    paths,
    y=None,
    *,
    batch_size=32,
    transformer=None,
    shuffle=True,
    random_state=None,
):
    """Yield decoded and transformed batches of images read from files.

    Only the files of one batch are decoded at a time, so a folder that
    does not fit in memory as pixels can train an estimator through
    ``partial_fit``, one batch after another. One pass of the generator is
    one epoch: it yields every path exactly once.

    Parameters
    ----------
    paths : list of str or path-like, or ndarray of str
        Image files, for example the ``filenames`` returned by
        :func:`load_image_folder`.
    y : array-like of shape (n_samples,), default=None
        Labels of ``paths``. None yields ``None`` as the labels of each
        batch.
    batch_size : int, default=32
        Number of images per batch, >= 1. The last batch of an epoch holds
        the remaining ``len(paths) % batch_size`` images when that is not 0.
    transformer : transformer or None, default=None
        Applied to each list of ``batch_size`` paths with ``transform``.
        It must decode paths, so it is an
        :class:`~skimgclf.preprocessing.ImageResizer` or a
        :class:`~sklearn.pipeline.Pipeline` that starts with one. A
        transformer that is not fitted yet is cloned and the clone is fitted
        on the first batch, which suits the stateless image transformers.
        None uses ``ImageResizer()``, which outputs ``uint8`` images of
        224x224.
    shuffle : bool, default=True
        Visit the paths in a random order instead of the given order.
    random_state : int, RandomState instance or None, default=None
        Seeds the order when ``shuffle=True``. Pass one
        :class:`numpy.random.RandomState` instance to successive epochs to
        draw a new order for each; an int repeats the same order.

    Yields
    ------
    X_batch : ndarray
        Output of ``transformer`` for the paths of the batch.
    y_batch : ndarray of shape (len(X_batch),) or None
        Labels of the batch, or None when ``y`` is None.

    Raises
    ------
    ValueError
        If ``batch_size`` is not a positive int, if ``y`` and ``paths``
        differ in length, or if a file cannot be decoded.

    See Also
    --------
    load_image_folder : List the files of a folder with one sub-folder per
        class.
    skimgclf.preprocessing.ImageResizer : Decode and resize image files.

    Notes
    -----
    Peak memory is about one output batch plus the images
    ``transformer`` decodes at a time. The generator keeps no reference to
    a batch after yielding it, so the caller's batch is freed once the
    caller drops it.

    :class:`~skimgclf.preprocessing.ImageResizer` picks the number of
    channels per call: a batch in which every image is grayscale comes out
    as ``(n, height, width)`` while other batches have 3 channels. Folders
    that mix grayscale and colour files need a transformer with a fixed
    number of channels, such as ImageResizer followed by
    :class:`~skimgclf.preprocessing.Grayscaler`.

    Examples
    --------
    >>> import os
    >>> import tempfile
    >>> import numpy as np
    >>> from PIL import Image
    >>> from skimgclf.datasets import iter_image_batches
    >>> from skimgclf.preprocessing import ImageResizer
    >>> folder = tempfile.TemporaryDirectory()
    >>> paths = [os.path.join(folder.name, f"{i}.png") for i in range(5)]
    >>> for i, path in enumerate(paths):
    ...     Image.new("RGB", (20 + i, 30), (i, i, i)).save(path)
    >>> batches = iter_image_batches(
    ...     paths, np.arange(5), batch_size=2,
    ...     transformer=ImageResizer(output_shape=8), shuffle=False)
    >>> [(X.shape, y.tolist()) for X, y in batches]
    [((2, 8, 8, 3), [0, 1]), ((2, 8, 8, 3), [2, 3]), ((1, 8, 8, 3), [4])]
    >>> folder.cleanup()
    """
    if (
        not isinstance(batch_size, numbers.Integral)
        or isinstance(batch_size, bool)
        or batch_size < 1
    ):
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}.")
    paths = list(paths)
    if y is not None:
        y = np.asarray(y)
        if y.shape[0] != len(paths):
            raise ValueError(
                f"y has {y.shape[0]} labels but paths has {len(paths)} files; "
                "pass one label per path."
            )
    if transformer is None:
        transformer = ImageResizer()

    order = np.arange(len(paths))
    if shuffle:
        check_random_state(random_state).shuffle(order)

    fitted = _is_fitted(transformer)
    for start in range(0, len(paths), batch_size):
        rows = order[start : start + batch_size]
        batch_paths = [paths[row] for row in rows]
        if not fitted:
            transformer = clone(transformer).fit(batch_paths)
            fitted = True
        X_batch = transformer.transform(batch_paths)
        y_batch = None if y is None else y[rows]
        yield X_batch, y_batch


def _is_fitted(transformer):
    try:
        check_is_fitted(transformer)
    except NotFittedError:
        return False
    return True
