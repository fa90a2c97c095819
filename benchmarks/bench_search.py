"""Time one GridSearchCV sequentially, on loky workers and on a Dask cluster.

The search tunes the image size and the L2 penalty of
``ImageResizer -> Grayscaler -> PixelScaler -> Flattener ->
SGDLogisticRegression`` on face-mask photo paths, so every fit decodes its
own photos. It runs three times in one process:

1. ``n_jobs=1``, the baseline;
2. joblib's loky backend with ``n_jobs=2`` (the time includes starting
   the two loky worker processes);
3. joblib's Dask backend on a ``LocalCluster`` of 2 worker processes with
   one thread each, bound to 127.0.0.1 with no dashboard. The cluster is
   started before the clock and stopped at the end, as a long-lived
   cluster would be.

It prints the wall time of each search, its speed-up over ``n_jobs=1``,
and checks that all three give the same ``mean_test_score``.

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
            ("clf", SGDLogisticRegression(max_iter=10, random_state=0)),
        ]
    )


def run_search(X, y, **parallel_config):
    """Fit the grid search inside ``joblib.parallel_config`` and time it."""
    search = GridSearchCV(
        make_pipeline(),
        PARAM_GRID,
        cv=StratifiedKFold(n_splits=N_SPLITS, shuffle=True, random_state=0),
        refit=False,
    )
    start = time.perf_counter()
    with joblib.parallel_config(**parallel_config):
        search.fit(X, y)
    return time.perf_counter() - start, search.cv_results_["mean_test_score"]


def load_subset(folder, n_images):
    """Return the absolute paths and labels of a random subset of the photos."""
    bunch = load_image_folder(folder)
    rng = np.random.RandomState(0)
    n_images = min(n_images, len(bunch.filenames))
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
        "--n-images", type=int, default=600,
        help="number of photos the search runs on (default: 600)",
    )
    args = parser.parse_args()
    distributed = check_dask_installed()

    X, y = load_subset(args.facemask_dir, args.n_images)
    n_fits = N_SPLITS * len(PARAM_GRID["resize__output_shape"]) * len(
        PARAM_GRID["clf__alpha"]
    )
    print(f"GridSearchCV: {n_fits} fits on {len(X)} photo paths, {os.cpu_count()} CPUs")
    print(f"load average before: {os.getloadavg()}")

    timings = {}
    scores = {}
    timings["n_jobs=1"], scores["n_jobs=1"] = run_search(X, y, n_jobs=1)
    timings["loky n_jobs=2"], scores["loky n_jobs=2"] = run_search(
        X, y, backend="loky", n_jobs=2
    )
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster, distributed.Client(cluster) as client:
        client.wait_for_workers(2)
        timings["dask 2 workers"], scores["dask 2 workers"] = run_search(
            X, y, backend="dask"
        )

    print(f"load average after: {os.getloadavg()}")
    baseline = timings["n_jobs=1"]
    print(f"{'run':<16} {'wall s':>8} {'speed-up':>9} {'same scores':>12}")
    for name, seconds in timings.items():
        same = np.array_equal(scores[name], scores["n_jobs=1"])
        print(f"{name:<16} {seconds:8.1f} {baseline / seconds:8.2f}x {str(same):>12}")


if __name__ == "__main__":
    main()
