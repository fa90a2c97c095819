"""Shared base of the image transformers."""

from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

import numpy as np
from joblib import effective_n_jobs
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._set_output import ADAPTERS_MANAGER, _get_output_config


class ImageTransformerMixin(TransformerMixin):
    """Transformer mixin whose ``set_output`` wraps only 2-D outputs.

    scikit-learn's own wrapping turns every ``transform`` output into a
    DataFrame, which fails for image batches. Here 2-D outputs (flattened
    images) are wrapped as configured, and 3-D, 4-D and list outputs are
    returned as they are.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(auto_wrap_output_keys=None, **kwargs)

    def set_output(self, *, transform=None):
        """Set the container of 2-D outputs of ``transform``.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            Container of 2-D outputs. None leaves the configuration as it is.

        Returns
        -------
        self : estimator instance
        """
        if transform is None:
            return self
        if not hasattr(self, "_sklearn_output_config"):
            self._sklearn_output_config = {}
        self._sklearn_output_config["transform"] = transform
        return self

    def _wrap_output(self, Xt, X):
        if not isinstance(Xt, np.ndarray) or Xt.ndim != 2:
            return Xt
        container = _get_output_config("transform", self)["dense"]
        if container == "default":
            return Xt
        adapter = ADAPTERS_MANAGER.adapters[container]
        return adapter.create_container(Xt, X, columns=self.get_feature_names_out)


class BaseImageTransformer(ImageTransformerMixin, BaseEstimator):
    """Base class with the tags shared by the image transformers."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


def run_in_threads(function, n_tasks, n_jobs):
    """Call ``function(i)`` for every ``i < n_tasks`` on up to ``n_jobs`` threads.

    At most two tasks per thread are queued at a time, so a task that
    decodes an image keeps at most that many images in memory. The first
    exception raised by a task is raised again here, after the running
    tasks finish.
    """
    n_threads = min(effective_n_jobs(n_jobs), n_tasks)
    if n_threads <= 1:
        for index in range(n_tasks):
            function(index)
        return

    max_pending = 2 * n_threads
    with ThreadPoolExecutor(max_workers=n_threads) as executor:
        pending = set()
        try:
            for index in range(n_tasks):
                if len(pending) >= max_pending:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        future.result()
                pending.add(executor.submit(function, index))
            for future in pending:
                future.result()
        except BaseException:
            for future in pending:
                future.cancel()
            raise
