"""Loader for a folder of photos with one sub-folder per class."""

import os
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from skimgclf.datasets._base import check_return_X_y, file_digest
from skimgclf.utils import check_image_shape

IMAGE_EXTENSIONS = (
    ".bmp",
    ".gif",
    ".jpeg",
    ".jpg",
    ".png",
    ".tif",
    ".tiff",
    ".webp",
)

_ON_ERROR_OPTIONS = ("skip", "raise")

# With verbose > 0, decoding prints a progress line after this many files.
_PROGRESS_EVERY = 1000


def load_image_folder(
    path,
    *,
    classes=None,
    extensions=IMAGE_EXTENSIONS,
    decode=False,
    image_shape=None,
    on_error="skip",
    return_X_y=False,
    verbose=0,
):
    """Load the file paths or pixels of a folder with one sub-folder per class.

    Each sub-folder of ``path`` is a class, named after the sub-folder, and
    the classes are numbered in sorted order. By default only the file paths
    are returned, so that folders with many photos fit in memory;
    :class:`~skimgclf.preprocessing.ImageResizer` decodes them lazily.

    A file counts as an image when both of these hold:

    1. its extension, in any letter case, is one of ``extensions``;
    2. Pillow identifies its format from the header (``PIL.Image.open``
       reads the header only and decodes no pixels).

    Every other entry is left out and reported in ``skipped``. These are
    files with other extensions, hidden entries whose name starts with a dot
    (such as ``.DS_Store``), files directly in ``path``, folders nested
    inside a class folder, and files with an image extension that Pillow
    cannot identify. The last kind raises instead when ``on_error="raise"``.

    Byte-identical files are found by hashing (SHA-256) the files that share
    a size. They are reported in ``duplicates`` and share an id in
    ``groups``, which :func:`group_train_test_split` uses to keep copies of
    one image on the same side of a split.

    Parameters
    ----------
    path : str or path-like
        Folder that contains one sub-folder per class.
    classes : list of str, default=None
        Names of the class sub-folders to load. None loads all of them.
    extensions : tuple of str, default=IMAGE_EXTENSIONS
        File extensions, with the leading dot, of the files to consider.
        Letter case is ignored.
    decode : bool, default=False
        Decode the images into one array. When False, only paths are
        returned.
    image_shape : tuple of int, default=None
        ``(height, width)`` for grayscale or ``(height, width, channels)``
        with 1, 3 or 4 channels; the decoded images are converted and
        resized to it. Only used with ``decode=True``. None keeps each
        image's size and converts it to RGB, which requires that all images
        have the same size.
    on_error : {"skip", "raise"}, default="skip"
        What to do with a file that has an image extension but that Pillow
        cannot identify or, with ``decode=True``, cannot decode.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    verbose : int, default=0
        When greater than 0, print a progress line every 1,000 decoded
        files and a summary of the files found, skipped and duplicated.
        When greater than 1, also print every skipped entry.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        filenames : ndarray of shape (n_samples,), dtype=str
            Path of each image, sorted by class and then by file name.
        images : ndarray of shape (n_samples, height, width[, channels])
            The decoded images, dtype uint8. Only with ``decode=True``.
        data : ndarray of shape (n_samples,) or (n_samples, height, \
width[, channels])
            ``images`` with ``decode=True``, else ``filenames``. The images
            are not flattened because a flat row loses the channel axis.
        target : ndarray of shape (n_samples,), dtype=int64
            Class index of each image.
        target_names : ndarray of shape (n_classes,), dtype=str
            Class sub-folder names, sorted.
        groups : ndarray of shape (n_samples,), dtype=int64
            Duplicate group id of each image: byte-identical files share an
            id, all other files have ids of their own.
        duplicates : list of list of str
            Paths of each set of two or more byte-identical files.
        skipped : list of tuple of (str, str)
            ``(path, reason)`` for each entry that was left out.

    (data, target) : tuple if ``return_X_y`` is True
        ``data`` and ``target`` as in the Bunch.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    NotADirectoryError
        When ``path`` is not a folder.
    ValueError
        When ``path`` has fewer than two class sub-folders, a class has no
        images, a requested class does not exist, the decoded images differ
        in size and ``image_shape`` is None, or a file fails and
        ``on_error="raise"``.

    Warns
    -----
    UserWarning
        When files with an image extension were skipped because they could
        not be read, or byte-identical files sit in different classes.

    See Also
    --------
    group_train_test_split : Split without putting copies on both sides.

    Notes
    -----
    Decoding runs each file through
    :class:`~skimgclf.preprocessing.ImageResizer` with
    ``output_shape=image_shape[:2]``: EXIF orientation applied, images with
    transparency blended onto white unless the output is RGBA, Pillow's
    bilinear filter. The result is then laid out with the channels of
    ``image_shape`` (colour images become their BT.601 luminance for one
    channel) and converted to ``uint8``. For RGB photos ``decode=True``
    gives the same pixels as ``ImageResizer(output_shape=image_shape[:2])``
    applied to ``filenames``.

    A file whose header is valid but whose pixel data is damaged passes the
    check above when ``decode=False`` and fails later, when it is decoded.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from PIL import Image
    >>> from skimgclf.datasets import load_image_folder
    >>> root = Path(tempfile.mkdtemp())
    >>> for name, shade in [("dark", 20), ("light", 230)]:
    ...     (root / name).mkdir()
    ...     for i in range(3):
    ...         Image.new("L", (8, 6), shade + i).save(root / name / f"{i}.png")
    >>> (root / "README.txt").write_text("two classes")
    11
    >>> photos = load_image_folder(root)
    >>> photos.target_names.tolist(), photos.target.tolist()
    (['dark', 'light'], [0, 0, 0, 1, 1, 1])
    >>> photos.skipped[0][1]
    'not inside a class sub-folder'
    >>> load_image_folder(root, decode=True, image_shape=(3, 4)).images.shape
    (6, 3, 4)
    >>> import shutil
    >>> shutil.rmtree(root)
    """
    path = _check_folder(path)
    extensions = _check_extensions(extensions)
    if on_error not in _ON_ERROR_OPTIONS:
        raise ValueError(
            f"on_error must be 'skip' or 'raise', got {on_error!r}."
        )
    if not isinstance(decode, bool):
        raise TypeError(f"decode must be True or False, got {decode!r}.")
    if image_shape is not None:
        if not decode:
            raise ValueError(
                f"image_shape={image_shape!r} is only used with decode=True. "
                "Pass decode=True, or resize the paths lazily with "
                "skimgclf.preprocessing.ImageResizer."
            )
        image_shape = check_image_shape(image_shape)
    check_return_X_y(return_X_y)

    class_folders, skipped = _list_class_folders(path, classes)

    filenames = []
    target = []
    for label, folder in enumerate(class_folders):
        class_files, class_skipped = _list_images(folder, extensions, on_error)
        if not class_files:
            raise ValueError(
                f"Class folder {folder} contains no images that can be read "
                f"({len(class_skipped)} entries skipped). Add images, remove "
                "the folder, or leave it out with classes=."
            )
        filenames.extend(class_files)
        target.extend([label] * len(class_files))
        skipped.extend(class_skipped)

    images = None
    if decode:
        images, keep, decode_skipped = _decode_images(
            filenames, image_shape, on_error, verbose
        )
        filenames = [name for name, kept in zip(filenames, keep) if kept]
        target = [label for label, kept in zip(target, keep) if kept]
        skipped.extend(decode_skipped)
        counts = np.bincount(
            np.asarray(target, dtype=np.int64), minlength=len(class_folders)
        )
        for folder, count in zip(class_folders, counts):
            if count == 0:
                raise ValueError(
                    f"Class folder {folder} contains no images that can be "
                    "decoded. Add images, remove the folder, or leave it out "
                    "with classes=."
                )

    filenames = np.array(filenames, dtype=str)
    target = np.array(target, dtype=np.int64)
    target_names = np.array([folder.name for folder in class_folders], dtype=str)
    groups, duplicates = _find_duplicates(filenames)

    _warn_about_problems(path, skipped, duplicates, filenames, target, target_names)
    if verbose > 0:
        _print_summary(path, filenames, target_names, skipped, duplicates, verbose)

    data = filenames if images is None else images
    if return_X_y:
        return data, target
    bunch = Bunch(
        filenames=filenames,
        data=data,
        target=target,
        target_names=target_names,
        groups=groups,
        duplicates=duplicates,
        skipped=skipped,
        DESCR=f"Images loaded from the class sub-folders of {path}.",
    )
    if images is not None:
        bunch.images = images
    return bunch


def _check_folder(path):
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"path must be a str or path-like object, got {path!r} of type "
            f"{type(path).__name__}."
        )
    path = Path(path).expanduser()
    if not path.exists():
        raise FileNotFoundError(
            f"Image folder {path} does not exist. Pass the folder that "
            "contains one sub-folder per class."
        )
    if not path.is_dir():
        raise NotADirectoryError(
            f"{path} is a file, not a folder. Pass the folder that contains "
            "one sub-folder per class."
        )
    return path


def _check_extensions(extensions):
    if isinstance(extensions, str):
        extensions = (extensions,)
    extensions = tuple(extensions)
    if not extensions or not all(
        isinstance(ext, str) and ext.startswith(".") and len(ext) > 1
        for ext in extensions
    ):
        raise ValueError(
            f"extensions must be a non-empty tuple of file extensions with "
            f"a leading dot, such as ('.jpg', '.png'), got {extensions!r}."
        )
    return tuple(ext.lower() for ext in extensions)


def _list_class_folders(path, classes):
    """Return the sorted class folders and the entries skipped at the top."""
    skipped = []
    folders = []
    for entry in sorted(os.scandir(path), key=lambda entry: entry.name):
        if entry.name.startswith("."):
            skipped.append((entry.path, "hidden entry"))
        elif entry.is_dir():
            folders.append(Path(entry.path))
        else:
            skipped.append((entry.path, "not inside a class sub-folder"))

    if classes is not None:
        if isinstance(classes, str) or not all(
            isinstance(name, str) for name in classes
        ):
            raise TypeError(
                f"classes must be a list of sub-folder names, got {classes!r}."
            )
        available = {folder.name: folder for folder in folders}
        unknown = [name for name in classes if name not in available]
        if unknown:
            raise ValueError(
                f"classes {unknown!r} are not sub-folders of {path}. "
                f"Available classes: {sorted(available)!r}."
            )
        folders = [available[name] for name in sorted(set(classes))]

    if not folders:
        raise ValueError(
            f"{path} has no class sub-folders. Put the images of each class "
            f"into a sub-folder named after the class, such as "
            f"{path / 'cat'} and {path / 'dog'}."
        )
    if len(folders) == 1:
        raise ValueError(
            f"{path} has only one class sub-folder, {folders[0].name!r}, but "
            "a classifier needs at least two classes. Add a sub-folder for "
            "each other class next to it, or pass the parent folder that "
            "contains all class sub-folders."
        )
    return folders, skipped


def _list_images(folder, extensions, on_error):
    """Return the sorted image paths of one class folder and what was skipped."""
    from PIL import Image

    images = []
    skipped = []
    for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
        if entry.name.startswith("."):
            skipped.append((entry.path, "hidden entry"))
            continue
        if entry.is_dir():
            skipped.append(
                (entry.path, "sub-folder inside a class folder is not searched")
            )
            continue
        extension = os.path.splitext(entry.name)[1].lower()
        if not extension:
            skipped.append((entry.path, "no file extension"))
            continue
        if extension not in extensions:
            skipped.append((entry.path, f"extension {extension!r} is not in extensions"))
            continue

        try:
            with Image.open(entry.path):
                pass
        except (OSError, Image.DecompressionBombError) as exc:
            if on_error == "raise":
                raise ValueError(
                    f"{entry.path} has an image extension but Pillow cannot "
                    f"read it ({exc}). Remove the file or pass on_error='skip'."
                ) from exc
            skipped.append((entry.path, f"unreadable image: {exc}"))
            continue
        images.append(entry.path)
    return images, skipped


def _decode_images(filenames, image_shape, on_error, verbose):
    """Decode the files into one uint8 array.

    Each file goes through :class:`~skimgclf.preprocessing.ImageResizer`
    (or, without ``image_shape``, the same decoder at full size), so the
    pixels match what a pipeline would compute from the paths.

    Returns the array, a list of booleans that marks the files kept, and
    the skipped entries.
    """
    from skimgclf.preprocessing import ImageResizer
    from skimgclf.preprocessing._pixels import apply_alpha_rule, to_channels
    from skimgclf.utils import load_item

    n_channels = 3
    resizer = None
    if image_shape is not None:
        n_channels = image_shape[2] if len(image_shape) == 3 else 1
        alpha = "keep" if n_channels == 4 else "composite"
        resizer = ImageResizer(output_shape=image_shape[:2], alpha=alpha)

    arrays = []
    keep = []
    skipped = []
    for index, filename in enumerate(filenames):
        if verbose > 0 and index and index % _PROGRESS_EVERY == 0:
            print(f"Decoded {index} of {len(filenames)} images")
        try:
            if resizer is None:
                image = apply_alpha_rule(load_item(filename, index), "composite")
            else:
                image = resizer.fit_transform([filename])[0]
        except ValueError as exc:
            if on_error == "raise":
                raise ValueError(
                    f"Pillow cannot decode {filename} ({exc}). Remove the file "
                    "or pass on_error='skip'."
                ) from exc
            skipped.append((filename, f"decoding failed: {exc}"))
            keep.append(False)
            continue
        arrays.append(_as_uint8(to_channels(image, n_channels)))
        keep.append(True)

    sizes = sorted({array.shape for array in arrays})
    if len(sizes) > 1:
        raise ValueError(
            f"The decoded images have {len(sizes)} different shapes, for "
            f"example {sizes[0]} and {sizes[-1]}. Pass image_shape=(height, "
            "width, 3) to resize them all to one size."
        )
    if image_shape is not None and len(image_shape) == 3 and image_shape[2] == 1:
        arrays = [array[..., np.newaxis] for array in arrays]
    if not arrays:
        # Every file failed; the caller raises for the empty classes.
        return None, keep, skipped
    return np.stack(arrays), keep, skipped


def _as_uint8(image):
    """Convert a decoded image to uint8: 16-bit by rounding, float from [0, 1]."""
    if image.dtype == np.uint8:
        return image
    if image.dtype == np.uint16:
        return np.rint(image / 257).astype(np.uint8)
    return np.clip(np.rint(image * 255), 0, 255).astype(np.uint8)


def _find_duplicates(filenames):
    """Group byte-identical files.

    Only files that share a size are hashed. Returns the group id of each
    file, numbered in order of first appearance, and the groups of two or
    more files.
    """
    by_size = defaultdict(list)
    for index, filename in enumerate(filenames):
        by_size[os.path.getsize(filename)].append(index)

    keys = list(range(len(filenames)))
    for indices in by_size.values():
        if len(indices) > 1:
            for index in indices:
                keys[index] = file_digest(filenames[index])

    group_of_key = {}
    groups = np.empty(len(filenames), dtype=np.int64)
    members = defaultdict(list)
    for index, key in enumerate(keys):
        group = group_of_key.setdefault(key, len(group_of_key))
        groups[index] = group
        members[group].append(str(filenames[index]))
    duplicates = [paths for paths in members.values() if len(paths) > 1]
    return groups, duplicates


def _warn_about_problems(path, skipped, duplicates, filenames, target, target_names):
    unreadable = [
        entry for entry in skipped
        if entry[1].startswith(("unreadable image", "decoding failed"))
    ]
    if unreadable:
        warnings.warn(
            f"Skipped {len(unreadable)} files in {path} that have an image "
            f"extension but could not be read, such as {unreadable[0][0]}. "
            "The skipped field of the result lists them with the reason.",
            UserWarning,
            stacklevel=3,
        )

    index_of = {str(name): index for index, name in enumerate(filenames)}
    mixed = [
        paths for paths in duplicates
        if len({target[index_of[name]] for name in paths}) > 1
    ]
    if mixed:
        classes = sorted({target_names[target[index_of[name]]] for name in mixed[0]})
        warnings.warn(
            f"{len(mixed)} sets of byte-identical files sit in different "
            f"classes, such as {mixed[0]} in classes {classes}. Each copy "
            "carries a different label for the same image; remove the wrong "
            "copies.",
            UserWarning,
            stacklevel=3,
        )


def _print_summary(path, filenames, target_names, skipped, duplicates, verbose):
    print(
        f"{path}: {len(filenames)} images in {len(target_names)} classes, "
        f"{len(skipped)} entries skipped, {len(duplicates)} sets of "
        f"byte-identical files with "
        f"{sum(len(paths) - 1 for paths in duplicates)} redundant copies."
    )
    if verbose > 1:
        for entry, reason in skipped:
            print(f"  skipped {entry}: {reason}")
