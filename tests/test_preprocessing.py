"""Tests of the image transformers on synthetic images and files."""

import pickle

import numpy as np
import pytest
from PIL import Image
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

from skimgclf.preprocessing import Flattener, Grayscaler, ImageResizer, PixelScaler

TRANSFORMERS = [
    ImageResizer(output_shape=(8, 8)),
    ImageResizer(output_shape=(6, 9), preserve_aspect_ratio=True),
    ImageResizer(output_shape=(5, 5), preserve_aspect_ratio=True, aspect_mode="crop"),
    Grayscaler(),
    PixelScaler(),
    PixelScaler(method="max"),
    Flattener(),
]


@parametrize_with_checks(TRANSFORMERS)
def test_sklearn_compatible_transformer(estimator, check):
    check(estimator)


def _rng(seed=0):
    return np.random.default_rng(seed)


def _photo(height, width, channels=3, dtype=np.uint8, seed=0):
    shape = (height, width) if channels == 1 else (height, width, channels)
    return _rng(seed).integers(0, 256, size=shape).astype(dtype)


# ---------------------------------------------------------------- ImageResizer


def test_resizer_matches_pillow_reference():
    image = _photo(50, 70)
    expected = np.asarray(
        Image.fromarray(image).resize((20, 30), Image.Resampling.BILINEAR)
    )
    result = ImageResizer((30, 20)).fit_transform([image])[0]
    assert result.dtype == np.uint8
    assert np.abs(result.astype(int) - expected.astype(int)).max() <= 1


def test_resizer_ragged_list_uniform_output():
    images = [
        _photo(10, 20, channels=1),
        _photo(30, 5, channels=3, seed=1),
        _photo(1, 1, channels=4, seed=2),
        _photo(1, 40, channels=1, seed=3),
    ]
    result = ImageResizer((12, 12)).fit_transform(images)
    assert result.shape == (4, 12, 12, 3)
    assert result.dtype == np.uint8
    # The grayscale image is replicated into three equal channels.
    np.testing.assert_array_equal(result[0, ..., 0], result[0, ..., 1])
    np.testing.assert_array_equal(result[0, ..., 0], result[0, ..., 2])


def test_resizer_all_grayscale_list_stays_2d_images():
    images = [_photo(10, 20, channels=1), _photo(8, 8, channels=1, seed=1)]
    assert ImageResizer(4).fit_transform(images).shape == (2, 4, 4)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.float32, np.float64])
def test_resizer_same_size_matches_resized_dtype_and_range(dtype):
    rng = _rng()
    if np.issubdtype(dtype, np.integer):
        big = rng.integers(10, 200, size=(64, 64, 3)).astype(dtype)
    else:
        big = rng.uniform(0.1, 0.8, size=(64, 64, 3)).astype(dtype)
    same = big[:32, :32].copy()
    resizer = ImageResizer((32, 32)).fit([big])
    resized = resizer.transform([big])
    untouched = resizer.transform([same])
    assert resized.dtype == untouched.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(untouched[0], same)
    assert resized.min() >= big.min()
    assert resized.max() <= big.max()


@pytest.mark.parametrize("resample", ["bilinear", "bicubic", "lanczos", "box"])
def test_resizer_never_overshoots_input_range(resample):
    # A sharp edge makes lanczos and bicubic ring above and below it.
    image = np.zeros((40, 40), dtype=np.float32)
    image[:, 20:] = 1.0
    result = ImageResizer((17, 13), resample=resample).fit_transform(image[None])
    assert result.min() >= 0.0
    assert result.max() <= 1.0


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.float32])
def test_resizer_constant_image_stays_constant(dtype):
    image = np.full((37, 53, 3), 7, dtype=dtype)
    for shape in [(5, 5), (80, 120)]:
        result = ImageResizer(shape, resample="lanczos").fit_transform([image])
        assert np.all(result == 7)


def test_resizer_one_pixel_images():
    result = ImageResizer((3, 4)).fit_transform([np.array([[9]], dtype=np.uint8)])
    np.testing.assert_array_equal(result, np.full((1, 3, 4), 9, dtype=np.uint8))
    row = np.arange(10, dtype=np.float32)[None, :]
    assert ImageResizer((2, 5)).fit_transform([row]).shape == (1, 2, 5)


def test_resizer_pad_keeps_aspect_and_fills_cval():
    portrait = np.full((100, 50, 3), 200, dtype=np.uint8)
    resizer = ImageResizer((40, 40), preserve_aspect_ratio=True, cval=3)
    result = resizer.fit_transform([portrait])[0]
    # 100x50 scaled by 0.4 is 40x20, centred with 10 padded columns each side.
    assert np.all(result[:, :10] == 3)
    assert np.all(result[:, 30:] == 3)
    assert np.all(result[:, 10:30] == 200)


@pytest.mark.parametrize("cval", [300, -1, 7.6])
def test_resizer_rejects_cval_outside_uint8(cval):
    resizer = ImageResizer((8, 8), preserve_aspect_ratio=True, cval=cval)
    with pytest.raises(ValueError, match=f"cval={cval} is not a value of the uint8 output"):
        resizer.fit_transform([np.zeros((4, 8), dtype=np.uint8)])


def test_resizer_crop_keeps_centre():
    image = np.zeros((100, 50), dtype=np.uint8)
    # The crop keeps rows 25-75; the filter also reads a few rows beyond them.
    image[15:85] = 255
    resizer = ImageResizer((10, 10), preserve_aspect_ratio=True, aspect_mode="crop")
    result = resizer.fit_transform(image[None])[0]
    assert np.all(result == 255)


def test_resizer_alpha_rules():
    rgba = np.zeros((4, 4, 4), dtype=np.uint8)
    rgba[..., 0] = 255
    rgba[:, :2, 3] = 255
    composite = ImageResizer(4, alpha="composite").fit_transform([rgba])[0]
    np.testing.assert_array_equal(composite[:, :2], [[[255, 0, 0]] * 2] * 4)
    np.testing.assert_array_equal(composite[:, 2:], np.full((4, 2, 3), 255))
    dropped = ImageResizer(4, alpha="drop").fit_transform([rgba])[0]
    np.testing.assert_array_equal(dropped[:, 2:, 0], np.full((4, 2), 255))
    np.testing.assert_array_equal(dropped[:, 2:, 1], np.zeros((4, 2)))
    kept = ImageResizer(4, alpha="keep").fit_transform([rgba, _photo(4, 4, 1)])
    assert kept.shape == (2, 4, 4, 4)
    assert np.all(kept[1, ..., 3] == 255)


def test_resizer_mixed_dtypes_follow_rule():
    eight = np.full((4, 4), 255, dtype=np.uint8)
    sixteen = np.full((4, 4), 1000, dtype=np.uint16)
    both = ImageResizer(4).fit_transform([eight, sixteen])
    assert both.dtype == np.uint16
    assert np.all(both[0] == 65535)
    assert np.all(both[1] == 1000)
    with_float = ImageResizer(4).fit_transform([eight, np.full((4, 4), 0.5, np.float32)])
    assert with_float.dtype == np.float32
    np.testing.assert_allclose(with_float[0], 1.0)
    np.testing.assert_allclose(with_float[1], 0.5)


def test_resizer_flat_input_round_trip_shape():
    X = _rng().uniform(size=(3, 2 * 3 * 3))
    result = ImageResizer((4, 5), image_shape=(2, 3, 3)).fit_transform(X)
    assert result.shape == (3, 4 * 5 * 3)
    assert result.dtype == np.float64


def test_resizer_batch_input_matches_list_input():
    batch = _rng().integers(0, 256, size=(3, 20, 30, 3)).astype(np.uint8)
    resizer = ImageResizer((7, 9))
    np.testing.assert_array_equal(
        resizer.fit_transform(batch), resizer.fit_transform(list(batch))
    )


def test_resizer_threads_match_single_thread():
    images = [_photo(20 + i, 30 + 2 * i, seed=i) for i in range(12)]
    single = ImageResizer((16, 16), n_jobs=1).fit_transform(images)
    threaded = ImageResizer((16, 16), n_jobs=2).fit_transform(images)
    np.testing.assert_array_equal(single, threaded)


def test_resizer_does_not_modify_inputs():
    images = [_photo(10, 10, channels=4), _photo(5, 8, channels=1, seed=1)]
    copies = [image.copy() for image in images]
    ImageResizer(6).fit_transform(images)
    for image, copy in zip(images, copies):
        np.testing.assert_array_equal(image, copy)


def test_resizer_reads_memory_mapped_input(tmp_path):
    batch = _rng().integers(0, 256, size=(4, 12, 12, 3)).astype(np.uint8)
    path = tmp_path / "batch.npy"
    np.save(path, batch)
    mapped = np.load(path, mmap_mode="r")
    np.testing.assert_array_equal(
        ImageResizer(6).fit_transform(mapped), ImageResizer(6).fit_transform(batch)
    )


# ------------------------------------------------------------ file decoding


def test_resizer_decodes_pil_images_and_paths(tmp_path):
    image = _photo(30, 20)
    path = tmp_path / "photo.png"
    Image.fromarray(image).save(path)
    resizer = ImageResizer((10, 10))
    from_array = resizer.fit_transform([image])
    from_pil = resizer.fit_transform([Image.fromarray(image)])
    from_path = resizer.fit_transform([path])
    from_str = resizer.fit_transform([str(path)])
    np.testing.assert_array_equal(from_array, from_pil)
    np.testing.assert_array_equal(from_array, from_path)
    np.testing.assert_array_equal(from_array, from_str)


def test_resizer_accepts_array_of_paths(tmp_path):
    paths = []
    for index in range(3):
        path = tmp_path / f"photo{index}.png"
        Image.fromarray(_photo(10 + index, 12, seed=index)).save(path)
        paths.append(str(path))
    expected = ImageResizer((6, 6)).fit_transform(paths)
    for array in (np.array(paths), np.array(paths, dtype=object)):
        np.testing.assert_array_equal(ImageResizer((6, 6)).fit_transform(array), expected)


def test_resizer_channels_fixed_at_fit():
    color = [_photo(10, 10, channels=3)]
    gray = [_photo(10, 10, channels=1, seed=1)]
    resizer = ImageResizer((4, 4)).fit(color)
    assert resizer.n_channels_ == 3
    assert resizer.transform(gray).shape == (1, 4, 4, 3)
    gray_resizer = ImageResizer((4, 4)).fit(gray)
    assert gray_resizer.n_channels_ == 1
    result = gray_resizer.transform(color)
    assert result.shape == (1, 4, 4)
    expected = Grayscaler().fit_transform(ImageResizer((4, 4)).fit_transform(color))
    assert np.abs(result.astype(int) - expected.astype(int)).max() <= 1


def test_decode_applies_exif_orientation(tmp_path):
    image = Image.new("RGB", (40, 20), (255, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # Rotated 90 degrees: displayed as 20 wide, 40 high.
    path = tmp_path / "rotated.jpg"
    image.save(path, exif=exif)
    result = ImageResizer((20, 20), preserve_aspect_ratio=True).fit_transform([path])
    # Displayed 20 wide by 40 high, the photo fits 20x20 as 10 columns with
    # 5 black columns on each side. Unrotated, it would be padded by rows.
    assert result.shape == (1, 20, 20, 3)
    assert np.all(result[0, :, :5] == 0)
    assert np.all(result[0, :, 15:] == 0)
    assert np.all(result[0, :, 6:14, 0] > 200)


def test_decode_palette_and_cmyk_become_rgb(tmp_path):
    palette = Image.new("P", (8, 8))
    palette.putpalette([0, 0, 255] * 256)
    cmyk = Image.new("CMYK", (8, 8), (255, 0, 0, 0))
    palette.save(tmp_path / "palette.png")
    cmyk.save(tmp_path / "cmyk.jpg")
    result = ImageResizer(8).fit_transform(
        [tmp_path / "palette.png", tmp_path / "cmyk.jpg"]
    )
    assert result.shape == (2, 8, 8, 3)
    np.testing.assert_array_equal(result[0, 0, 0], [0, 0, 255])
    # Pure cyan in CMYK.
    assert result[1, 0, 0, 0] < 30
    assert result[1, 0, 0, 1] > 220


def test_decode_16_bit_png_keeps_precision(tmp_path):
    values = np.arange(64, dtype=np.uint16).reshape(8, 8) * 1000 + 7
    path = tmp_path / "deep.png"
    Image.fromarray(values).save(path)
    result = ImageResizer(8).fit_transform([path])
    assert result.dtype == np.uint16
    np.testing.assert_array_equal(result[0], values)


def test_decode_truncated_file_names_file(tmp_path):
    good = tmp_path / "good.jpg"
    Image.fromarray(_photo(64, 64)).save(good, quality=90)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(good.read_bytes()[:300])
    with pytest.raises(ValueError, match="broken.jpg.*truncated or corrupt"):
        ImageResizer(8).fit_transform([good, broken])


def test_decode_not_an_image_names_file(tmp_path):
    text = tmp_path / "notes.jpg"
    text.write_text("not an image")
    with pytest.raises(ValueError, match="notes.jpg.*does not recognise its format"):
        ImageResizer(8).fit_transform([text])


def test_decode_missing_path_and_directory(tmp_path):
    with pytest.raises(ValueError, match="Image file not found: .*absent.png"):
        ImageResizer(8).fit_transform([tmp_path / "absent.png"])
    with pytest.raises(ValueError, match="is a directory"):
        ImageResizer(8).fit_transform([tmp_path])


# ------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "transformer", [ImageResizer(4), Grayscaler(), PixelScaler(), Flattener()]
)
class TestBadInput:
    def test_nan_and_inf_in_batch(self, transformer):
        X = np.zeros((2, 4, 4), dtype=np.float32)
        X[1, 2, 2] = np.nan
        with pytest.raises(ValueError, match="Input X contains NaN"):
            clone(transformer).fit_transform(X)
        X[1, 2, 2] = np.inf
        with pytest.raises(ValueError, match="Input X contains infinity"):
            clone(transformer).fit_transform(X)

    def test_nan_in_list_item(self, transformer):
        image = np.ones((4, 4), dtype=np.float64)
        image[0, 0] = np.nan
        with pytest.raises(ValueError, match="Item 1 of X contains NaN or infinity"):
            clone(transformer).fit_transform([np.ones((4, 4)), image])

    def test_empty_list(self, transformer):
        with pytest.raises(ValueError, match="X is an empty list"):
            clone(transformer).fit([])

    @pytest.mark.parametrize("n_channels", [2, 5])
    def test_bad_channel_count(self, transformer, n_channels):
        X = np.zeros((2, 4, 4, n_channels), dtype=np.uint8)
        with pytest.raises(ValueError, match=f"has {n_channels} channels.*1 .*3 .*or 4"):
            clone(transformer).fit_transform(X)

    def test_five_dimensional_array(self, transformer):
        with pytest.raises(ValueError, match="got a 5-D array of shape"):
            clone(transformer).fit(np.zeros((2, 3, 4, 4, 3)))

    def test_object_arrays(self, transformer):
        ragged = np.empty(2, dtype=object)
        ragged[0] = np.zeros((3, 3))
        ragged[1] = np.zeros((4, 4))
        with pytest.raises(TypeError, match="1-D array of objects.*list\\(X\\)"):
            clone(transformer).fit(ragged)
        words = np.array([["a", "b"], ["c", "d"]], dtype=object)
        with pytest.raises((TypeError, ValueError), match="could not convert|number"):
            clone(transformer).fit(words)

    def test_mixed_list(self, transformer):
        with pytest.raises(TypeError, match="Item 1 of X is of type int"):
            clone(transformer).fit([np.zeros((3, 3)), 5])
        with pytest.raises(TypeError, match="Item 0 of X is of type list"):
            clone(transformer).fit([[0, 1, 2], np.zeros((3, 3))])


# --------------------------------------------------------------- Grayscaler


def test_grayscaler_matches_pillow_luminance():
    image = _photo(16, 16)
    expected = np.asarray(Image.fromarray(image).convert("L"))
    result = Grayscaler().fit_transform(image[None])[0]
    assert result.dtype == np.uint8
    assert np.abs(result.astype(int) - expected.astype(int)).max() <= 1


def test_grayscaler_bt709_matches_skimage():
    from skimage.color import rgb2gray

    image = _rng().uniform(size=(1, 8, 8, 3))
    result = Grayscaler(weights="bt709").fit_transform(image)[0]
    np.testing.assert_allclose(result, rgb2gray(image[0]), atol=2e-4)


def test_grayscaler_passes_grayscale_through():
    batch = _rng().uniform(size=(2, 5, 3)).astype(np.float32)
    np.testing.assert_array_equal(Grayscaler().fit_transform(batch), batch)
    with_axis = batch[..., None]
    np.testing.assert_array_equal(Grayscaler().fit_transform(with_axis), with_axis)


def test_grayscaler_rgba_composite_on_white():
    rgba = np.zeros((1, 2, 2, 4), dtype=np.uint8)
    result = Grayscaler().fit_transform(rgba)
    np.testing.assert_array_equal(result, np.full((1, 2, 2), 255, dtype=np.uint8))
    dropped = Grayscaler(alpha="drop").fit_transform(rgba)
    np.testing.assert_array_equal(dropped, np.zeros((1, 2, 2), dtype=np.uint8))


def test_grayscaler_list_returns_list_of_2d_images():
    images = [_photo(5, 6), _photo(3, 3, channels=1)]
    result = Grayscaler().fit_transform(images)
    assert isinstance(result, list)
    assert [image.shape for image in result] == [(5, 6), (3, 3)]


def test_grayscaler_flat_input_with_channels():
    X = _rng().uniform(size=(2, 4 * 4 * 3))
    result = Grayscaler(image_shape=(4, 4, 3)).fit_transform(X)
    assert result.shape == (2, 16)
    expected = X.reshape(2, 4, 4, 3) @ np.array([0.299, 0.587, 0.114])
    np.testing.assert_allclose(result, expected.reshape(2, 16))


# -------------------------------------------------------------- PixelScaler


@pytest.mark.parametrize(
    "dtype, expected_scale", [(np.uint8, 255.0), (np.uint16, 65535.0)]
)
def test_pixel_scaler_dtype_rule(dtype, expected_scale):
    X = np.array([[0, 1, 2, 3]], dtype=dtype)
    scaler = PixelScaler().fit(X)
    assert scaler.scale_ == expected_scale
    result = scaler.transform(X)
    assert result.dtype == np.float32
    np.testing.assert_allclose(result, X / expected_scale, rtol=1e-6)


def test_pixel_scaler_scale_travels_through_float_steps():
    X = _rng().integers(0, 256, size=(4, 8, 8, 3)).astype(np.uint8)
    as_float = ImageResizer((8, 8)).fit_transform(X).astype(np.float32)
    assert PixelScaler().fit(as_float).scale_ == 255.0
    already_unit = as_float / 255
    assert PixelScaler().fit(already_unit).scale_ == 1.0


def test_pixel_scaler_max_method_and_out_of_range():
    X = np.array([[0.0, 50.0, 100.0]])
    np.testing.assert_allclose(PixelScaler(method="max").fit_transform(X), [[0, 0.5, 1]])
    with pytest.raises(ValueError, match="values up to 70000.*method='max'"):
        PixelScaler().fit(np.array([[0.0, 70000.0]]))


def test_pixel_scaler_never_divides_in_place():
    X = np.array([[0.0, 100.0, 200.0]], dtype=np.float32)
    before = X.copy()
    result = PixelScaler().fit_transform(X)
    np.testing.assert_array_equal(X, before)
    assert not np.shares_memory(result, X)


def test_pixel_scaler_list_of_paths(tmp_path):
    path = tmp_path / "a.png"
    Image.fromarray(np.full((3, 3), 51, dtype=np.uint8)).save(path)
    scaler = PixelScaler().fit([path])
    assert scaler.scale_ == 255.0
    np.testing.assert_allclose(scaler.transform([path])[0], 0.2)


# ---------------------------------------------------------------- Flattener


def test_flattener_c_order_names_and_inverse():
    X = _rng().integers(0, 9, size=(2, 3, 4, 3))
    flattener = Flattener().fit(X)
    flat = flattener.transform(X)
    np.testing.assert_array_equal(flat, X.reshape(2, -1))
    names = flattener.get_feature_names_out()
    assert names[0] == "pixel_0_0_0"
    assert names[5] == "pixel_0_1_2"
    assert names[-1] == "pixel_2_3_2"
    np.testing.assert_array_equal(flattener.inverse_transform(flat), X)


def test_flattener_rejects_other_shape():
    flattener = Flattener().fit(np.zeros((2, 4, 4)))
    with pytest.raises(ValueError, match=r"shape \(5, 5\).*fitted on images of shape \(4, 4\)"):
        flattener.transform(np.zeros((2, 5, 5)))
    with pytest.raises(ValueError, match="Item 1 of X has images of shape"):
        flattener.transform([np.zeros((4, 4)), np.zeros((3, 3))])


def test_set_output_pandas_on_flat_pipeline():
    pd = pytest.importorskip("pandas")
    from sklearn.pipeline import make_pipeline

    X = _rng().integers(0, 256, size=(3, 36)).astype(np.uint8)
    pipeline = make_pipeline(ImageResizer((4, 4)), PixelScaler(), Flattener())
    pipeline.set_output(transform="pandas")
    result = pipeline.fit_transform(X)
    assert isinstance(result, pd.DataFrame)
    assert list(result.columns[:2]) == ["pixel_0_0", "pixel_0_1"]
    # Image batches are not DataFrames, so they pass through unwrapped.
    batch = ImageResizer(4).set_output(transform="pandas").fit_transform(X.reshape(3, 6, 6))
    assert isinstance(batch, np.ndarray)


@pytest.mark.parametrize(
    "transformer", [ImageResizer(4), Grayscaler(), PixelScaler(), Flattener()]
)
def test_pickle_and_clone_keep_behaviour(transformer):
    X = _rng().integers(0, 256, size=(3, 8, 8, 3)).astype(np.uint8)
    fitted = clone(transformer).fit(X)
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.transform(X), fitted.transform(X))
    assert clone(fitted).get_params() == fitted.get_params()


def test_single_image_without_list_rejected(tmp_path):
    path = tmp_path / "one.png"
    Image.fromarray(_photo(6, 6)).save(path)
    for single in (Image.open(path), path, str(path)):
        with pytest.raises(TypeError, match=r"single image.*Pass a list with one image"):
            ImageResizer(4).fit(single)
    for scalar in (None, 3, {"a": 1}):
        with pytest.raises(TypeError, match="X must be an array of images or a list"):
            Grayscaler().fit(scalar)


def test_resizer_keeps_float64_range_and_precision():
    huge = np.full((1, 5, 5), 1e300)
    np.testing.assert_array_equal(ImageResizer(3).fit_transform(huge), np.full((1, 3, 3), 1e300))
    close = 1.0 + 1e-12 * np.arange(16, dtype=np.float64).reshape(1, 4, 4)
    result = ImageResizer(4, resample="nearest").fit_transform(close)
    assert len(np.unique(result)) == 16


def test_pixel_scaler_mixed_list_uses_each_dtype():
    images = [np.full((2, 2), 255, dtype=np.uint8), np.full((2, 2), 65535, dtype=np.uint16)]
    result = PixelScaler().fit_transform(images)
    np.testing.assert_allclose(result[0], 1.0)
    np.testing.assert_allclose(result[1], 1.0)


def test_pipeline_feature_names_after_image_batch():
    from sklearn.pipeline import make_pipeline

    X = _rng().integers(0, 256, size=(3, 10, 10, 3)).astype(np.uint8)
    pipeline = make_pipeline(ImageResizer((4, 4)), Grayscaler(), PixelScaler(), Flattener())
    pipeline.fit(X)
    names = pipeline.get_feature_names_out()
    assert len(names) == 16
    assert names[0] == "pixel_0_0"
    assert names[-1] == "pixel_3_3"


def test_grayscale_with_alpha_file_through_pipeline(tmp_path):
    path = tmp_path / "la.png"
    Image.new("LA", (5, 4), (80, 255)).save(path)
    assert PixelScaler().fit_transform([path])[0].shape == (4, 5, 4)
    flat = Flattener().fit_transform([path])
    assert flat.shape == (1, 5 * 4 * 4)
    gray = Grayscaler().fit_transform([path])[0]
    np.testing.assert_array_equal(gray, np.full((4, 5), 80, dtype=np.uint8))


def test_grayscaler_output_is_not_input():
    batch = np.zeros((2, 3, 3), dtype=np.uint8)
    result = Grayscaler().fit_transform(batch)
    result[0, 0, 0] = 9
    assert batch[0, 0, 0] == 0


def test_resizer_rejects_bool_output_shape():
    with pytest.raises(ValueError, match="output_shape must be a positive int"):
        ImageResizer(True).fit(np.zeros((1, 4, 4)))


def test_series_of_paths_accepted(tmp_path):
    pd = pytest.importorskip("pandas")
    path = tmp_path / "p.png"
    Image.fromarray(_photo(6, 6)).save(path)
    result = ImageResizer(3).fit_transform(pd.Series([str(path), str(path)]))
    assert result.shape == (2, 3, 3, 3)
