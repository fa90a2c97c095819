"""Table, figures and results.json of ``skimgclf compare``.

matplotlib is imported inside the plotting functions, with the Agg
backend, so that the report works without a display and ``import
skimgclf`` never loads it.
"""

import json
import os
import platform
from importlib import metadata

import numpy as np

from skimgclf import __version__

MODEL_TITLES = {"logistic": "SGDLogisticRegression", "cnn": "KerasCNNClassifier"}
TABLE_COLUMNS = ("dataset", "model", "test accuracy", "macro F1", "fit time (s)", "predict time (s)")

# Misclassified test images shown per model in misclassified.png.
N_MISCLASSIFIED_SHOWN = 8


def format_table(dataset, runs):
    """Format one row per model as a plain-text table.

    Parameters
    ----------
    dataset : str
        Data set name of every row.
    runs : dict of str to sklearn.utils.Bunch
        Results of :func:`~skimgclf._cli._compare.fit_and_evaluate` by model
        name.

    Returns
    -------
    table : str
        Header, rule and rows, columns separated by two spaces.
    """
    rows = [
        (
            dataset,
            name,
            f"{run.accuracy:.4f}",
            f"{run.macro_f1:.4f}",
            f"{run.fit_seconds:.2f}",
            f"{run.predict_seconds:.2f}",
        )
        for name, run in runs.items()
    ]
    widths = [max(len(row[i]) for row in [TABLE_COLUMNS, *rows]) for i in range(len(TABLE_COLUMNS))]

    def line(cells):
        # Text columns align left, numbers right.
        return "  ".join(
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths))
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(TABLE_COLUMNS), rule, *(line(row) for row in rows)])


def build_results(data, runs, *, args, epochs):
    """Collect the content of ``results.json``.

    Parameters
    ----------
    data : sklearn.utils.Bunch
        As returned by :func:`~skimgclf._cli._compare.load_dataset`.
    runs : dict of str to sklearn.utils.Bunch
        Fitted pipelines and scores by model name.
    args : argparse.Namespace
        The parsed command-line arguments.
    epochs : int
        Training epochs of the CNN.

    Returns
    -------
    results : dict
        JSON-serialisable: data set, sizes, options, machine and one entry
        per model with accuracy, macro F1, timings, parameters, and the
        loss curve (logistic) or per-epoch history (CNN).
    """
    models = {}
    for name, run in runs.items():
        classifier = run.pipeline[-1]
        entry = {
            "estimator": type(classifier).__name__,
            "steps": [type(step).__name__ for _, step in run.pipeline.steps],
            "accuracy": run.accuracy,
            "macro_f1": run.macro_f1,
            "fit_seconds": run.fit_seconds,
            "predict_seconds": run.predict_seconds,
            "params": _json_params(classifier.get_params(deep=False)),
        }
        if hasattr(classifier, "loss_curve_"):
            entry["loss_curve"] = [float(value) for value in classifier.loss_curve_]
        if hasattr(classifier, "history_"):
            entry["history"] = {
                key: [float(value) for value in values]
                for key, values in classifier.history_.items()
            }
        models[name] = entry

    return {
        "dataset": data.name,
        "dataset_argument": args.dataset,
        "test_data": args.test_data,
        "split": data.split,
        "n_train": int(len(data.y_train)),
        "n_test": int(len(data.y_test)),
        "classes": [str(name) for name in data.target_names],
        "image_size": None if data.image_size is None else list(data.image_size),
        "quick": bool(args.quick),
        "epochs": int(epochs),
        "random_state": args.random_state,
        "models": models,
        "command": " ".join(["skimgclf", *args.argv]),
        "environment": _environment(),
    }


def _json_params(params):
    """Convert estimator parameters to JSON values.

    Numbers, strings, None, lists and dicts are kept, and any other object,
    such as a Keras callback, is replaced by the name of its class.
    """
    return {key: _json_value(value) for key, value in params.items()}


def _json_value(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    return type(value).__name__


def _environment():
    versions = {}
    for package in ("numpy", "scikit-learn", "scikit-image", "Pillow", "keras", "tensorflow"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "skimgclf": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.machine(),
        "cpu_count": os.cpu_count(),
        "packages": versions,
    }


def write_outputs(output, data, runs, results):
    """Write the figures and ``results.json`` into ``output``.

    Parameters
    ----------
    output : pathlib.Path
        Existing folder.
    data : sklearn.utils.Bunch
        As returned by :func:`~skimgclf._cli._compare.load_dataset`.
    runs : dict of str to sklearn.utils.Bunch
        Fitted pipelines and predictions by model name.
    results : dict
        As returned by :func:`build_results`.

    Returns
    -------
    paths : list of pathlib.Path
        The files written.
    """
    paths = []
    for name, run in runs.items():
        path = output / f"confusion_{name}.png"
        plot_confusion_matrix(path, data, run.y_pred, title=f"{MODEL_TITLES[name]} on {data.name}")
        paths.append(path)

    path = output / "cnn_history.png"
    plot_history(path, runs["cnn"].pipeline[-1].history_, title=f"KerasCNNClassifier on {data.name}")
    paths.append(path)

    path = output / "misclassified.png"
    plot_misclassified(path, data, runs)
    paths.append(path)

    path = output / "results.json"
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    paths.append(path)
    return paths


def _pyplot():
    import matplotlib

    # Agg renders to files and needs no display, so the report runs on
    # servers and in CI.
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_confusion_matrix(path, data, y_pred, *, title):
    """Save the confusion matrix, normalised over each true class, as a PNG.

    Parameters
    ----------
    path : pathlib.Path
        File to write.
    data : sklearn.utils.Bunch
        Provides ``y_test`` and ``target_names``.
    y_pred : ndarray of shape (n_test,)
        Predicted class indices.
    title : str
        Title of the figure.
    """
    plt = _pyplot()
    from sklearn.metrics import ConfusionMatrixDisplay

    n_classes = len(data.target_names)
    side = max(4.5, 0.6 * n_classes + 2.5)
    fig, ax = plt.subplots(figsize=(side, side))
    ConfusionMatrixDisplay.from_predictions(
        data.y_test,
        y_pred,
        labels=np.arange(n_classes),
        display_labels=list(data.target_names),
        normalize="true",
        values_format=".2f",
        cmap="Blues",
        colorbar=False,
        ax=ax,
        xticks_rotation=45 if n_classes > 5 else "horizontal",
    )
    ax.set_title(f"{title}\n(each row sums to 1)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_history(path, history, *, title):
    """Save the per-epoch training and validation loss and accuracy as a PNG.

    Parameters
    ----------
    path : pathlib.Path
        File to write.
    history : dict of str to list of float
        ``history_`` of a fitted KerasCNNClassifier.
    title : str
        Title of the figure.
    """
    plt = _pyplot()
    from matplotlib.ticker import MaxNLocator

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, metric in zip(axes, ("loss", "accuracy")):
        for key, label in ((metric, "training"), (f"val_{metric}", "validation")):
            values = history.get(key)
            if values:
                epochs = np.arange(1, len(values) + 1)
                ax.plot(epochs, values, marker="o", label=label)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.legend()
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_misclassified(path, data, runs):
    """Save a grid of misclassified test images, one row per model, as a PNG.

    Each panel shows the predicted and the true label. A model with no
    errors gets a row with a note instead.

    Parameters
    ----------
    path : pathlib.Path
        File to write.
    data : sklearn.utils.Bunch
        Provides ``X_test``, ``y_test``, ``target_names``, ``kind`` and
        ``image_size``.
    runs : dict of str to sklearn.utils.Bunch
        Predictions by model name.
    """
    plt = _pyplot()

    shown_indices = {
        name: np.flatnonzero(run.y_pred != data.y_test)[:N_MISCLASSIFIED_SHOWN]
        for name, run in runs.items()
    }
    n_columns = max(1, max(len(indices) for indices in shown_indices.values()))
    fig, axes = plt.subplots(
        len(runs), n_columns, figsize=(1.8 * n_columns + 1, 2.7 * len(runs)), squeeze=False
    )
    for row, (name, indices) in enumerate(shown_indices.items()):
        images = _test_images(data, indices)
        for column in range(n_columns):
            ax = axes[row, column]
            ax.set_xticks([])
            ax.set_yticks([])
            if column < len(indices):
                index = indices[column]
                image = images[column]
                ax.imshow(image, cmap="gray" if image.ndim == 2 else None)
                predicted = data.target_names[runs[name].y_pred[index]]
                true = data.target_names[data.y_test[index]]
                ax.set_title(f"pred: {predicted}\ntrue: {true}", fontsize=8)
            else:
                ax.axis("off")
        if len(indices) == 0:
            axes[row, 0].text(0.5, 0.5, "no misclassified\ntest images", ha="center", va="center")
        axes[row, 0].set_ylabel(MODEL_TITLES[name], fontsize=9)
    fig.suptitle(f"Misclassified test images of {data.name}")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _test_images(data, indices):
    """Return the test images at ``indices``, decoding photos of folders."""
    if len(indices) == 0:
        return []
    if data.kind != "folder":
        return [np.asarray(data.X_test[index]) for index in indices]

    from skimgclf.preprocessing import ImageResizer

    # Thumbnails keep the aspect ratio of the photo, unlike the model input.
    resizer = ImageResizer(data.image_size, preserve_aspect_ratio=True, cval=255)
    return list(resizer.fit_transform([data.X_test[index] for index in indices]))
