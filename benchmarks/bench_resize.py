"""Benchmark ImageResizer against a Pillow loop and a scikit-image loop.

Every face-mask photo (``facemask/with_mask/*.jpg`` and
``facemask/without_mask/*.jpg``) is decoded from its path and resized to
224x224 RGB ``uint8``. Each variant runs in its own subprocess, so that its
peak resident set size belongs to that variant alone:

* ``imageresizer-n2-draft``: ``ImageResizer(n_jobs=2)``, default
  ``jpeg_draft=True``;
* ``imageresizer-n1-draft``: the same with ``n_jobs=1``;
* ``imageresizer-n2-full`` and ``imageresizer-n1-full``: ``jpeg_draft=False``;
* ``pillow-loop``: one thread running ``Image.open``, ``convert("RGB")``,
  ``resize((224, 224), BILINEAR)`` and ``np.asarray`` into a preallocated
  array, the same filter as ImageResizer's default;
* ``skimage-loop``: Pillow decode, then
  ``skimage.transform.resize(..., order=1, anti_aliasing=True)``, on every
  7th photo in sorted path order (197 of 1,376) to keep the run short.

The script prints images per second of wall time and per CPU second, the
speed ratios against both loops, and peak RSS against the output array
size. It also prints the mean absolute difference (0-255 units) between
each output and the Pillow loop's. CPU time is the process time of all
threads, which other programs on a busy machine disturb less than wall
time.

Run it from the repository root::

    .venv/bin/python benchmarks/bench_resize.py --repeat 3

The photos are looked up in ``--data``, else ``$SKIMGCLF_DATA``, else
``../shared/data`` beside the repository. Each of these is a folder that
contains ``facemask/``.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

OUTPUT_SHAPE = (224, 224)
CLASS_FOLDERS = ("with_mask", "without_mask")
SKIMAGE_SUBSET_STEP = 7
SPEEDUP_OVER_PILLOW_TARGET = 1.5
SPEEDUP_OVER_SKIMAGE_TARGET = 10.0
MEMORY_HEADROOM_BYTES = 200 * 10**6
MAD_CHUNK = 64

REPO_ROOT = Path(__file__).resolve().parent.parent

# ImageResizer keyword arguments of each variant. None marks the two loops.
VARIANTS = {
    "imageresizer-n2-draft": {"n_jobs": 2, "jpeg_draft": True},
    "imageresizer-n1-draft": {"n_jobs": 1, "jpeg_draft": True},
    "imageresizer-n2-full": {"n_jobs": 2, "jpeg_draft": False},
    "imageresizer-n1-full": {"n_jobs": 1, "jpeg_draft": False},
    "pillow-loop": None,
    "skimage-loop": None,
}
# The configuration the speed and memory targets apply to.
TARGET_VARIANT = "imageresizer-n2-draft"


def find_data_root(data_arg):
    """Return the folder that contains ``facemask/``."""
    if data_arg is not None:
        return Path(data_arg)
    configured = os.environ.get("SKIMGCLF_DATA")
    if configured:
        return Path(configured)
    return REPO_ROOT.parent / "shared" / "data"


def list_photos(data_root):
    """Return the sorted paths of every face-mask photo under ``data_root``."""
    folder = data_root / "facemask"
    paths = []
    for class_name in CLASS_FOLDERS:
        paths.extend(sorted((folder / class_name).glob("*.jpg")))
    if not paths:
        sys.exit(
            f"No photos found under {folder}/{{{','.join(CLASS_FOLDERS)}}}. "
            "Pass --data or set SKIMGCLF_DATA to the folder that contains "
            "facemask/."
        )
    return [str(path) for path in paths]


def resize_with_imageresizer(paths, n_jobs, jpeg_draft):
    from skimgclf.preprocessing import ImageResizer

    resizer = ImageResizer(OUTPUT_SHAPE, n_jobs=n_jobs, jpeg_draft=jpeg_draft)
    return resizer.fit_transform(paths)


def resize_with_pillow(paths):
    from PIL import Image

    out = np.empty((len(paths), *OUTPUT_SHAPE, 3), dtype=np.uint8)
    size = (OUTPUT_SHAPE[1], OUTPUT_SHAPE[0])
    for index, path in enumerate(paths):
        with Image.open(path) as image:
            resized = image.convert("RGB").resize(size, Image.Resampling.BILINEAR)
            out[index] = np.asarray(resized)
    return out


def resize_with_skimage(paths):
    from PIL import Image
    from skimage.transform import resize

    out = np.empty((len(paths), *OUTPUT_SHAPE, 3), dtype=np.uint8)
    for index, path in enumerate(paths):
        with Image.open(path) as image:
            pixels = np.asarray(image.convert("RGB"))
        # resize returns float64 in [0, 1] for uint8 input.
        resized = resize(pixels, OUTPUT_SHAPE, order=1, anti_aliasing=True)
        out[index] = np.rint(resized * 255)
    return out


def peak_rss_bytes():
    """Return this process's peak resident set size in bytes.

    On Linux this is ``VmHWM`` from ``/proc/self/status``, which counts only
    the memory of the running program. ``ru_maxrss`` is not used there,
    because Linux carries the parent's peak over ``fork`` and ``exec`` into
    a child's ``ru_maxrss``. Elsewhere ``ru_maxrss`` is the fallback.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def run_variant(name, paths, repeat):
    """Time one variant ``repeat`` times in this process; return its record."""
    if name == "skimage-loop":
        paths = paths[::SKIMAGE_SUBSET_STEP]
        import skimage.transform  # noqa: F401  (import outside the timing)
    elif name.startswith("imageresizer"):
        import skimgclf.preprocessing  # noqa: F401
    else:
        import PIL.Image  # noqa: F401
    rss_after_imports = peak_rss_bytes()

    times = []
    cpu_times = []
    out = None
    for _ in range(repeat):
        # Free the previous output first, so that two outputs never coexist.
        out = None
        start = time.perf_counter()
        cpu_start = time.process_time()
        if name == "pillow-loop":
            out = resize_with_pillow(paths)
        elif name == "skimage-loop":
            out = resize_with_skimage(paths)
        else:
            out = resize_with_imageresizer(paths, **VARIANTS[name])
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)

    peak_rss = peak_rss_bytes()
    record = {
        "variant": name,
        "n_images": len(paths),
        "seconds": times,
        "cpu_seconds": cpu_times,
        "peak_rss_bytes": peak_rss,
        "rss_after_imports_bytes": rss_after_imports,
        "output_shape": list(out.shape),
        "output_dtype": str(out.dtype),
        "output_bytes": int(out.nbytes),
    }
    return record, out


def mean_absolute_difference(a, b):
    """Return the mean and max of ``|a - b|`` over all pixels, in chunks."""
    total = 0.0
    largest = 0
    for start in range(0, a.shape[0], MAD_CHUNK):
        stop = start + MAD_CHUNK
        diff = np.abs(a[start:stop].astype(np.int16) - b[start:stop].astype(np.int16))
        total += float(diff.sum(dtype=np.float64))
        largest = max(largest, int(diff.max()))
    return total / a.size, largest


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def print_machine():
    import numpy
    import PIL
    import PIL.features
    import skimage
    import sklearn

    print(f"CPU: {cpu_model()}")
    print(f"CPUs usable (sched_getaffinity): {len(os.sched_getaffinity(0))}")
    print(
        f"Python {platform.python_version()}, Pillow {PIL.__version__} "
        f"(libjpeg-turbo {PIL.features.version('libjpeg_turbo')}), "
        f"NumPy {numpy.__version__}, scikit-image {skimage.__version__}, "
        f"scikit-learn {sklearn.__version__}"
    )


def warm_file_cache(paths):
    """Read every file once, so that no variant waits for the disk."""
    n_bytes = 0
    for path in paths:
        with open(path, "rb") as handle:
            n_bytes += len(handle.read())
    return n_bytes


def format_mb(n_bytes):
    return f"{n_bytes / 10**6:.0f} MB"


def run_all(args):
    data_root = find_data_root(args.data)
    paths = list_photos(data_root)
    print_machine()
    n_bytes = warm_file_cache(paths)
    print(f"Photos: {len(paths)} files, {format_mb(n_bytes)}, under {data_root / 'facemask'}")
    print(f"Output: {OUTPUT_SHAPE[0]}x{OUTPUT_SHAPE[1]} RGB uint8, best of {args.repeat} runs")
    print(f"Load average before: {os.getloadavg()}")
    print()

    records = {}
    with tempfile.TemporaryDirectory(prefix="bench_resize_") as scratch:
        for name in VARIANTS:
            output_path = Path(scratch) / f"{name}.npy"
            command = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--data",
                str(data_root),
                "--repeat",
                str(args.repeat),
                "--variant",
                name,
                "--save",
                str(output_path),
            ]
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                sys.exit(f"Variant {name} failed with exit code {result.returncode}:\n{result.stderr}")
            record = json.loads(result.stdout.strip().splitlines()[-1])
            record["rate"] = record["n_images"] / min(record["seconds"])
            record["cpu_rate"] = record["n_images"] / min(record["cpu_seconds"])
            record["output_path"] = output_path
            records[name] = record
            print(
                f"{name:24s} {record['n_images']:5d} images  "
                f"{record['rate']:7.1f} images/s  "
                f"{record['cpu_rate']:7.1f} images/CPU-s  "
                f"(runs: {', '.join(f'{s:.2f}' for s in record['seconds'])} s)  "
                f"peak RSS {format_mb(record['peak_rss_bytes'])} "
                f"(after imports {format_mb(record['rss_after_imports_bytes'])}), "
                f"output {format_mb(record['output_bytes'])}"
            )
        print(f"Load average after: {os.getloadavg()}")
        print()
        report_ratios(records)
        report_memory(records)
        report_differences(records)


def report_ratios(records):
    pillow_rate = records["pillow-loop"]["rate"]
    skimage_rate = records["skimage-loop"]["rate"]
    pillow_cpu_rate = records["pillow-loop"]["cpu_rate"]
    skimage_cpu_rate = records["skimage-loop"]["cpu_rate"]
    print("Speed ratios, wall time (per CPU second in brackets):")
    for name, record in records.items():
        if not name.startswith("imageresizer"):
            continue
        print(
            f"  {name:24s} {record['rate'] / pillow_rate:5.2f}x "
            f"({record['cpu_rate'] / pillow_cpu_rate:4.2f}x) Pillow loop, "
            f"{record['rate'] / skimage_rate:6.1f}x "
            f"({record['cpu_rate'] / skimage_cpu_rate:5.1f}x) scikit-image loop"
        )
    target = records[TARGET_VARIANT]["rate"]
    over_pillow = target / pillow_rate
    over_skimage = target / skimage_rate
    print(
        f"Target {TARGET_VARIANT} >= {SPEEDUP_OVER_PILLOW_TARGET}x Pillow loop: "
        f"{over_pillow:.2f}x, {'met' if over_pillow >= SPEEDUP_OVER_PILLOW_TARGET else 'NOT met'}"
    )
    print(
        f"Target {TARGET_VARIANT} >= {SPEEDUP_OVER_SKIMAGE_TARGET:g}x scikit-image loop: "
        f"{over_skimage:.1f}x, "
        f"{'met' if over_skimage >= SPEEDUP_OVER_SKIMAGE_TARGET else 'NOT met'}"
    )
    print()


def report_memory(records):
    print(f"Peak RSS against output size + {format_mb(MEMORY_HEADROOM_BYTES)}:")
    for name, record in records.items():
        limit = record["output_bytes"] + MEMORY_HEADROOM_BYTES
        verdict = "within" if record["peak_rss_bytes"] < limit else "OVER"
        print(
            f"  {name:24s} peak {format_mb(record['peak_rss_bytes'])}, "
            f"limit {format_mb(limit)}: {verdict}"
        )
    print()


def report_differences(records):
    reference = np.load(records["pillow-loop"]["output_path"], mmap_mode="r")
    print("Mean absolute difference from the Pillow loop (0-255 units):")
    for name, record in records.items():
        if name == "pillow-loop":
            continue
        output = np.load(record["output_path"], mmap_mode="r")
        compared = reference
        if name == "skimage-loop":
            compared = reference[::SKIMAGE_SUBSET_STEP]
        mean, largest = mean_absolute_difference(output, compared)
        print(f"  {name:24s} mean {mean:.4f}, max {largest}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--data",
        help="folder that contains facemask/ (default: $SKIMGCLF_DATA, else "
        "../shared/data beside the repository)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per variant; the fastest counts (default: 1)"
    )
    parser.add_argument("--variant", choices=sorted(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--save", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")

    if args.variant is None:
        run_all(args)
        return

    # Subprocess mode: run one variant, save its output, print its record.
    paths = list_photos(find_data_root(args.data))
    record, out = run_variant(args.variant, paths, args.repeat)
    if args.save:
        np.save(args.save, out)
    print(json.dumps(record))


if __name__ == "__main__":
    main()
