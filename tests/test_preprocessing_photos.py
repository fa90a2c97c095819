"""ImageResizer on the real face-mask photos, read from their paths.

The 1,376 JPEG photos come in 257 sizes, 110 to 3456 pixels wide and 141
to 4608 pixels high, so they exercise full decodes, DCT-scaled
(``jpeg_draft``) decodes and strong downsampling. The reference for every comparison is Pillow itself:
``Image.open``, ``convert("RGB")`` and ``resize`` with the same bilinear
filter that ImageResizer uses by default.
"""

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline

from skimgclf.preprocessing import Flattener, Grayscaler, ImageResizer, PixelScaler

CLASS_FOLDERS = ("with_mask", "without_mask")
N_PHOTOS = 1376
OUTPUT_SIZE = 64
BILINEAR = Image.Resampling.BILINEAR

# A full decode feeds Pillow the same pixels and the same filter as the
# reference, so the outputs should be identical. The bounds allow only a
# rare difference of one unit from rounding.
FULL_DECODE_MEAN_BOUND = 0.01
FULL_DECODE_MAX_BOUND = 1

# With jpeg_draft=True, libjpeg decodes at 1/2, 1/4 or 1/8 scale and only the
# rest of the reduction uses Pillow's bilinear filter, which gives a sharper
# image than a full-resolution bilinear reduction. At 64x64 the mean absolute
# difference measured 2.17 (0-255 units) over all photos and 8.9 for the
# worst photo. The bounds leave about 35% margin, because a wrong DCT scale
# or a channel swap gives differences of 10 and more.
DRAFT_MEAN_BOUND = 3.0
DRAFT_PER_PHOTO_BOUND = 12.0

# The centre crop with jpeg_draft=True measured a mean of 2.8 and at most 6.1
# for one photo against a full-decode centre crop of the same box.
CROP_DRAFT_MEAN_BOUND = 4.0

PAD_CVAL = 7


def read_reference(path, size, box=None):
    """Decode ``path`` with Pillow and resize it to ``size`` (width, height)."""
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB").resize(size, BILINEAR, box=box))


def mean_abs_diff(a, b):
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


@pytest.fixture(scope="module")
def photo_paths(facemask_dir):
    """Paths of every photo, in class order, then sorted by name."""
    paths = []
    for class_name in CLASS_FOLDERS:
        paths.extend(sorted(str(path) for path in (facemask_dir / class_name).glob("*.jpg")))
    return paths


@pytest.fixture(scope="module")
def photo_sizes(photo_paths):
    """``(width, height)`` of every photo, read from the JPEG headers."""
    sizes = {}
    for path in photo_paths:
        with Image.open(path) as image:
            sizes[path] = image.size
    return sizes


@pytest.fixture(scope="module")
def pillow_reference(photo_paths):
    """Every photo resized by Pillow to 64x64 RGB ``uint8``."""
    reference = np.empty((len(photo_paths), OUTPUT_SIZE, OUTPUT_SIZE, 3), dtype=np.uint8)
    for index, path in enumerate(photo_paths):
        reference[index] = read_reference(path, (OUTPUT_SIZE, OUTPUT_SIZE))
    return reference


@pytest.fixture(scope="module")
def labelled_subset(facemask_dir):
    """Every 7th photo of each class (197 in all) and labels, 1 for a mask."""
    paths = []
    labels = []
    for label, class_name in ((1, "with_mask"), (0, "without_mask")):
        class_paths = sorted(str(path) for path in (facemask_dir / class_name).glob("*.jpg"))
        paths.extend(class_paths[::7])
        labels.extend([label] * len(class_paths[::7]))
    return paths, np.asarray(labels)


def portrait_photos(photo_sizes, min_ratio):
    """Every 10th photo whose height is at least ``min_ratio`` times its width."""
    portraits = [path for path, (width, height) in photo_sizes.items() if height >= min_ratio * width]
    return portraits[::10]


def test_photo_set_matches_description(photo_paths, photo_sizes):
    sizes = set(photo_sizes.values())
    widths = [width for width, _ in sizes]
    heights = [height for _, height in sizes]

    assert len(photo_paths) == N_PHOTOS
    assert len(sizes) == 257
    assert (min(widths), min(heights)) == (110, 141)
    assert (max(widths), max(heights)) == (3456, 4608)


def test_full_decode_matches_pillow(photo_paths, pillow_reference):
    resizer = ImageResizer(OUTPUT_SIZE, n_jobs=2, jpeg_draft=False)
    X = resizer.fit_transform(photo_paths)

    assert X.shape == (N_PHOTOS, OUTPUT_SIZE, OUTPUT_SIZE, 3)
    assert X.dtype == np.uint8
    assert mean_abs_diff(X, pillow_reference) < FULL_DECODE_MEAN_BOUND
    max_diff = int(np.abs(X.astype(np.int16) - pillow_reference).max())
    assert max_diff <= FULL_DECODE_MAX_BOUND


def test_jpeg_draft_close_to_pillow(photo_paths, pillow_reference):
    X = ImageResizer(OUTPUT_SIZE, n_jobs=2).fit_transform(photo_paths)
    per_photo = np.abs(X.astype(np.int16) - pillow_reference).mean(axis=(1, 2, 3))
    worst = photo_paths[int(per_photo.argmax())]

    assert X.shape == (N_PHOTOS, OUTPUT_SIZE, OUTPUT_SIZE, 3)
    assert X.dtype == np.uint8
    assert per_photo.mean() < DRAFT_MEAN_BOUND
    assert per_photo.max() < DRAFT_PER_PHOTO_BOUND, f"worst photo: {worst}"
    # Identical output would mean the DCT-scaled decode never ran.
    assert per_photo.mean() > 0, "jpeg_draft=True returned the full-decode result"


def expected_pad_columns(width, height):
    """Return ``(first column, content width)`` of a padded portrait photo."""
    content_width = round(width * OUTPUT_SIZE / height)
    return (OUTPUT_SIZE - content_width) // 2, content_width


def test_pad_portrait_border_equals_cval(photo_sizes):
    paths = portrait_photos(photo_sizes, min_ratio=1.1)
    resizer = ImageResizer(
        OUTPUT_SIZE,
        preserve_aspect_ratio=True,
        aspect_mode="pad",
        cval=PAD_CVAL,
        jpeg_draft=False,
        n_jobs=2,
    )
    X = resizer.fit_transform(paths)

    assert X.shape == (len(paths), OUTPUT_SIZE, OUTPUT_SIZE, 3)
    for image, path in zip(X, paths):
        width, height = photo_sizes[path]
        first, content_width = expected_pad_columns(width, height)
        content = image[:, first : first + content_width]
        reference = read_reference(path, (content_width, OUTPUT_SIZE))

        assert first >= 1, f"{path} leaves no border at {OUTPUT_SIZE}x{OUTPUT_SIZE}"
        assert np.all(image[:, :first] == PAD_CVAL), f"left border of {path}"
        assert np.all(image[:, first + content_width :] == PAD_CVAL), f"right border of {path}"
        assert mean_abs_diff(content, reference) < FULL_DECODE_MEAN_BOUND, path


def test_pad_border_independent_of_jpeg_draft(photo_sizes):
    paths = portrait_photos(photo_sizes, min_ratio=1.1)
    resizer = ImageResizer(
        OUTPUT_SIZE, preserve_aspect_ratio=True, aspect_mode="pad", cval=PAD_CVAL, n_jobs=2
    )
    X = resizer.fit_transform(paths)

    wrong = []
    for image, path in zip(X, paths):
        first, content_width = expected_pad_columns(*photo_sizes[path])
        left_ok = np.all(image[:, :first] == PAD_CVAL)
        right_ok = np.all(image[:, first + content_width :] == PAD_CVAL)
        edges_filled = not np.all(image[:, [first, first + content_width - 1]] == PAD_CVAL)
        if not (left_ok and right_ok and edges_filled):
            wrong.append(Path(path).name)
    assert wrong == []


@pytest.mark.parametrize("jpeg_draft", [False, True])
def test_crop_portrait_keeps_centre(photo_sizes, jpeg_draft):
    # Photos at least 1.25 times taller than wide, so that the top, centre
    # and bottom squares differ clearly.
    paths = portrait_photos(photo_sizes, min_ratio=1.25)
    resizer = ImageResizer(
        OUTPUT_SIZE,
        preserve_aspect_ratio=True,
        aspect_mode="crop",
        jpeg_draft=jpeg_draft,
        n_jobs=2,
    )
    X = resizer.fit_transform(paths)

    assert X.shape == (len(paths), OUTPUT_SIZE, OUTPUT_SIZE, 3)
    centre_diffs = []
    for image, path in zip(X, paths):
        width, height = photo_sizes[path]
        size = (OUTPUT_SIZE, OUTPUT_SIZE)
        centre = read_reference(path, size, box=(0, (height - width) / 2, width, (height + width) / 2))
        top = read_reference(path, size, box=(0, 0, width, width))
        bottom = read_reference(path, size, box=(0, height - width, width, height))
        centre_diff = mean_abs_diff(image, centre)
        centre_diffs.append(centre_diff)

        assert centre_diff < mean_abs_diff(image, top), f"{path} is closer to the top square"
        assert centre_diff < mean_abs_diff(image, bottom), f"{path} is closer to the bottom square"
    bound = CROP_DRAFT_MEAN_BOUND if jpeg_draft else FULL_DECODE_MEAN_BOUND
    assert np.mean(centre_diffs) < bound


def make_photo_pipeline(**resizer_params):
    return make_pipeline(
        ImageResizer(**resizer_params),
        Grayscaler(),
        PixelScaler(),
        Flattener(),
        LogisticRegression(max_iter=1000),
    )


# Logistic regression on 16x16 grayscale pixels scored 0.82 to 0.85 per fold
# on this subset. 0.7 is well clear of chance (0.5), which is what shuffled
# images or labels would score.
MIN_ACCURACY = 0.7


def test_pipeline_cross_val_score_on_paths(labelled_subset):
    paths, labels = labelled_subset
    scores = cross_val_score(make_photo_pipeline(output_shape=16, n_jobs=2), paths, labels, cv=3)

    assert scores.shape == (3,)
    assert scores.min() > MIN_ACCURACY


def test_grid_search_output_shape_on_paths(labelled_subset):
    paths, labels = labelled_subset
    search = GridSearchCV(
        make_photo_pipeline(),
        {"imageresizer__output_shape": [16, 24]},
        cv=3,
        n_jobs=2,
    )
    search.fit(paths, labels)
    best_size = search.best_params_["imageresizer__output_shape"]

    assert list(search.cv_results_["param_imageresizer__output_shape"]) == [16, 24]
    assert search.best_score_ > MIN_ACCURACY
    # One grayscale pixel per coefficient shows the size reached the resizer.
    assert search.best_estimator_[-1].coef_.shape == (1, best_size * best_size)
    assert search.predict(paths[:5]).shape == (5,)


@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize("kept", [0.5, 0.999, 64], ids=["half", "no-tail", "header-only"])
def test_truncated_jpeg_raises_naming_file(photo_paths, photo_sizes, tmp_path, kept, n_jobs):
    largest = max(photo_paths, key=lambda path: photo_sizes[path][0] * photo_sizes[path][1])
    data = Path(largest).read_bytes()
    n_bytes = kept if isinstance(kept, int) else int(len(data) * kept)
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(data[:n_bytes])
    intact = tmp_path / "intact.jpg"
    shutil.copyfile(photo_paths[0], intact)

    resizer = ImageResizer(OUTPUT_SIZE, n_jobs=n_jobs)
    with pytest.raises(ValueError, match=re.escape(str(truncated))):
        resizer.fit_transform([str(intact), str(truncated), str(intact)])


def test_directory_path_raises_naming_it(photo_paths, facemask_dir):
    folder = str(facemask_dir / "with_mask")
    resizer = ImageResizer(OUTPUT_SIZE, n_jobs=2)
    with pytest.raises(ValueError, match=re.escape(folder) + ".*is a directory"):
        resizer.fit_transform([photo_paths[0], folder])


def test_missing_path_raises_naming_it(photo_paths, tmp_path):
    missing = str(tmp_path / "no-such-photo.jpg")
    resizer = ImageResizer(OUTPUT_SIZE, n_jobs=2)
    with pytest.raises(ValueError, match="not found.*" + re.escape(missing)):
        resizer.fit_transform([photo_paths[0], missing])
