"""Linear classifiers for flattened images."""

from ._sgd_logistic import SGDLogisticRegression

__all__ = ["SGDLogisticRegression"]
