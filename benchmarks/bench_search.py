"""Time one GridSearchCV sequentially, on loky workers and on a Dask cluster.

The search tunes the image size and the L2 penalty of
``ImageResizer -> Grayscaler -> PixelScaler -> Flattener ->
SGDLogisticRegression`` on face-mask photo paths, so every fit decodes its
own photos. It runs three times in one process:

1. ``n_jobs=1``, the baseline;
2. joblib's loky backend with ``n_jobs=2``;
3. joblib's Dask backend on a ``LocalCluster`` of 2 worker processes with
   one thread each, bound to 127.0.0.1 with no dashboard.

The loky and Dask workers are started, and import skimgclf, before the
clock starts, as the workers of a long-lived pool or cluster would have.

It prints the wall time of each search, its speed-up over ``n_jobs=1``,
the CPU time that this process and its child processes (the loky and Dask
workers) spent during the search, and whether all three give the same
``mean_test_score``. On a machine shared with other jobs the wall times
depend on the load, so the CPU times show separately whether the parallel
runs do more work than the sequential one.

Run from the repository root::

    SKIMGCLF_DATA=/path/to/data python benchmarks/bench_search.py

where ``/path/to/data/facemask`` contains one sub-folder per class.
"""

import argparse
import os
import time
from pathlib import Path

import joblib
import numpy as np
import psutil
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from skimgclf.datasets import get_data_home, load_image_folder
from skimgclf.linear_model import SGDLogisticRegression
from skimgclf.parallel import check_dask_installed
from skimgclf.preprocessing import Flattener, Grayscaler, ImageResizer, PixelScaler

PARAM_GRID = {
    "resize__output_shape": [(24, 24), (32, 32)],
    "clf__alpha": [1e-4, 1e-2],
}
N_SPLITS = 3


def make_pipeline():
    return Pipeline(
        [
            # One decoding thread per fit, so that each fit uses one core
            # and only the joblib backend spreads the fits over cores.
            ("resize", ImageResizer(output_shape=(32, 32), n_jobs=1)),
            ("gray", Grayscaler()),
            ("scale", PixelScaler()),
            ("flatten", Flattener()),
            # tol=None runs all 10 epochs, so that every fit does the same
            # work and no ConvergenceWarning fills the output.
            ("clf", SGDLogisticRegression(max_iter=10, tol=None, random_state=0)),
        ]
    )


def cpu_seconds():
    """Return the user plus system CPU time of this process and its children.

    Child processes that are still running (loky and Dask workers) count
    through psutil, so their time is included before they exit.
    """
    process = psutil.Process()
    total = sum(process.cpu_times()[:2])
    for child in process.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.NoSuchProcess:
            pass
    return total


def _import_skimgclf():
    import skimgclf.linear_model
    import skimgclf.preprocessing  # noqa: F401


def warm_up(**parallel_config):
    """Start the workers of a backend and import skimgclf in each of them."""
    with joblib.parallel_config(**parallel_config):
        joblib.Parallel()(joblib.delayed(_import_skimgclf)() for _ in range(4))


def run_search(X, y, **parallel_config):
    """Fit the grid search inside ``joblib.parallel_config``.

    Returns the wall time, the CPU time spent by this process and its
    children, and the mean test scores.
    """
    search = GridSearchCV(
        make_pipeline(),
        PARAM_GRID,
        cv=StratifiedKFold(n_splits=N_SPLITS, shuffle=True, random_state=0),
        refit=False,
    )
    cpu_start = cpu_seconds()
    start = time.perf_counter()
    with joblib.parallel_config(**parallel_config):
        search.fit(X, y)
    wall = time.perf_counter() - start
    return wall, cpu_seconds() - cpu_start, search.cv_results_["mean_test_score"]


def load_subset(folder, n_images):
    """Return the absolute paths and labels of a random subset of the photos."""
    bunch = load_image_folder(folder)
    rng = np.random.RandomState(0)
    if n_images is None or n_images > len(bunch.filenames):
        n_images = len(bunch.filenames)
    rows = rng.permutation(len(bunch.filenames))[:n_images]
    paths = [os.path.abspath(path) for path in bunch.filenames[rows]]
    return paths, bunch.target[rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--facemask-dir", type=Path, default=get_data_home() / "facemask",
        help="folder of face-mask photos, one sub-folder per class "
        "(default: $SKIMGCLF_DATA/facemask)",
    )
    parser.add_argument(
        "--n-images", type=int, default=None,
        help="number of photos the search runs on (default: all)",
    )
    args = parser.parse_args()
    distributed = check_dask_installed()

    X, y = load_subset(args.facemask_dir, args.n_images)
    n_fits = N_SPLITS * len(PARAM_GRID["resize__output_shape"]) * len(
        PARAM_GRID["clf__alpha"]
    )
    print(f"GridSearchCV: {n_fits} fits on {len(X)} photo paths, {os.cpu_count()} CPUs")
    print(f"load average before: {os.getloadavg()}")

    results = {}
    results["n_jobs=1"] = run_search(X, y, n_jobs=1)
    warm_up(backend="loky", n_jobs=2)
    results["loky n_jobs=2"] = run_search(X, y, backend="loky", n_jobs=2)
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster, distributed.Client(cluster) as client:
        client.wait_for_workers(2)
        warm_up(backend="dask")
        results["dask 2 workers"] = run_search(X, y, backend="dask")

    print(f"load average after: {os.getloadavg()}")
    baseline_wall, _, baseline_scores = results["n_jobs=1"]
    print(f"{'run':<16} {'wall s':>8} {'speed-up':>9} {'CPU s':>7} {'same scores':>12}")
    for name, (wall, cpu, scores) in results.items():
        same = np.array_equal(scores, baseline_scores)
        print(
            f"{name:<16} {wall:8.1f} {baseline_wall / wall:8.2f}x {cpu:7.1f} "
            f"{str(same):>12}"
        )


if __name__ == "__main__":
    main()
