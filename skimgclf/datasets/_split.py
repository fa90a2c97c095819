"""Train/test split that keeps each group of samples on one side."""

import numpy as np
from sklearn.model_selection import GroupShuffleSplit, StratifiedShuffleSplit
from sklearn.utils import _safe_indexing, check_consistent_length, indexable


def group_train_test_split(
    *arrays,
    groups,
    test_size=None,
    train_size=None,
    stratify=None,
    random_state=None,
):
    """Split arrays into train and test sets without splitting any group.

    All samples that share a group id go to the same side. With the
    ``groups`` of :func:`load_image_folder`, byte-identical copies of a photo
    therefore never sit in both the training and the test set, where they
    would inflate the test score.

    The split is drawn over groups: :class:`~sklearn.model_selection.\
GroupShuffleSplit` without ``stratify``, and
    :class:`~sklearn.model_selection.StratifiedShuffleSplit` over one label
    per group with it.

    Parameters
    ----------
    *arrays : sequence of indexables with the same length
        Lists, NumPy arrays, SciPy sparse matrices or pandas data frames.
    groups : array-like of shape (n_samples,)
        Group id of each sample.
    test_size : float or int, default=None
        Proportion of the groups (float between 0 and 1) or number of groups
        (int) in the test set. When both sizes are None it is 0.25.
    train_size : float or int, default=None
        Proportion or number of groups in the training set. None takes the
        complement of ``test_size``.
    stratify : array-like of shape (n_samples,), default=None
        Class labels whose proportions the split keeps approximately equal
        on both sides. Each group is stratified by its most frequent label.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffle. Pass an int for the same split on every call.

    Returns
    -------
    splitting : list of length 2 * len(arrays)
        The train and the test part of each array, in the order
        ``X_train, X_test, y_train, y_test, ...``. Each part keeps the
        original order of the samples.

    Raises
    ------
    ValueError
        When no array is given, the lengths differ, or with ``stratify`` a
        class has fewer than two groups.

    See Also
    --------
    sklearn.model_selection.train_test_split : Split that ignores groups.

    Notes
    -----
    The sizes count groups, as in
    :class:`~sklearn.model_selection.GroupShuffleSplit`, so the share of
    samples in the test set deviates from ``test_size`` when groups differ
    in size. With mostly single-sample groups the deviation is small.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgclf.datasets import group_train_test_split
    >>> X = np.arange(8).reshape(8, 1)
    >>> y = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> groups = np.array([0, 0, 1, 2, 3, 3, 4, 5])
    >>> X_train, X_test, y_train, y_test = group_train_test_split(
    ...     X, y, groups=groups, test_size=1 / 3, stratify=y, random_state=0
    ... )
    >>> X_test.ravel(), y_test
    (array([0, 1, 6]), array([0, 0, 1]))
    >>> set(groups[X_test.ravel()]) & set(groups[X_train.ravel()])
    set()
    """
    if not arrays:
        raise ValueError(
            "group_train_test_split needs at least one array to split, such "
            "as group_train_test_split(X, y, groups=groups)."
        )
    arrays = indexable(*arrays)
    groups = np.asarray(groups)
    if groups.ndim != 1:
        raise ValueError(
            f"groups must be one-dimensional with one id per sample, got "
            f"shape {groups.shape}."
        )
    check_consistent_length(*arrays, groups)
    if test_size is None and train_size is None:
        test_size = 0.25

    if stratify is None:
        splitter = GroupShuffleSplit(
            n_splits=1,
            test_size=test_size,
            train_size=train_size,
            random_state=random_state,
        )
        train, test = next(splitter.split(groups, groups=groups))
    else:
        train, test = _stratified_group_split(
            groups, stratify, test_size, train_size, random_state
        )

    train = np.sort(train)
    test = np.sort(test)
    return [
        part
        for array in arrays
        for part in (_safe_indexing(array, train), _safe_indexing(array, test))
    ]


def _stratified_group_split(groups, stratify, test_size, train_size, random_state):
    """Return sample indices of a split stratified on one label per group."""
    stratify = np.asarray(stratify)
    if stratify.ndim != 1:
        raise ValueError(
            f"stratify must be one-dimensional with one label per sample, got "
            f"shape {stratify.shape}."
        )
    check_consistent_length(groups, stratify)

    _, group_index = np.unique(groups, return_inverse=True)
    classes, label_index = np.unique(stratify, return_inverse=True)
    n_groups = group_index.max() + 1
    counts = np.zeros((n_groups, len(classes)), dtype=np.int64)
    np.add.at(counts, (group_index, label_index), 1)
    group_labels = counts.argmax(axis=1)

    groups_per_class = np.bincount(group_labels, minlength=len(classes))
    if groups_per_class.min() < 2:
        rare = classes[groups_per_class.argmin()].item()
        raise ValueError(
            f"Class {rare!r} has {groups_per_class.min()} group(s), but a "
            "stratified split needs at least two groups per class. Pass "
            "stratify=None or collect more samples of that class."
        )

    splitter = StratifiedShuffleSplit(
        n_splits=1,
        test_size=test_size,
        train_size=train_size,
        random_state=random_state,
    )
    train_groups, test_groups = next(splitter.split(group_labels, group_labels))
    return (
        np.flatnonzero(np.isin(group_index, train_groups)),
        np.flatnonzero(np.isin(group_index, test_groups)),
    )
