"""Tests of iter_image_batches: streaming decoded batches out of image files."""

import numpy as np
import pytest
from PIL import Image
from sklearn.pipeline import make_pipeline

from skimgclf.datasets import iter_image_batches, load_image_folder
from skimgclf.linear_model import SGDLogisticRegression
from skimgclf.preprocessing import Flattener, Grayscaler, ImageResizer, PixelScaler


@pytest.fixture(scope="module")
def photo_paths(tmp_path_factory):
    """23 PNG files of mixed sizes whose first pixel encodes their index."""
    folder = tmp_path_factory.mktemp("photos")
    rng = np.random.RandomState(0)
    paths = []
    for index in range(23):
        height, width = rng.randint(12, 60, size=2)
        pixels = np.full((height, width, 3), index, dtype=np.uint8)
        path = folder / f"photo_{index:02d}.png"
        Image.fromarray(pixels).save(path)
        paths.append(str(path))
    return paths


def _identity_resizer():
    # Constant images keep their value through resizing, so the value of
    # each output image identifies its file.
    return ImageResizer(output_shape=(4, 4))


@pytest.mark.parametrize("batch_size", [1, 5, 23, 50])
@pytest.mark.parametrize("shuffle", [False, True])
def test_batches_cover_every_path_once(photo_paths, batch_size, shuffle):
    y = np.arange(len(photo_paths))
    batches = list(
        iter_image_batches(
            photo_paths,
            y,
            batch_size=batch_size,
            transformer=_identity_resizer(),
            shuffle=shuffle,
            random_state=0,
        )
    )

    sizes = [X_batch.shape[0] for X_batch, _ in batches]
    assert max(sizes) <= batch_size
    assert sum(sizes) == len(photo_paths)
    assert len(batches) == -(-len(photo_paths) // batch_size)

    seen = np.concatenate([y_batch for _, y_batch in batches])
    assert sorted(seen.tolist()) == y.tolist()
    for X_batch, y_batch in batches:
        np.testing.assert_array_equal(X_batch[:, 0, 0, 0], y_batch)
    if not shuffle:
        np.testing.assert_array_equal(seen, y)


def test_shuffle_order_follows_random_state(photo_paths):
    y = np.arange(len(photo_paths))

    def epoch_order(random_state):
        batches = iter_image_batches(
            photo_paths, y, batch_size=4, transformer=_identity_resizer(),
            random_state=random_state,
        )
        return np.concatenate([y_batch for _, y_batch in batches])

    np.testing.assert_array_equal(epoch_order(3), epoch_order(3))
    rng = np.random.RandomState(3)
    first_epoch = epoch_order(rng)
    second_epoch = epoch_order(rng)
    assert not np.array_equal(first_epoch, second_epoch)
    assert sorted(second_epoch.tolist()) == y.tolist()


def test_batches_match_whole_transform(photo_paths):
    transformer = ImageResizer(output_shape=(9, 7))
    expected = transformer.fit_transform(photo_paths)
    batches = iter_image_batches(
        photo_paths, batch_size=6, transformer=transformer, shuffle=False
    )
    streamed = [X_batch for X_batch, y_batch in batches]
    np.testing.assert_array_equal(np.concatenate(streamed), expected)


def test_unfitted_transformer_is_not_mutated(photo_paths):
    transformer = make_pipeline(ImageResizer(output_shape=5), PixelScaler())
    batches = list(
        iter_image_batches(photo_paths, batch_size=10, transformer=transformer)
    )
    assert not hasattr(transformer[0], "output_shape_")
    assert batches[0][0].dtype == np.float32
    assert batches[0][1] is None


def test_default_transformer_outputs_224(photo_paths):
    X_batch, _ = next(iter_image_batches(photo_paths[:3], batch_size=2))
    assert X_batch.shape == (2, 224, 224, 3)
    assert X_batch.dtype == np.uint8


def test_decoding_is_lazy(tmp_path, photo_paths):
    missing = str(tmp_path / "missing.png")
    batches = iter_image_batches(
        [*photo_paths[:4], missing], batch_size=2,
        transformer=_identity_resizer(), shuffle=False,
    )
    assert next(batches)[0].shape[0] == 2
    assert next(batches)[0].shape[0] == 2
    with pytest.raises(ValueError, match="Image file not found.*missing.png"):
        next(batches)


@pytest.mark.parametrize("batch_size", [0, -3, 2.5, True])
def test_invalid_batch_size_raises(photo_paths, batch_size):
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        next(iter_image_batches(photo_paths, batch_size=batch_size))


def test_label_count_mismatch_raises(photo_paths):
    with pytest.raises(ValueError, match="y has 3 labels but paths has 23 files"):
        next(iter_image_batches(photo_paths, [0, 1, 2]))


def test_partial_fit_on_streamed_facemask(facemask_dir):
    bunch = load_image_folder(facemask_dir)
    rng = np.random.RandomState(0)
    subset = rng.choice(len(bunch.filenames), size=120, replace=False)
    paths = bunch.filenames[subset]
    y = bunch.target[subset]
    transformer = make_pipeline(
        ImageResizer(output_shape=(24, 24)), Grayscaler(), PixelScaler(), Flattener()
    )
    clf = SGDLogisticRegression(random_state=0)

    shuffle_rng = np.random.RandomState(0)
    for _ in range(3):
        for X_batch, y_batch in iter_image_batches(
            paths, y, batch_size=32, transformer=transformer,
            random_state=shuffle_rng,
        ):
            assert X_batch.shape[0] <= 32
            clf.partial_fit(X_batch, y_batch, classes=np.unique(bunch.target))

    X_all = transformer.fit_transform(list(paths))
    assert clf.n_iter_ == 12
    assert clf.score(X_all, y) > 0.6
