"""scikit-learn's estimator checks on KerasCNNClassifier."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skimgclf.cnn import KerasCNNClassifier


def _small_classifier():
    # Tracing the training step costs more than the epochs themselves, so
    # few epochs with a large learning rate keep each fit short while still
    # passing the 0.83 accuracy floor of check_classifiers_train.
    return KerasCNNClassifier(
        filters=(4,),
        dense_units=16,
        dropout=0.0,
        dense_dropout=0.0,
        learning_rate=0.05,
        epochs=3,
        batch_size=16,
        random_state=0,
    )


EXPECTED_FAILED_CHECKS = {
    "check_sample_weight_equivalence_on_dense_data": (
        "minibatch training: a sample with weight 2 and the same sample "
        "repeated fall into different batches, and the loss is divided by "
        "the batch size, so the two fits take different gradient steps"
    ),
}


@parametrize_with_checks(
    [_small_classifier()],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
