"""Fashion-MNIST loader: the four original gzip IDX files, verified."""

import gzip
import hashlib
import logging
import os
import shutil
import struct
import tempfile
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from math import prod
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from skimgclf.datasets._base import (
    DATA_HOME_ENV,
    DEFAULT_DATA_HOME,
    check_return_X_y,
    get_data_home,
)

logger = logging.getLogger(__name__)

# Zalando Research publishes the four files at this address (README of
# github.com/zalandoresearch/fashion-mnist). The loader never contacts it on
# its own: a caller opts in with base_url=FASHION_MNIST_URL or with the
# environment variable below.
FASHION_MNIST_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"

# Environment variable that sets the download address when base_url is None.
DOWNLOAD_URL_ENV = "SKIMGCLF_FASHION_MNIST_URL"

FASHION_MNIST_FOLDER = "fashion-mnist"

# Debian's dataset-fashion-mnist package installs the files here.
SYSTEM_FOLDERS = (Path("/usr/share/datasets/fashion-mnist"),)

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

_DOWNLOAD_TIMEOUT_S = 60

IMAGE_MAGIC = 2051
LABEL_MAGIC = 2049


@dataclass(frozen=True)
class IdxFile:
    """Expected layout and checksum of one gzip-compressed IDX file."""

    name: str
    magic: int
    shape: tuple
    content_md5: str

    @property
    def header_size(self):
        return 4 * (1 + len(self.shape))

    @property
    def content_size(self):
        return self.header_size + prod(self.shape)


# The MD5s are of the decompressed content. Zalando's .gz files and Debian's
# recompressed ones differ only in the gzip header, so both pass this check.
IDX_FILES = {
    "train": (
        IdxFile(
            "train-images-idx3-ubyte.gz",
            IMAGE_MAGIC,
            (60000, 28, 28),
            "f4a8712d7a061bf5bd6d2ca38dc4d50a",
        ),
        IdxFile(
            "train-labels-idx1-ubyte.gz",
            LABEL_MAGIC,
            (60000,),
            "9018921c3c673c538a1fc5bad174d6f9",
        ),
    ),
    "test": (
        IdxFile(
            "t10k-images-idx3-ubyte.gz",
            IMAGE_MAGIC,
            (10000, 28, 28),
            "8181f5470baa50b63fa0f6fddb340f0a",
        ),
        IdxFile(
            "t10k-labels-idx1-ubyte.gz",
            LABEL_MAGIC,
            (10000,),
            "15d484375f8d13e6eb1aabb0c3f46965",
        ),
    ),
}

SUBSETS = ("train", "test", "all")

DESCR = """\
Fashion-MNIST
-------------

Grayscale 28x28 photos of Zalando articles in 10 classes, 6,000 training and
1,000 test images per class (60,000 and 10,000 in all), published by Zalando
Research as a drop-in replacement for MNIST under the MIT license.

Images are uint8 from 0 to 255, with 0 for the background.
Labels: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal,
6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot.

Reference: Han Xiao, Kashif Rasul and Roland Vollgraf, "Fashion-MNIST: a
Novel Image Dataset for Benchmarking Machine Learning Algorithms",
arXiv:1708.07747, 2017.
"""


def load_fashion_mnist(
    *,
    subset="train",
    data_home=None,
    download_if_missing=True,
    return_X_y=False,
    verbose=0,
    base_url=None,
):
    """Load the Fashion-MNIST images and labels from the original IDX files.

    Each of the four gzip IDX files is looked for in these folders, first
    match wins:

    1. ``data_home`` and ``data_home/fashion-mnist``, when ``data_home`` is
       given;
    2. ``$SKIMGCLF_DATA`` and ``$SKIMGCLF_DATA/fashion-mnist``, when the
       environment variable is set;
    3. ``~/skimgclf_data`` and ``~/skimgclf_data/fashion-mnist``;
    4. ``/usr/share/datasets/fashion-mnist``, where Debian's
       ``dataset-fashion-mnist`` package installs the same content.

    Every file that is read is checked completely: gzip integrity, IDX magic
    number, dimensions, byte count and the MD5 of the decompressed content.
    A file that fails any check raises an error naming it, so nothing is
    loaded partially. A bad file is never skipped in favour of a copy
    further down the list.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        The 60,000 training images, the 10,000 test images, or all 70,000
        with the training images first.
    data_home : str or path-like, default=None
        Folder that contains the four files, or a parent folder of a
        ``fashion-mnist`` folder that contains them. Downloads go to
        ``data_home/fashion-mnist``, or to ``data_home`` itself when it is
        named ``fashion-mnist`` or already contains one of the files. When
        None, ``$SKIMGCLF_DATA`` and then ``~/skimgclf_data`` take its place.
    download_if_missing : bool, default=True
        Download the missing files from ``base_url`` into the download
        folder. When False, or when no download address is set, missing
        files raise a FileNotFoundError that lists the files and the folder
        to put them in.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    verbose : int, default=0
        Print one line per downloaded file when greater than 0.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        images : ndarray of shape (n_samples, 28, 28), dtype=uint8
            The images, 0 for background.
        data : ndarray of shape (n_samples, 784), dtype=uint8
            The same pixels, each image flattened row by row. It is a view
            of ``images``, so writing to one changes the other.
        target : ndarray of shape (n_samples,), dtype=int64
            Class index of each image, 0 to 9.
        target_names : ndarray of shape (10,), dtype=str
            Class names, in the order of the class indices.
        DESCR : str
            Description of the data set.

    (data, target) : tuple if ``return_X_y`` is True
        ``data`` of shape (n_samples, 784) and ``target`` of shape
        (n_samples,), as in the Bunch.

    Other Parameters
    ----------------
    base_url : str, default=None
        Address of the folder that serves the four ``.gz`` files, for
        example :data:`FASHION_MNIST_URL`, Zalando's release location. None
        takes the address in the ``SKIMGCLF_FASHION_MNIST_URL`` environment
        variable. When that is unset too, nothing is downloaded, so the
        loader makes no network request unless asked to.

    Raises
    ------
    FileNotFoundError
        When a file is missing and ``download_if_missing`` is False.
    OSError
        When a file is corrupted, truncated or not the Fashion-MNIST
        release, or when a download fails.

    See Also
    --------
    load_digits_images : Embedded 8x8 digits that need no download.

    Notes
    -----
    Only the files of the requested subset are looked for and downloaded.
    Folders that hold the data are only read, so a read-only copy works.
    Downloads are written to a temporary file in the download folder,
    checked, and then renamed, so an interrupted download leaves no file
    with the final name.

    Examples
    --------
    >>> from skimgclf.datasets import load_fashion_mnist
    >>> fashion = load_fashion_mnist(subset="test")  # doctest: +SKIP
    >>> fashion.images.shape  # doctest: +SKIP
    (10000, 28, 28)
    >>> fashion.target_names[fashion.target[0]]  # doctest: +SKIP
    'Ankle boot'
    """
    if subset not in SUBSETS:
        raise ValueError(
            f"subset must be 'train', 'test' or 'all', got {subset!r}."
        )
    check_return_X_y(return_X_y)
    if not isinstance(download_if_missing, bool):
        raise TypeError(
            f"download_if_missing must be True or False, got "
            f"{download_if_missing!r}."
        )
    if base_url is None:
        base_url = os.environ.get(DOWNLOAD_URL_ENV) or None
    elif not isinstance(base_url, str):
        raise TypeError(f"base_url must be a str or None, got {base_url!r}.")

    parts = ("train", "test") if subset == "all" else (subset,)
    specs = [spec for part in parts for spec in IDX_FILES[part]]
    paths = _find_files(specs, data_home)

    missing = [spec for spec in specs if paths[spec.name] is None]
    if missing and (not download_if_missing or base_url is None):
        raise FileNotFoundError(_missing_files_message(missing, data_home, base_url))
    for spec in missing:
        paths[spec.name] = _download(spec, data_home, base_url, verbose)

    image_arrays = []
    label_arrays = []
    for part in parts:
        image_spec, label_spec = IDX_FILES[part]
        image_arrays.append(_read_idx_gz(paths[image_spec.name], image_spec))
        label_arrays.append(_read_idx_gz(paths[label_spec.name], label_spec))
    if len(image_arrays) == 1:
        images = image_arrays[0]
    else:
        images = np.concatenate(image_arrays)
    target = np.concatenate(label_arrays).astype(np.int64)

    data = images.reshape(len(images), -1)
    if return_X_y:
        return data, target
    return Bunch(
        images=images,
        data=data,
        target=target,
        target_names=np.array(FASHION_MNIST_CLASSES),
        DESCR=DESCR,
    )


def _search_folders(data_home):
    """List the folders to search, in order, without duplicates."""
    roots = []
    if data_home is not None:
        roots.append(get_data_home(data_home))
    if os.environ.get(DATA_HOME_ENV):
        roots.append(get_data_home(os.environ[DATA_HOME_ENV]))
    roots.append(get_data_home(DEFAULT_DATA_HOME))

    folders = []
    for root in roots:
        folders.extend([root, root / FASHION_MNIST_FOLDER])
    folders.extend(SYSTEM_FOLDERS)
    return list(dict.fromkeys(folders))


def _find_files(specs, data_home):
    """Map each file name to its first location, or to None when missing."""
    folders = _search_folders(data_home)
    paths = {}
    for spec in specs:
        candidates = [folder / spec.name for folder in folders]
        paths[spec.name] = next((path for path in candidates if path.is_file()), None)
    return paths


def _download_folder(data_home):
    """Return the folder that downloads go to (see ``data_home``)."""
    home = get_data_home(data_home)
    names = [spec.name for part in IDX_FILES.values() for spec in part]
    if home.name == FASHION_MNIST_FOLDER:
        return home
    if any((home / name).exists() for name in names):
        return home
    return home / FASHION_MNIST_FOLDER


def _missing_files_message(missing, data_home, base_url):
    names = ", ".join(spec.name for spec in missing)
    searched = ", ".join(str(folder) for folder in _search_folders(data_home))
    source = base_url if base_url is not None else FASHION_MNIST_URL
    if base_url is None:
        fetch = (
            f"or download them by passing base_url={FASHION_MNIST_URL!r} "
            f"(or setting {DOWNLOAD_URL_ENV}) with download_if_missing=True."
        )
    else:
        fetch = "or pass download_if_missing=True to download them."
    return (
        f"Fashion-MNIST files not found: {names}. Searched: {searched}. "
        f"Put the files from {source} into {_download_folder(data_home)}, "
        f"or pass data_home= the folder that contains them, or install "
        f"Debian's dataset-fashion-mnist package, {fetch}"
    )


def _download(spec, data_home, base_url, verbose):
    """Download one file, check it and move it into the download folder."""
    folder = _download_folder(data_home)
    url = base_url.rstrip("/") + "/" + spec.name
    destination = folder / spec.name

    # The partial file lives next to the destination so that the final
    # rename stays on one file system and is atomic.
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=spec.name + ".", suffix=".part", delete=False
        ) as partial:
            partial_path = Path(partial.name)
    except OSError as exc:
        raise OSError(
            f"Cannot write to the download folder {folder} ({exc}). Pass "
            f"data_home= a writable folder or set {DATA_HOME_ENV}."
        ) from exc

    if verbose > 0:
        print(f"Downloading {url} to {destination}")
    logger.info("Downloading %s to %s", url, destination)
    try:
        try:
            with urllib.request.urlopen(url, timeout=_DOWNLOAD_TIMEOUT_S) as response:
                with open(partial_path, "wb") as file:
                    shutil.copyfileobj(response, file)
        except (urllib.error.URLError, OSError) as exc:
            raise OSError(
                f"Downloading {url} failed ({exc}). Check the address and the "
                f"network, or put {spec.name} into {folder} yourself and pass "
                f"download_if_missing=False."
            ) from exc
        try:
            _read_idx_gz(partial_path, spec)
        except OSError as exc:
            raise OSError(f"The file downloaded from {url} is invalid: {exc}") from exc
        os.replace(partial_path, destination)
    finally:
        partial_path.unlink(missing_ok=True)

    logger.info("Downloaded %s", destination)
    return destination


def _read_idx_gz(path, spec):
    """Decompress and check one IDX file, then return its data without the header.

    The array is writable and shares memory with the decompressed buffer,
    which is read once with no extra copy.
    """
    expected = spec.content_size
    buffer = bytearray(expected)
    view = memoryview(buffer)
    n_read = 0
    try:
        with gzip.open(path, "rb") as file:
            while n_read < expected:
                count = file.readinto(view[n_read:])
                if not count:
                    break
                n_read += count
            has_extra_bytes = n_read == expected and file.read(1) != b""
    except (OSError, EOFError, zlib.error) as exc:
        raise OSError(
            f"{path} is not a valid gzip file or is truncated ({exc}). "
            f"Delete it or replace it with the original {spec.name}."
        ) from exc

    if n_read >= spec.header_size:
        header_format = f">{1 + len(spec.shape)}I"
        magic, *dims = struct.unpack(header_format, view[: spec.header_size])
        if magic != spec.magic:
            raise OSError(
                f"{path} has IDX magic number {magic}, expected {spec.magic} "
                f"for {spec.name}. The file is not {spec.name} or is corrupted."
            )
        if tuple(dims) != spec.shape:
            raise OSError(
                f"{path} has IDX dimensions {tuple(dims)}, expected "
                f"{spec.shape}. The file is not {spec.name} or is corrupted."
            )
    if n_read < expected:
        raise OSError(
            f"{path} is truncated: it decompresses to {n_read} bytes, expected "
            f"{expected}. Delete it or replace it with the original {spec.name}."
        )
    if has_extra_bytes:
        raise OSError(
            f"{path} decompresses to more than the {expected} bytes expected. "
            f"Delete it or replace it with the original {spec.name}."
        )

    digest = hashlib.md5(buffer, usedforsecurity=False).hexdigest()
    if digest != spec.content_md5:
        # The original MNIST digit files share these names and this layout,
        # so only the checksum distinguishes them.
        raise OSError(
            f"{path} decompresses to content with MD5 {digest}, expected "
            f"{spec.content_md5}. The file is corrupted or is not the "
            f"Fashion-MNIST release (MNIST digits use the same file names). "
            f"Delete it or replace it with the original {spec.name}."
        )

    return np.frombuffer(buffer, dtype=np.uint8, offset=spec.header_size).reshape(
        spec.shape
    )
