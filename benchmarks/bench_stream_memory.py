"""Measure peak memory and speed of decoding a large folder of photos.

Generates 20,000 JPEG photos of mixed sizes into a temporary folder, which
is deleted at the end, then measures in fresh processes:

1. ``ImageResizer(output_shape).fit_transform(paths)``: peak resident
   memory (RSS) above the process's memory before the call, against the
   size of the output array, and images decoded per second;
2. one epoch of ``iter_image_batches`` over the same paths, with each
   batch dropped after use: peak RSS above the baseline, against the size
   of one output batch.

Each measurement runs in its own process, so its peak RSS
(``ru_maxrss``) contains nothing of the image generation or of the other
measurement.

Run from the repository root::

    python benchmarks/bench_stream_memory.py

The generated photos take about 0.3 GB on disk.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from PIL import Image

N_PHOTOS = 20_000
# Photos are between 64 and 800 pixels on each side, so that the folder
# mixes thumbnails with photos several times larger than the output.
MIN_SIDE, MAX_SIDE = 64, 800
MIB = 2**20


def _write_photos(folder, seeds):
    """Write one JPEG per seed: a smooth random colour field of random size."""
    for seed in seeds:
        rng = np.random.RandomState(seed)
        width, height = rng.randint(MIN_SIDE, MAX_SIDE + 1, size=2)
        coarse = rng.randint(0, 256, size=(6, 6, 3), dtype=np.uint8)
        image = Image.fromarray(coarse).resize((width, height), Image.BICUBIC)
        image.save(os.path.join(folder, f"photo_{seed:05d}.jpg"), quality=85)


def generate_photos(folder, n_photos, n_processes):
    """Write ``n_photos`` JPEG photos of mixed sizes into ``folder``."""
    chunks = np.array_split(np.arange(n_photos), max(1, n_processes) * 8)
    with ProcessPoolExecutor(max_workers=n_processes) as executor:
        for _ in executor.map(_write_photos, [folder] * len(chunks), chunks):
            pass


def _rss_bytes():
    import psutil

    return psutil.Process().memory_info().rss


def _peak_rss_bytes():
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def measure(folder, mode, output_shape, batch_size, n_jobs):
    """Decode every photo of ``folder`` and return the measurements as a dict."""
    from skimgclf.datasets import iter_image_batches
    from skimgclf.preprocessing import ImageResizer

    paths = sorted(os.path.join(folder, name) for name in os.listdir(folder))
    resizer = ImageResizer(output_shape=output_shape, n_jobs=n_jobs)
    baseline = _rss_bytes()

    start = time.perf_counter()
    if mode == "resizer":
        X = resizer.fit_transform(paths)
        output_bytes = X.nbytes
    else:
        output_bytes = 0
        batches = iter_image_batches(
            paths, batch_size=batch_size, transformer=resizer, shuffle=False
        )
        for X_batch, _ in batches:
            output_bytes = max(output_bytes, X_batch.nbytes)
            del X_batch
    seconds = time.perf_counter() - start

    return {
        "mode": mode,
        "n_images": len(paths),
        "seconds": seconds,
        "images_per_second": len(paths) / seconds,
        "baseline_mib": baseline / MIB,
        "peak_above_baseline_mib": (_peak_rss_bytes() - baseline) / MIB,
        "output_mib": output_bytes / MIB,
    }


def run_measurement(folder, mode, args):
    command = [
        sys.executable, __file__, "--measure", folder, "--mode", mode,
        "--output-shape", str(args.output_shape),
        "--batch-size", str(args.batch_size), "--n-jobs", str(args.n_jobs),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-photos", type=int, default=N_PHOTOS,
                        help=f"number of generated photos (default: {N_PHOTOS})")
    parser.add_argument("--output-shape", type=int, default=128,
                        help="side of the square output images in pixels (default: 128)")
    parser.add_argument("--batch-size", type=int, default=256,
                        help="images per batch of the streaming run (default: 256)")
    parser.add_argument("--n-jobs", type=int, default=2,
                        help="decoding threads of ImageResizer (default: 2)")
    parser.add_argument("--measure", metavar="FOLDER", help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=["resizer", "stream"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        shape = (args.output_shape, args.output_shape)
        print(json.dumps(measure(args.measure, args.mode, shape, args.batch_size, args.n_jobs)))
        return

    with tempfile.TemporaryDirectory(prefix="skimgclf-bench-") as folder:
        start = time.perf_counter()
        generate_photos(folder, args.n_photos, n_processes=os.cpu_count() or 1)
        disk_mib = sum(entry.stat().st_size for entry in os.scandir(folder)) / MIB
        print(
            f"generated {args.n_photos} JPEG photos, {MIN_SIDE} to {MAX_SIDE} px a "
            f"side, {disk_mib:.0f} MiB, in {time.perf_counter() - start:.0f} s"
        )
        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()}")
        print(f"output {args.output_shape}x{args.output_shape} RGB uint8, "
              f"ImageResizer n_jobs={args.n_jobs}, stream batch_size={args.batch_size}")
        for mode in ("resizer", "stream"):
            result = run_measurement(folder, mode, args)
            extra = result["peak_above_baseline_mib"] - result["output_mib"]
            print(
                f"{mode:<8} {result['images_per_second']:7.0f} images/s  "
                f"output {result['output_mib']:7.1f} MiB  "
                f"peak RSS above baseline {result['peak_above_baseline_mib']:7.1f} MiB  "
                f"(output + {extra:.1f} MiB)"
            )


if __name__ == "__main__":
    main()
