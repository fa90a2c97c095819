"""Thin set-up of joblib's Dask backend for skimgclf searches."""

import contextlib

DASK_INSTALL_HINT = 'pip install "skimgclf[dask]"'


def check_dask_installed():
    """Import Dask and Dask distributed, or raise an ImportError naming the extra.

    Returns
    -------
    distributed : module
        The ``distributed`` module.

    Raises
    ------
    ImportError
        If ``dask`` or ``distributed`` cannot be imported. The message
        names the optional extra that installs both.

    Examples
    --------
    >>> from skimgclf.parallel import check_dask_installed
    >>> distributed = check_dask_installed()  # doctest: +SKIP
    """
    try:
        import dask  # noqa: F401
        import distributed
    except ImportError as exc:
        raise ImportError(
            "Running skimgclf on a Dask cluster requires the optional packages "
            f"dask and distributed, which failed to import ({exc}). Install "
            f"them with: {DASK_INSTALL_HINT}"
        ) from exc
    return distributed


@contextlib.contextmanager
def dask_backend(client_or_address=None, *, scatter=None, **backend_params):
    """Send joblib's tasks, and so scikit-learn's ``n_jobs`` loops, to Dask.

    Inside the ``with`` block, every :class:`joblib.Parallel` call, such as
    the fits of :class:`~sklearn.model_selection.GridSearchCV` or
    :func:`~sklearn.model_selection.cross_validate`, runs as tasks on the
    workers of a ``dask.distributed`` cluster. This is
    ``joblib.parallel_config(backend="dask")`` plus the client handling and
    an import check that names the extra to install.

    Parameters
    ----------
    client_or_address : distributed.Client, str or None, default=None
        A connected client; or a scheduler address such as
        ``"tcp://127.0.0.1:8786"``, for which a client is opened on entry
        and closed on exit; or None to use the default client, which is
        the client created last in this process.
    scatter : list of objects, default=None
        Objects, typically ``[X, y]``, sent to every worker once on entry.
        Tasks that receive one of these exact objects use the worker's copy
        instead of a new transfer. Without ``scatter``, joblib still sends
        each argument larger than 1 kB once per :class:`joblib.Parallel`
        call (one search or one ``cross_validate``), not once per task.
    **backend_params
        Passed to :func:`joblib.parallel_config`, for example
        ``wait_for_workers_timeout`` (seconds to wait for a first worker)
        or ``n_jobs``.

    Yields
    ------
    client : distributed.Client
        The client the tasks are submitted through.

    Raises
    ------
    ImportError
        If ``dask`` or ``distributed`` is not installed.
    ValueError
        If ``client_or_address`` is None and this process has no client.

    See Also
    --------
    joblib.parallel_config : The configuration this function sets.

    Notes
    -----
    Errors raised by a task, such as an exception in an estimator's
    ``fit``, are raised again in the calling process with their type and
    message. A task whose worker dies is rerun on another worker by the
    Dask scheduler, up to ``distributed.scheduler.allowed-failures`` times
    (3 by default), after which ``distributed.scheduler.KilledWorker`` is
    raised.

    File paths given as ``X`` are decoded by the workers, so the paths must
    exist on every worker: use absolute paths on a shared file system.

    Inside a Dask task, joblib (1.6) resolves ``n_jobs=None`` to the number
    of threads of the whole cluster. Set ``n_jobs`` of
    :class:`~skimgclf.preprocessing.ImageResizer` explicitly in searches on
    a cluster, or each fit starts that many decoding threads.

    Examples
    --------
    >>> from distributed import Client, LocalCluster  # doctest: +SKIP
    >>> from sklearn.model_selection import cross_validate  # doctest: +SKIP
    >>> from skimgclf.parallel import dask_backend  # doctest: +SKIP
    >>> with LocalCluster(n_workers=2, host="127.0.0.1",
    ...                   dashboard_address=None) as cluster, \\
    ...         Client(cluster) as client:  # doctest: +SKIP
    ...     with dask_backend(client, scatter=[X, y]):
    ...         scores = cross_validate(pipeline, X, y, cv=5)
    """
    distributed = check_dask_installed()
    from joblib import parallel_config

    owned_client = None
    if client_or_address is None:
        try:
            client = distributed.get_client()
        except ValueError as exc:
            raise ValueError(
                "dask_backend found no Dask client in this process. Pass a "
                "distributed.Client or a scheduler address, for example "
                'dask_backend("tcp://127.0.0.1:8786").'
            ) from exc
    elif isinstance(client_or_address, str):
        owned_client = distributed.Client(client_or_address, set_as_default=False)
        client = owned_client
    else:
        client = client_or_address

    try:
        with parallel_config(
            backend="dask", client=client, scatter=scatter, **backend_params
        ):
            yield client
    finally:
        if owned_client is not None:
            owned_client.close()
