"""Benchmark KerasCNNClassifier against plain Keras on Fashion-MNIST.

Trains the default network of KerasCNNClassifier on the 60,000 training
images, then the same network built by the same function and trained with
plain ``model.fit``, in one process. After every epoch a callback records the
accuracy on the 10,000 test images. The time spent in that callback is
subtracted from both fit times, so the overhead compares training alone.

Run from the repository root::

    python benchmarks/bench_cnn.py --data-home ../shared/data/fashion-mnist \\
        --epochs 3 --output cnn-results.json

The results page docs/benchmarks/cnn.rst records one run.
"""

import argparse
import json
import os
import platform
import time

import numpy as np

from skimgclf.cnn import KerasCNNClassifier
from skimgclf.cnn._architecture import build_default_cnn
from skimgclf.cnn._backend import import_keras
from skimgclf.datasets import load_fashion_mnist


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data-home", required=True, help="folder with the four Fashion-MNIST *-ubyte.gz files"
    )
    parser.add_argument("--epochs", type=int, default=3, help="epochs per network (default: 3)")
    parser.add_argument("--batch-size", type=int, default=128, help="samples per step (default: 128)")
    parser.add_argument(
        "--train-size",
        type=int,
        default=None,
        help="use only the first N training images, for a quick trial (default: all 60,000)",
    )
    parser.add_argument("--random-state", type=int, default=0, help="seed of both runs (default: 0)")
    parser.add_argument("--output", default=None, help="write the results as JSON to this file")
    return parser.parse_args()


class SharedLog:
    """Per-epoch test accuracy and the wall and CPU seconds spent on it."""

    def __init__(self):
        self.accuracy = []
        self.seconds = 0.0
        self.cpu_seconds = 0.0


def make_test_accuracy_callback(keras, X_test, y_test, batch_size, log):
    """Return a Keras callback that appends the test accuracy to ``log``.

    KerasCNNClassifier trains with a deep copy of each callback, so the
    callback's ``__deepcopy__`` hands the copy the same ``log``.
    """

    class TestAccuracy(keras.callbacks.Callback):
        def __deepcopy__(self, memo):
            return TestAccuracy()

        def on_epoch_end(self, epoch, logs=None):
            start, cpu_start = time.perf_counter(), time.process_time()
            proba = self.model.predict(X_test, batch_size=4 * batch_size, verbose=0)
            log.accuracy.append(float(np.mean(proba.argmax(axis=1) == y_test)))
            log.seconds += time.perf_counter() - start
            log.cpu_seconds += time.process_time() - cpu_start
            print(
                f"epoch {epoch + 1}: test accuracy {log.accuracy[-1]:.4f}, "
                f"process CPU time {time.process_time():.0f} s",
                flush=True,
            )

    return TestAccuracy()


def main():
    args = parse_arguments()
    tf, keras = import_keras()

    X_train, y_train = load_fashion_mnist(
        subset="train", data_home=args.data_home, download_if_missing=False, return_X_y=True
    )
    X_test, y_test = load_fashion_mnist(
        subset="test", data_home=args.data_home, download_if_missing=False, return_X_y=True
    )
    if args.train_size is not None:
        X_train, y_train = X_train[: args.train_size], y_train[: args.train_size]
    # Both runs get the same float32 pixels in [0, 1], as (n, 28, 28, 1).
    X_train = (X_train / np.float32(255)).astype(np.float32).reshape(-1, 28, 28, 1)
    X_test = (X_test / np.float32(255)).astype(np.float32).reshape(-1, 28, 28, 1)

    # KerasCNNClassifier first, then plain Keras, each timed around fit.
    wrapper_log = SharedLog()
    wrapper_callback = make_test_accuracy_callback(keras, X_test, y_test, args.batch_size, wrapper_log)
    classifier = KerasCNNClassifier(
        epochs=args.epochs,
        batch_size=args.batch_size,
        random_state=args.random_state,
        callbacks=[wrapper_callback],
    )
    start, cpu_start = time.perf_counter(), time.process_time()
    classifier.fit(X_train, y_train)
    wrapper_seconds = time.perf_counter() - start - wrapper_log.seconds
    wrapper_cpu_seconds = time.process_time() - cpu_start - wrapper_log.cpu_seconds
    wrapper_accuracy = float(np.mean(classifier.predict(X_test) == y_test))

    # Plain Keras: the same builder, optimizer, loss and metric.
    raw_log = SharedLog()
    model = build_default_cnn(X_train.shape[1:], 10, seed=args.random_state)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start, cpu_start = time.perf_counter(), time.process_time()
    model.fit(
        X_train,
        y_train,
        epochs=args.epochs,
        batch_size=args.batch_size,
        shuffle=True,
        verbose=0,
        callbacks=[make_test_accuracy_callback(keras, X_test, y_test, args.batch_size, raw_log)],
    )
    raw_seconds = time.perf_counter() - start - raw_log.seconds
    raw_cpu_seconds = time.process_time() - cpu_start - raw_log.cpu_seconds

    results = {
        "command": "python benchmarks/bench_cnn.py " + " ".join(
            f"--{key.replace('_', '-')} {value}" for key, value in vars(args).items()
            if value is not None and key != "output"
        ),
        "machine": {
            "platform": platform.platform(),
            "processor": platform.processor(),
            "cpu_count": os.cpu_count(),
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
        },
        "n_train": int(X_train.shape[0]),
        "n_test": int(X_test.shape[0]),
        "epochs": args.epochs,
        "wrapper": {
            "fit_seconds": wrapper_seconds,
            "fit_cpu_seconds": wrapper_cpu_seconds,
            "test_accuracy_per_epoch": wrapper_log.accuracy,
            "final_test_accuracy": wrapper_accuracy,
        },
        "raw_keras": {
            "fit_seconds": raw_seconds,
            "fit_cpu_seconds": raw_cpu_seconds,
            "test_accuracy_per_epoch": raw_log.accuracy,
        },
        # Other processes on a shared machine inflate wall times unevenly;
        # CPU time of this process is the steadier measure of overhead.
        "overhead_wall": wrapper_seconds / raw_seconds - 1.0,
        "overhead_cpu": wrapper_cpu_seconds / raw_cpu_seconds - 1.0,
        "load_average_after": os.getloadavg(),
    }
    print(json.dumps(results, indent=2))
    if args.output:
        with open(args.output, "w") as file:
            json.dump(results, file, indent=2)



if __name__ == "__main__":
    main()
