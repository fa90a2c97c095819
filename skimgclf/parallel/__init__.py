"""Run scikit-learn searches of skimgclf estimators on a Dask cluster.

The engine is joblib's ``"dask"`` backend from ``dask.distributed``: every
``n_jobs`` loop of scikit-learn (:class:`~sklearn.model_selection.GridSearchCV`,
:func:`~sklearn.model_selection.cross_validate`, ...) then sends its tasks
to the cluster's workers. This subpackage only checks that the optional
packages are installed and sets the backend up. Importing it does not import
Dask; the functions do.
"""

from skimgclf.parallel._dask import DASK_INSTALL_HINT, check_dask_installed, dask_backend

__all__ = ["DASK_INSTALL_HINT", "check_dask_installed", "dask_backend"]
