"""The ``compare`` subcommand: train two pipelines and evaluate them.

Both pipelines are built from the library's parts. The logistic pipeline
is ``[ImageResizer] -> Grayscaler -> PixelScaler -> Flattener ->
SGDLogisticRegression`` and the CNN pipeline is ``[ImageResizer] ->
PixelScaler -> KerasCNNClassifier``. ImageResizer is left out for array
data sets unless ``--image-size`` is given. Folders of photos always pass
through it, so the fit and predict times of folders include decoding.
"""

import argparse
import contextlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

BUILTIN_DATASETS = ("digits", "faces", "fashion-mnist")
FASHION_MNIST_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)
DEFAULT_OUTPUT = "compare-output"

# Side of the square images that folders of photos are resized to, with and
# without --quick.
FOLDER_IMAGE_SIDE = 128
FOLDER_IMAGE_SIDE_QUICK = 64

# Share of each array data set and of each folder kept for testing when no
# official test set or --test-data exists.
TEST_FRACTION = {"digits": 0.25, "faces": 0.25, "folder": 0.2}


@dataclass(frozen=True)
class RunSettings:
    """Settings of one data set kind, for full runs and ``--quick`` runs."""

    logistic_max_iter: int
    cnn_epochs: int
    cnn_epochs_quick: int
    batch_size: int
    max_train_quick: int | None
    max_test_quick: int | None


# The logistic regression runs more SGD epochs on small data sets, where the
# estimator's default of 20 epochs stops before the loss settles. Quick runs
# subsample Fashion-MNIST and folders and train fewer CNN epochs, so that
# digits finish in well under a minute and a photo folder in about a minute
# on two idle CPU cores.
SETTINGS = {
    "digits": RunSettings(50, 20, 8, 32, None, None),
    "faces": RunSettings(50, 20, 10, 16, None, None),
    "fashion-mnist": RunSettings(20, 10, 2, 128, 6000, 1000),
    "folder": RunSettings(50, 10, 4, 32, 400, 100),
}


class CompareError(Exception):
    """Invalid input of ``skimgclf compare``, reported in one line with status 2."""


def add_compare_parser(subparsers):
    """Add the ``compare`` subcommand to ``subparsers``.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The subcommand group of the ``skimgclf`` parser.

    Returns
    -------
    parser : argparse.ArgumentParser
        The parser of ``compare``.
    """
    fashion, folder = SETTINGS["fashion-mnist"], SETTINGS["folder"]
    parser = subparsers.add_parser(
        "compare",
        help="train logistic regression and a CNN and compare them on test data",
        description=(
            "Train a logistic regression pipeline and a CNN pipeline on the "
            "training split of a data set, evaluate both on the test split, "
            "print a table and write figures and results.json to --output."
        ),
    )
    parser.add_argument(
        "--dataset",
        default="digits",
        metavar="digits|faces|fashion-mnist|PATH",
        help=(
            "data set: scikit-learn's 8x8 digits, scikit-image's 25x25 LFW "
            "faces and non-faces, Fashion-MNIST, or a folder with one "
            "sub-folder of photos per class (default: digits)"
        ),
    )
    parser.add_argument(
        "--test-data",
        metavar="PATH",
        help=(
            "folder with the same class sub-folders as --dataset, used as the "
            "whole test set; --dataset is then used whole for training"
        ),
    )
    parser.add_argument(
        "--image-size",
        nargs=2,
        type=_positive_int,
        metavar=("H", "W"),
        help=(
            f"height and width in pixels that images are resized to (default: "
            f"original size for array data sets, {FOLDER_IMAGE_SIDE}x"
            f"{FOLDER_IMAGE_SIDE} for folders, {FOLDER_IMAGE_SIDE_QUICK}x"
            f"{FOLDER_IMAGE_SIDE_QUICK} for folders with --quick)"
        ),
    )
    parser.add_argument(
        "--epochs",
        type=_positive_int,
        metavar="N",
        help="training epochs of the CNN (default: depends on the data set)",
    )
    parser.add_argument(
        "--output",
        default=DEFAULT_OUTPUT,
        metavar="DIR",
        help=f"folder for the figures and results.json (default: {DEFAULT_OUTPUT})",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=(
            f"train and test on at most {fashion.max_train_quick} and "
            f"{fashion.max_test_quick} Fashion-MNIST images or "
            f"{folder.max_train_quick} and {folder.max_test_quick} photos of a "
            f"folder, resize photos to {FOLDER_IMAGE_SIDE_QUICK}x"
            f"{FOLDER_IMAGE_SIDE_QUICK} and run fewer CNN epochs"
        ),
    )
    parser.add_argument(
        "--data-home",
        metavar="DIR",
        help=(
            "folder with the four Fashion-MNIST .gz files (default: "
            "$SKIMGCLF_DATA, ~/skimgclf_data, /usr/share/datasets); nothing "
            "is downloaded"
        ),
    )
    parser.add_argument(
        "--random-state",
        type=int,
        default=0,
        metavar="SEED",
        help="seed of the split, the subsampling and both models (default: 0)",
    )
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=None,
        metavar="N",
        help="threads that decode photos, or -1 for all processors (default: 1)",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="print one line per training epoch and progress of decoding",
    )
    return parser


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid positive integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def run_compare(args):
    """Run ``skimgclf compare`` with parsed arguments.

    Parameters
    ----------
    args : argparse.Namespace
        The arguments of :func:`add_compare_parser`.

    Returns
    -------
    results : dict
        The content written to ``results.json``.

    Raises
    ------
    CompareError
        When the data set, a folder or an output path is invalid.
    """
    from skimgclf._cli import _report

    data = load_dataset(args)
    output = _prepare_output(args.output)
    settings = SETTINGS[data.kind]
    epochs = args.epochs
    if epochs is None:
        epochs = settings.cnn_epochs_quick if args.quick else settings.cnn_epochs
    _progress(
        f"{data.name}: {len(data.y_train)} training and {len(data.y_test)} test "
        f"images, {len(data.target_names)} classes"
    )

    pipelines = build_pipelines(
        data,
        epochs=epochs,
        batch_size=settings.batch_size,
        random_state=args.random_state,
        n_jobs=args.n_jobs,
        verbose=args.verbose,
    )
    # The estimators print their per-epoch lines to stdout. They go to
    # stderr with the other progress lines, so that stdout has only the table.
    runs = {}
    with contextlib.redirect_stdout(sys.stderr):
        for name, pipeline in pipelines.items():
            runs[name] = fit_and_evaluate(name, pipeline, data)

    print(_report.format_table(data.name, runs))
    results = _report.build_results(data, runs, args=args, epochs=epochs)
    written = _report.write_outputs(output, data, runs, results)
    _progress(f"wrote {', '.join(path.name for path in written)} to {output}")
    return results


def _progress(message):
    print(f"[compare] {message}", file=sys.stderr, flush=True)


def _prepare_output(output):
    output = Path(output)
    if output.exists() and not output.is_dir():
        raise CompareError(f"--output {output} exists and is not a folder. Pass another path.")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CompareError(f"cannot create the --output folder {output}: {exc.strerror}") from exc
    return output


def load_dataset(args):
    """Load and split the data set named by ``args.dataset``.

    Parameters
    ----------
    args : argparse.Namespace
        Uses ``dataset``, ``test_data``, ``image_size``, ``quick``,
        ``data_home``, ``random_state`` and ``verbose``.

    Returns
    -------
    data : sklearn.utils.Bunch
        ``X_train`` and ``X_test`` are image arrays, or lists of file paths
        for folders. ``y_train`` and ``y_test`` are int class indices into
        ``target_names``. ``kind`` is a key of ``SETTINGS``. ``image_size``
        is ``(height, width)``, or None to keep the original size.
        ``scale_method`` is the ``method`` of PixelScaler, and ``name`` and
        ``split`` describe the data set and how its test set was formed.

    Raises
    ------
    CompareError
        When the data set is unknown or cannot be loaded.
    """
    dataset = args.dataset
    if args.test_data is not None and dataset in BUILTIN_DATASETS:
        raise CompareError(
            f"--test-data needs --dataset to be a folder, got the built-in data "
            f"set {dataset!r}"
        )
    if dataset in BUILTIN_DATASETS:
        data = _load_builtin(dataset, args)
    elif _looks_like_path(dataset):
        data = _load_folder(dataset, args)
    else:
        raise CompareError(
            f"unknown dataset {dataset!r}: expected digits, faces, fashion-mnist "
            f"or the path of a folder with one sub-folder per class"
        )
    if args.image_size is not None:
        data.image_size = tuple(args.image_size)
    return data


def _looks_like_path(text):
    return os.sep in text or "/" in text or text.startswith((".", "~")) or Path(text).exists()


def _load_builtin(dataset, args):
    from sklearn.model_selection import train_test_split

    from skimgclf.datasets import load_digits_images, load_fashion_mnist, load_lfw_subset

    if dataset == "fashion-mnist":
        train, test = _load_fashion_mnist(load_fashion_mnist, args.data_home)
        X_train, y_train = train.images, train.target
        X_test, y_test = test.images, test.target
        split = "official 60,000/10,000 train/test split"
        settings = SETTINGS["fashion-mnist"]
        if args.quick:
            X_train, y_train = _subsample(X_train, y_train, settings.max_train_quick, args.random_state)
            X_test, y_test = _subsample(X_test, y_test, settings.max_test_quick, args.random_state)
            split += f", subsampled to {len(y_train)}/{len(y_test)} by --quick"
        return Bunch(
            X_train=X_train, X_test=X_test, y_train=y_train, y_test=y_test,
            target_names=train.target_names, name=dataset, kind=dataset,
            image_size=None, scale_method="dtype", split=split,
        )

    if dataset == "digits":
        # Digit pixels run from 0 to 16. PixelScaler divides them by the
        # largest value seen in fit, because its dtype rule would pick 255.
        bunch, scale_method = load_digits_images(), "max"
    else:
        bunch, scale_method = load_lfw_subset(), "dtype"
    test_size = TEST_FRACTION[dataset]
    X_train, X_test, y_train, y_test = train_test_split(
        bunch.images, bunch.target, test_size=test_size, stratify=bunch.target,
        random_state=args.random_state,
    )
    return Bunch(
        X_train=X_train, X_test=X_test, y_train=y_train, y_test=y_test,
        target_names=bunch.target_names, name=dataset, kind=dataset,
        image_size=None, scale_method=scale_method,
        split=f"stratified random split, {test_size:.0%} for testing",
    )


def _load_fashion_mnist(load_fashion_mnist, data_home):
    try:
        train = load_fashion_mnist(subset="train", data_home=data_home, download_if_missing=False)
        test = load_fashion_mnist(subset="test", data_home=data_home, download_if_missing=False)
    except FileNotFoundError as exc:
        where = "" if data_home is None else f" in {data_home}"
        raise CompareError(
            f"Fashion-MNIST files not found{where}, and skimgclf compare never "
            f"downloads: put {', '.join(FASHION_MNIST_FILES)} into one folder "
            f"and pass it with --data-home"
        ) from exc
    except OSError as exc:
        raise CompareError(str(exc)) from exc
    return train, test


def _load_folder(dataset, args):
    settings = SETTINGS["folder"]
    train = _read_folder(dataset, "--dataset", args.verbose)
    groups = train.groups

    if args.test_data is None:
        from skimgclf.datasets import group_train_test_split

        test_size = TEST_FRACTION["folder"]
        try:
            X_train, X_test, y_train, y_test = group_train_test_split(
                list(train.filenames), train.target, groups=groups,
                test_size=test_size, stratify=train.target,
                random_state=args.random_state,
            )
        except ValueError as exc:
            raise CompareError(f"cannot split {dataset} into train and test images: {exc}") from exc
        split = (
            f"stratified split of {dataset}, {test_size:.0%} of the duplicate "
            f"groups for testing, byte-identical copies kept on one side"
        )
    else:
        test = _read_folder(args.test_data, "--test-data", args.verbose)
        if list(test.target_names) != list(train.target_names):
            raise CompareError(
                f"--test-data {args.test_data} has classes "
                f"{', '.join(test.target_names)} but --dataset {dataset} has "
                f"{', '.join(train.target_names)}; the class sub-folders must match"
            )
        X_train, y_train = list(train.filenames), train.target
        X_test, y_test = list(test.filenames), test.target
        split = f"trained on all of {dataset}, tested on all of {args.test_data}"

    if args.quick:
        X_train, y_train = _subsample(X_train, y_train, settings.max_train_quick, args.random_state)
        X_test, y_test = _subsample(X_test, y_test, settings.max_test_quick, args.random_state)
        split += f", subsampled to {len(y_train)}/{len(y_test)} by --quick"
    side = FOLDER_IMAGE_SIDE_QUICK if args.quick else FOLDER_IMAGE_SIDE
    return Bunch(
        X_train=list(X_train), X_test=list(X_test), y_train=y_train, y_test=y_test,
        target_names=train.target_names, name=Path(dataset).name or str(dataset),
        kind="folder", image_size=(side, side), scale_method="dtype", split=split,
    )


def _read_folder(path, option, verbose):
    from skimgclf.datasets import load_image_folder

    # on_error="raise" stops at the first file that Pillow cannot identify,
    # instead of training on a silently smaller data set.
    try:
        with contextlib.redirect_stdout(sys.stderr):
            return load_image_folder(
                os.path.expanduser(path), on_error="raise", verbose=int(verbose)
            )
    except FileNotFoundError as exc:
        raise CompareError(f"{option} {path}: folder not found") from exc
    except NotADirectoryError as exc:
        raise CompareError(f"{option} {path}: not a folder") from exc
    except ValueError as exc:
        raise CompareError(f"{option} {path}: {exc}") from exc


def _subsample(X, y, n_samples, random_state):
    """Draw a stratified subsample of at most ``n_samples`` rows."""
    from sklearn.utils import resample

    if n_samples is None or len(y) <= n_samples:
        return X, y
    indices = resample(
        np.arange(len(y)), replace=False, n_samples=n_samples, stratify=y,
        random_state=random_state,
    )
    indices = np.sort(indices)
    if isinstance(X, list):
        return [X[i] for i in indices], y[indices]
    return X[indices], y[indices]


def build_pipelines(data, *, epochs, batch_size, random_state, n_jobs, verbose):
    """Build the logistic regression and the CNN pipeline for ``data``.

    Parameters
    ----------
    data : sklearn.utils.Bunch
        As returned by :func:`load_dataset`.
    epochs : int
        Training epochs of the CNN.
    batch_size : int
        Minibatch size of the CNN.
    random_state : int
        Seed of both classifiers.
    n_jobs : int or None
        Threads of ImageResizer.
    verbose : bool
        Print one line per epoch of both classifiers and decoding progress.

    Returns
    -------
    pipelines : dict of str to sklearn.pipeline.Pipeline
        ``"logistic"`` and ``"cnn"``.
    """
    from sklearn.pipeline import Pipeline

    from skimgclf.cnn import KerasCNNClassifier
    from skimgclf.linear_model import SGDLogisticRegression
    from skimgclf.preprocessing import Flattener, Grayscaler, ImageResizer, PixelScaler

    def resize_steps():
        if data.image_size is None:
            return []
        resizer = ImageResizer(data.image_size, n_jobs=n_jobs, verbose=int(verbose))
        return [("resize", resizer)]

    logistic = Pipeline(
        resize_steps()
        + [
            ("grayscale", Grayscaler()),
            ("scale", PixelScaler(method=data.scale_method)),
            ("flatten", Flattener()),
            (
                "classifier",
                SGDLogisticRegression(
                    max_iter=SETTINGS[data.kind].logistic_max_iter,
                    random_state=random_state,
                    verbose=int(verbose),
                ),
            ),
        ]
    )
    callbacks = [_epoch_logger(epochs)] if verbose else None
    cnn = Pipeline(
        resize_steps()
        + [
            ("scale", PixelScaler(method=data.scale_method)),
            (
                "classifier",
                KerasCNNClassifier(
                    epochs=epochs,
                    batch_size=batch_size,
                    validation_fraction=0.1,
                    callbacks=callbacks,
                    random_state=random_state,
                ),
            ),
        ]
    )
    return {"logistic": logistic, "cnn": cnn}


def _epoch_logger(epochs):
    """Return a Keras callback that prints one line per finished epoch."""
    from skimgclf.cnn._backend import import_keras

    _, keras = import_keras()

    class EpochLogger(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            metrics = " ".join(f"{key}={value:.4f}" for key, value in (logs or {}).items())
            _progress(f"cnn epoch {epoch + 1}/{epochs}: {metrics}")

    return EpochLogger()


def fit_and_evaluate(name, pipeline, data):
    """Fit ``pipeline`` on the training images and score it on the test images.

    Parameters
    ----------
    name : str
        Model name used in progress lines and error messages.
    pipeline : sklearn.pipeline.Pipeline
        The unfitted pipeline.
    data : sklearn.utils.Bunch
        As returned by :func:`load_dataset`.

    Returns
    -------
    run : sklearn.utils.Bunch
        ``pipeline`` (fitted), ``y_pred``, ``accuracy``, ``macro_f1``,
        ``fit_seconds`` and ``predict_seconds``.

    Raises
    ------
    CompareError
        When a photo of a folder fails to decode.
    """
    from sklearn.metrics import accuracy_score, f1_score

    _progress(f"fitting {name} on {len(data.y_train)} images")
    start = time.perf_counter()
    with _photo_errors(data, name):
        pipeline.fit(data.X_train, data.y_train)
    fit_seconds = time.perf_counter() - start

    start = time.perf_counter()
    with _photo_errors(data, name):
        y_pred = pipeline.predict(data.X_test)
    predict_seconds = time.perf_counter() - start

    accuracy = accuracy_score(data.y_test, y_pred)
    _progress(f"{name}: test accuracy {accuracy:.4f}, fit {fit_seconds:.1f} s")
    return Bunch(
        pipeline=pipeline,
        y_pred=y_pred,
        accuracy=float(accuracy),
        macro_f1=float(f1_score(data.y_test, y_pred, average="macro")),
        fit_seconds=fit_seconds,
        predict_seconds=predict_seconds,
    )


@contextlib.contextmanager
def _photo_errors(data, name):
    """Turn ImageResizer's ValueError on a photo into a CompareError.

    Folders are decoded while fitting and predicting, so a ValueError there
    names a file that is damaged past its header. For array data sets the
    error passes through unchanged because it is a defect, not bad input.
    """
    try:
        yield
    except ValueError as exc:
        if data.kind != "folder":
            raise
        raise CompareError(f"{name} pipeline failed on {data.name}: {exc}") from exc
