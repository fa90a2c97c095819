"""Tests of skimgclf.datasets on the real files and on small copies in tmp_path."""

import functools
import gzip
import hashlib
import http.server
import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from skimgclf.datasets import (
    get_data_home,
    group_train_test_split,
    load_digits_images,
    load_fashion_mnist,
    load_image_folder,
    load_lfw_subset,
)
from skimgclf.datasets import _fashion_mnist

FASHION_CLASSES = [
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
]
TEST_FILES = ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
OFFICIAL_GZ_MD5 = {
    "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
    "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
    "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
}


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path, monkeypatch):
    """Keep the user's data folders and download address out of the tests.

    With no base_url and no address in the environment the loader downloads
    nothing, so only tests that pass a loopback base_url reach the network.
    """
    monkeypatch.setattr(_fashion_mnist, "SYSTEM_FOLDERS", ())
    monkeypatch.delenv("SKIMGCLF_DATA", raising=False)
    monkeypatch.delenv("SKIMGCLF_FASHION_MNIST_URL", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def md5_of(path):
    return hashlib.md5(Path(path).read_bytes()).hexdigest()


def link_test_files(source, destination):
    """Symlink the two test-subset files of ``source`` into ``destination``."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in TEST_FILES:
        (destination / name).symlink_to(source / name)
    return destination


# Fashion-MNIST on the real files


def test_fashion_mnist_gz_files_match_official_md5(fashion_mnist_dir):
    for name, expected in OFFICIAL_GZ_MD5.items():
        assert md5_of(fashion_mnist_dir / name) == expected, name


def test_fashion_mnist_train_shapes_and_counts(fashion_mnist_dir):
    fashion = load_fashion_mnist(data_home=fashion_mnist_dir)

    assert fashion.images.shape == (60000, 28, 28)
    assert fashion.images.dtype == np.uint8
    assert fashion.data.shape == (60000, 784)
    assert np.shares_memory(fashion.data, fashion.images)
    assert fashion.target.dtype == np.int64
    assert np.bincount(fashion.target).tolist() == [6000] * 10
    assert fashion.target_names.tolist() == FASHION_CLASSES
    assert fashion.target_names[fashion.target[0]] == "Ankle boot"
    assert "Fashion-MNIST" in fashion.DESCR


def test_fashion_mnist_test_subset_counts(fashion_mnist_dir):
    fashion = load_fashion_mnist(subset="test", data_home=fashion_mnist_dir)

    assert fashion.images.shape == (10000, 28, 28)
    assert np.bincount(fashion.target).tolist() == [1000] * 10
    assert fashion.images.flags.writeable


def test_fashion_mnist_all_puts_train_first(fashion_mnist_dir):
    fashion = load_fashion_mnist(subset="all", data_home=fashion_mnist_dir)
    test = load_fashion_mnist(subset="test", data_home=fashion_mnist_dir)

    assert fashion.images.shape == (70000, 28, 28)
    assert np.bincount(fashion.target).tolist() == [7000] * 10
    np.testing.assert_array_equal(fashion.images[60000:], test.images)
    np.testing.assert_array_equal(fashion.target[60000:], test.target)


def test_fashion_mnist_return_X_y(fashion_mnist_dir):
    X, y = load_fashion_mnist(
        subset="test", data_home=fashion_mnist_dir, return_X_y=True
    )

    assert X.shape == (10000, 784)
    assert X.dtype == np.uint8
    assert y.shape == (10000,)


def test_fashion_mnist_data_home_parent_folder(fashion_mnist_dir):
    fashion = load_fashion_mnist(subset="test", data_home=fashion_mnist_dir.parent)
    assert fashion.images.shape == (10000, 28, 28)


def test_fashion_mnist_environment_variable(fashion_mnist_dir, monkeypatch):
    monkeypatch.setenv("SKIMGCLF_DATA", str(fashion_mnist_dir.parent))
    fashion = load_fashion_mnist(subset="test")
    assert fashion.images.shape == (10000, 28, 28)


def test_fashion_mnist_debian_copy_loads(fashion_mnist_dir, tmp_path, monkeypatch):
    """A copy recompressed with another gzip header, as Debian ships it."""
    system_folder = tmp_path / "usr-share-datasets-fashion-mnist"
    system_folder.mkdir()
    for name in TEST_FILES:
        content = gzip.decompress((fashion_mnist_dir / name).read_bytes())
        recompressed = gzip.compress(content, compresslevel=1, mtime=1591315200)
        (system_folder / name).write_bytes(recompressed)
        assert md5_of(system_folder / name) != OFFICIAL_GZ_MD5[name]
    monkeypatch.setattr(_fashion_mnist, "SYSTEM_FOLDERS", (system_folder,))

    debian = load_fashion_mnist(subset="test", download_if_missing=False)
    official = load_fashion_mnist(subset="test", data_home=fashion_mnist_dir)

    np.testing.assert_array_equal(debian.images, official.images)
    np.testing.assert_array_equal(debian.target, official.target)


def labels_content(fashion_mnist_dir):
    compressed = (fashion_mnist_dir / "t10k-labels-idx1-ubyte.gz").read_bytes()
    return gzip.decompress(compressed)


def corrupt_truncated_gzip(content):
    compressed = gzip.compress(content)
    return compressed[: len(compressed) // 2]


def corrupt_one_label(content):
    changed = bytearray(content)
    changed[100] = (changed[100] + 1) % 10
    return gzip.compress(bytes(changed))


def corrupt_magic(content):
    return gzip.compress((2051).to_bytes(4, "big") + content[4:])


def corrupt_short_content(content):
    return gzip.compress(content[:5000])


def corrupt_extra_content(content):
    return gzip.compress(content + b"\x00")


def corrupt_not_gzip(content):
    return b"this is not a gzip file" * 10


@pytest.mark.parametrize(
    "corrupt, message",
    [
        (corrupt_truncated_gzip, "not a valid gzip file or is truncated"),
        (corrupt_one_label, "MD5"),
        (corrupt_magic, "magic number 2051, expected 2049"),
        (corrupt_short_content, "is truncated: it decompresses to 5000 bytes"),
        (corrupt_extra_content, "more than the 10008 bytes"),
        (corrupt_not_gzip, "not a valid gzip file"),
    ],
)
def test_fashion_mnist_corrupted_file_raises(
    fashion_mnist_dir, tmp_path, corrupt, message
):
    folder = link_test_files(fashion_mnist_dir, tmp_path / "data")
    labels = folder / "t10k-labels-idx1-ubyte.gz"
    labels.unlink()
    labels.write_bytes(corrupt(labels_content(fashion_mnist_dir)))

    with pytest.raises(OSError, match="t10k-labels-idx1-ubyte.gz") as error:
        load_fashion_mnist(subset="test", data_home=folder, download_if_missing=False)
    assert message in str(error.value)


def test_fashion_mnist_corrupted_copy_is_not_bypassed(
    fashion_mnist_dir, tmp_path, monkeypatch
):
    """A bad file in data_home raises even when a good copy comes later."""
    folder = link_test_files(fashion_mnist_dir, tmp_path / "data")
    labels = folder / "t10k-labels-idx1-ubyte.gz"
    labels.unlink()
    labels.write_bytes(corrupt_one_label(labels_content(fashion_mnist_dir)))
    monkeypatch.setenv("SKIMGCLF_DATA", str(fashion_mnist_dir))

    with pytest.raises(OSError, match=r"t10k-labels-idx1-ubyte.gz decompresses .* MD5"):
        load_fashion_mnist(subset="test", data_home=folder)


def test_fashion_mnist_offline_missing_message(tmp_path):
    data_home = tmp_path / "empty"
    pattern = (
        r"not found: t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz\. "
        r".* into " + str(data_home / "fashion-mnist")
    )
    with pytest.raises(FileNotFoundError, match=pattern):
        load_fashion_mnist(
            subset="test", data_home=data_home, download_if_missing=False
        )
    assert not data_home.exists()


def test_fashion_mnist_partial_folder(fashion_mnist_dir, tmp_path):
    """Only the missing file of a subset is reported."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "t10k-images-idx3-ubyte.gz").symlink_to(
        fashion_mnist_dir / "t10k-images-idx3-ubyte.gz"
    )
    pattern = r"not found: t10k-labels-idx1-ubyte.gz\."
    with pytest.raises(FileNotFoundError, match=pattern):
        load_fashion_mnist(subset="test", data_home=folder, download_if_missing=False)


@pytest.mark.parametrize(
    "params, error, message",
    [
        ({"subset": "val"}, ValueError, "subset must be 'train', 'test' or 'all'"),
        ({"return_X_y": "yes"}, TypeError, "return_X_y must be True or False"),
        ({"download_if_missing": 1}, TypeError, "download_if_missing must be True"),
        ({"base_url": 8000}, TypeError, "base_url must be a str or None"),
        ({"data_home": 3}, TypeError, "data_home must be a str, a path-like object"),
    ],
)
def test_fashion_mnist_invalid_parameters(params, error, message):
    with pytest.raises(error, match=message):
        load_fashion_mnist(**params)


# Fashion-MNIST downloads from a server on loopback


class RecordingHandler(http.server.SimpleHTTPRequestHandler):
    """File server that records request paths instead of logging them."""

    def log_message(self, format, *args):
        self.server.requested_paths.append(self.path)


@pytest.fixture
def serve_folder():
    """Start an HTTP server on 127.0.0.1 for a folder and stop it after the test."""
    servers = []

    def start(folder):
        handler = functools.partial(RecordingHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.requested_paths = []
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        servers.append((server, thread))
        return server, f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join()


def test_fashion_mnist_download(fashion_mnist_dir, tmp_path, serve_folder):
    server, url = serve_folder(fashion_mnist_dir)
    data_home = tmp_path / "downloads"

    fashion = load_fashion_mnist(subset="test", data_home=data_home, base_url=url)

    folder = data_home / "fashion-mnist"
    assert sorted(os.listdir(folder)) == sorted(TEST_FILES)
    for name in TEST_FILES:
        assert md5_of(folder / name) == OFFICIAL_GZ_MD5[name]
    assert sorted(server.requested_paths) == sorted("/" + name for name in TEST_FILES)
    official = load_fashion_mnist(subset="test", data_home=fashion_mnist_dir)
    np.testing.assert_array_equal(fashion.images, official.images)

    # A second call reads the downloaded files and makes no request.
    load_fashion_mnist(subset="test", data_home=data_home, base_url=url)
    assert len(server.requested_paths) == 2


def test_fashion_mnist_download_named_folder(fashion_mnist_dir, tmp_path, serve_folder):
    """A data_home named fashion-mnist receives the files itself."""
    _, url = serve_folder(fashion_mnist_dir)
    data_home = tmp_path / "fashion-mnist"

    load_fashion_mnist(subset="test", data_home=data_home, base_url=url)

    assert sorted(os.listdir(data_home)) == sorted(TEST_FILES)


def test_fashion_mnist_download_corrupted(fashion_mnist_dir, tmp_path, serve_folder):
    served = link_test_files(fashion_mnist_dir, tmp_path / "served")
    labels = served / "t10k-labels-idx1-ubyte.gz"
    labels.unlink()
    labels.write_bytes(corrupt_one_label(labels_content(fashion_mnist_dir)))
    _, url = serve_folder(served)
    data_home = tmp_path / "downloads"

    pattern = r"downloaded from .*t10k-labels-idx1-ubyte.gz is invalid"
    with pytest.raises(OSError, match=pattern):
        load_fashion_mnist(subset="test", data_home=data_home, base_url=url)
    # The good images file stays, the bad labels file and its partial copy do not.
    assert os.listdir(data_home / "fashion-mnist") == ["t10k-images-idx3-ubyte.gz"]


def test_fashion_mnist_download_not_found(tmp_path, serve_folder):
    empty = tmp_path / "served"
    empty.mkdir()
    _, url = serve_folder(empty)
    data_home = tmp_path / "downloads"

    pattern = r"Downloading .*t10k-images-idx3-ubyte.gz failed .*404"
    with pytest.raises(OSError, match=pattern):
        load_fashion_mnist(subset="test", data_home=data_home, base_url=url)
    assert os.listdir(data_home / "fashion-mnist") == []


def test_fashion_mnist_download_folder_not_writable(tmp_path, serve_folder):
    served = tmp_path / "served"
    served.mkdir()
    _, url = serve_folder(served)
    # A folder below a regular file cannot be created, even by root.
    blocker = tmp_path / "a-file"
    blocker.write_text("")

    pattern = r"Cannot write to the download folder .*a-file.* writable folder"
    with pytest.raises(OSError, match=pattern):
        load_fashion_mnist(subset="test", data_home=blocker / "data", base_url=url)


def test_fashion_mnist_no_download_without_address(tmp_path):
    pattern = r"not found: .*base_url='http://fashion-mnist.*SKIMGCLF_FASHION_MNIST_URL"
    with pytest.raises(FileNotFoundError, match=pattern):
        load_fashion_mnist(subset="test", data_home=tmp_path / "empty")


def test_fashion_mnist_address_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SKIMGCLF_FASHION_MNIST_URL", "http://127.0.0.1:9/")
    # The address is taken from the environment, so the download is tried
    # and fails on the closed loopback port.
    with pytest.raises(OSError, match="127.0.0.1:9"):
        load_fashion_mnist(subset="test", data_home=tmp_path / "empty")


def test_fashion_mnist_default_url_is_zalando():
    # The package-level name is bound at import, before the autouse fixture
    # redirects the module attribute to loopback.
    from skimgclf.datasets import FASHION_MNIST_URL

    zalando = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
    assert FASHION_MNIST_URL == zalando


# get_data_home


def test_get_data_home_order(tmp_path, monkeypatch):
    assert get_data_home(tmp_path / "given") == tmp_path / "given"
    assert get_data_home() == tmp_path / "home" / "skimgclf_data"
    monkeypatch.setenv("SKIMGCLF_DATA", str(tmp_path / "from-env"))
    assert get_data_home() == tmp_path / "from-env"
    assert get_data_home("~/other") == tmp_path / "home" / "other"
    assert not (tmp_path / "from-env").exists()


# load_image_folder on the real face-mask photos


@pytest.fixture(scope="module")
def facemask(facemask_dir):
    return load_image_folder(facemask_dir)


@pytest.fixture(scope="module")
def facemask_md5(facemask):
    return [md5_of(name) for name in facemask.filenames]


def test_image_folder_facemask_counts(facemask):
    assert len(facemask.filenames) == 1376
    assert facemask.target_names.tolist() == ["with_mask", "without_mask"]
    assert np.bincount(facemask.target).tolist() == [690, 686]
    assert facemask.skipped == []
    assert facemask.data is facemask.filenames
    assert "images" not in facemask
    assert all(name.endswith(".jpg") for name in facemask.filenames)


def test_image_folder_facemask_duplicates(facemask, facemask_md5):
    assert len(facemask.duplicates) == 66
    assert sum(len(paths) - 1 for paths in facemask.duplicates) == 97
    assert len(np.unique(facemask.groups)) == 1376 - 97

    # Two files share a group id exactly when their contents are equal.
    group_of_md5 = {}
    for group, digest in zip(facemask.groups, facemask_md5):
        assert group_of_md5.setdefault(digest, group) == group
    assert len(group_of_md5) == len(np.unique(facemask.groups))

    for paths in facemask.duplicates:
        assert len({Path(path).parent.name for path in paths}) == 1, paths
        assert len({md5_of(path) for path in paths}) == 1, paths


def test_group_split_facemask_keeps_copies_together(facemask, facemask_md5):
    indices = np.arange(len(facemask.filenames))
    train, test, y_train, y_test = group_train_test_split(
        indices,
        facemask.target,
        groups=facemask.groups,
        test_size=0.2,
        stratify=facemask.target,
        random_state=0,
    )

    train_md5 = {facemask_md5[index] for index in train}
    test_md5 = {facemask_md5[index] for index in test}
    assert train_md5.isdisjoint(test_md5)
    assert len(train) + len(test) == 1376
    assert abs(len(test) / 1376 - 0.2) < 0.02
    overall = np.bincount(facemask.target) / 1376
    assert np.abs(np.bincount(y_test) / len(y_test) - overall).max() < 0.02
    assert np.abs(np.bincount(y_train) / len(y_train) - overall).max() < 0.02


@pytest.fixture(scope="module")
def facemask_decoded(facemask_dir):
    return load_image_folder(facemask_dir, decode=True, image_shape=(24, 20, 3))


def test_image_folder_facemask_decode(facemask_decoded):
    assert facemask_decoded.images.shape == (1376, 24, 20, 3)
    assert facemask_decoded.images.dtype == np.uint8
    assert facemask_decoded.data is facemask_decoded.images
    assert facemask_decoded.images.std() > 10


def test_image_folder_decode_matches_image_resizer(facemask_decoded):
    from skimgclf.preprocessing import ImageResizer

    names = list(facemask_decoded.filenames[::20])
    resized = ImageResizer(output_shape=(24, 20)).fit_transform(names)

    decoded = facemask_decoded.images[::20]
    np.testing.assert_array_equal(decoded, resized)


# load_image_folder on small folders in tmp_path


def save_image(path, size=(8, 6), shade=100, mode="RGB", fmt=None, **options):
    path.parent.mkdir(parents=True, exist_ok=True)
    color = shade if mode == "L" else (shade,) * len(mode)
    Image.new(mode, size, color).save(path, format=fmt, **options)
    return path


@pytest.fixture
def messy_folder(tmp_path):
    """Two classes with every kind of entry that the loader must handle."""
    root = tmp_path / "photos"
    save_image(root / "cat" / "a.png", shade=10)
    save_image(root / "cat" / "b.JPG", shade=20, fmt="JPEG")
    save_image(root / "cat" / "c.jpeg", shade=30, fmt="JPEG")
    save_image(root / "dog" / "a.png", shade=200)
    save_image(root / "dog" / "nested" / "d.png", shade=210)
    (root / "dog" / "copy.png").write_bytes((root / "dog" / "a.png").read_bytes())
    (root / "dog" / "broken.jpg").write_text("not an image")
    (root / "dog" / "notes.txt").write_text("labels were checked")
    (root / "dog" / "LICENSE").write_text("CC0")
    (root / "dog" / ".DS_Store").write_bytes(b"\x00\x01")
    (root / "README.md").write_text("cats and dogs")
    (root / ".cache").mkdir()
    return root


def test_image_folder_skip_rule(messy_folder):
    with pytest.warns(UserWarning, match=r"Skipped 1 files .* such as .*broken.jpg"):
        photos = load_image_folder(messy_folder)

    names = [str(Path(name).relative_to(messy_folder)) for name in photos.filenames]
    assert names == [
        "cat/a.png", "cat/b.JPG", "cat/c.jpeg", "dog/a.png", "dog/copy.png"
    ]
    assert photos.target.tolist() == [0, 0, 0, 1, 1]
    assert photos.target_names.tolist() == ["cat", "dog"]
    reasons = {
        str(Path(path).relative_to(messy_folder)): reason
        for path, reason in photos.skipped
    }
    assert reasons.keys() == {
        ".cache",
        "README.md",
        "dog/.DS_Store",
        "dog/LICENSE",
        "dog/broken.jpg",
        "dog/nested",
        "dog/notes.txt",
    }
    assert reasons[".cache"] == "hidden entry"
    assert reasons["README.md"] == "not inside a class sub-folder"
    assert reasons["dog/nested"] == "sub-folder inside a class folder is not searched"
    assert reasons["dog/notes.txt"] == "extension '.txt' is not in extensions"
    assert reasons["dog/LICENSE"] == "no file extension"
    assert reasons["dog/broken.jpg"].startswith("unreadable image: ")


def test_image_folder_duplicates_and_groups(messy_folder):
    with pytest.warns(UserWarning, match="broken.jpg"):
        photos = load_image_folder(messy_folder)

    assert photos.groups.tolist() == [0, 1, 2, 3, 3]
    copies = [str(messy_folder / "dog" / name) for name in ("a.png", "copy.png")]
    assert photos.duplicates == [copies]


def test_image_folder_on_error_raise(messy_folder):
    pattern = r"broken.jpg has an image extension but Pillow cannot read it"
    with pytest.raises(ValueError, match=pattern):
        load_image_folder(messy_folder, on_error="raise")


def test_image_folder_extensions_filter(messy_folder):
    photos = load_image_folder(messy_folder, extensions=(".PNG",))
    names = [Path(name).name for name in photos.filenames]
    assert names == ["a.png", "a.png", "copy.png"]


def test_image_folder_cross_class_duplicate_warns(tmp_path):
    save_image(tmp_path / "cat" / "a.png")
    (tmp_path / "dog").mkdir()
    (tmp_path / "dog" / "a.png").write_bytes((tmp_path / "cat" / "a.png").read_bytes())
    save_image(tmp_path / "dog" / "b.png", shade=3)

    pattern = r"1 sets of byte-identical files sit in different classes"
    with pytest.warns(UserWarning, match=pattern):
        photos = load_image_folder(tmp_path)
    assert photos.groups.tolist() == [0, 0, 1]


def test_image_folder_classes_selects_folders(messy_folder):
    save_image(messy_folder / "bird" / "x.png")
    photos = load_image_folder(messy_folder, classes=["cat", "bird"])
    assert photos.target_names.tolist() == ["bird", "cat"]
    assert np.bincount(photos.target).tolist() == [1, 3]


def test_image_folder_return_X_y(messy_folder):
    with pytest.warns(UserWarning):
        X, y = load_image_folder(messy_folder, return_X_y=True)
    assert X.shape == (5,)
    assert y.tolist() == [0, 0, 0, 1, 1]

    with pytest.warns(UserWarning):
        X, y = load_image_folder(
            messy_folder, decode=True, image_shape=(4, 5), return_X_y=True
        )
    assert X.shape == (5, 4, 5)


@pytest.mark.parametrize(
    "image_shape, expected",
    [
        ((4, 5), (4, 5)),
        ((4, 5, 1), (4, 5, 1)),
        ((4, 5, 3), (4, 5, 3)),
        ((4, 5, 4), (4, 5, 4)),
    ],
)
def test_image_folder_decode_image_shape(tmp_path, image_shape, expected):
    save_image(tmp_path / "a" / "1.png", size=(10, 7), shade=50)
    save_image(tmp_path / "b" / "2.jpg", size=(30, 20), shade=150, fmt="JPEG")

    photos = load_image_folder(tmp_path, decode=True, image_shape=image_shape)

    assert photos.images.shape == (2,) + expected
    assert photos.images.dtype == np.uint8
    # The alpha channel of RGBA output is opaque, so only colour is compared.
    colours = photos.images if len(expected) == 2 else photos.images[..., :3]
    assert abs(int(colours[0].mean()) - 50) <= 2
    assert abs(int(colours[1].mean()) - 150) <= 2


def test_image_folder_decode_native_size(tmp_path):
    save_image(tmp_path / "a" / "1.png", size=(10, 7), mode="L")
    save_image(tmp_path / "b" / "2.png", size=(10, 7), mode="RGBA")
    photos = load_image_folder(tmp_path, decode=True)
    assert photos.images.shape == (2, 7, 10, 3)


def test_image_folder_decode_mixed_modes_like_resizer(tmp_path):
    """RGBA, grayscale and JPEG files decode as ImageResizer decodes them."""
    from skimgclf.preprocessing import ImageResizer

    rng = np.random.default_rng(0)
    for label in ("a", "b"):
        rgba = rng.integers(0, 256, size=(20, 30, 4), dtype=np.uint8)
        gray = rng.integers(0, 256, size=(25, 17), dtype=np.uint8)
        rgb = rng.integers(0, 256, size=(25, 17, 3), dtype=np.uint8)
        save_image(tmp_path / label / "rgba.png")
        Image.fromarray(rgba, "RGBA").save(tmp_path / label / "rgba.png")
        Image.fromarray(gray, "L").save(tmp_path / label / "gray.png")
        Image.fromarray(rgb, "RGB").save(tmp_path / label / "rgb.jpg")

    photos = load_image_folder(tmp_path, decode=True, image_shape=(9, 11, 3))
    resized = ImageResizer(output_shape=(9, 11)).fit_transform(list(photos.filenames))

    np.testing.assert_array_equal(photos.images, resized)


def test_image_folder_decode_sizes_differ(tmp_path):
    save_image(tmp_path / "a" / "1.png", size=(10, 7))
    save_image(tmp_path / "b" / "2.png", size=(12, 7))
    with pytest.raises(ValueError, match=r"2 different shapes.*Pass image_shape="):
        load_image_folder(tmp_path, decode=True)


def test_image_folder_decode_applies_exif_orientation(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to display.
    save_image(tmp_path / "a" / "1.jpg", size=(8, 4), fmt="JPEG", exif=exif)
    save_image(tmp_path / "b" / "2.jpg", size=(4, 8), fmt="JPEG")

    photos = load_image_folder(tmp_path, decode=True)

    assert photos.images.shape == (2, 8, 4, 3)


def write_truncated_png(path):
    buffer = io.BytesIO()
    Image.effect_noise((64, 64), 50).save(buffer, format="PNG")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])


def test_image_folder_decode_failure(tmp_path):
    save_image(tmp_path / "a" / "1.png")
    save_image(tmp_path / "b" / "2.png", shade=5)
    write_truncated_png(tmp_path / "b" / "3.png")

    # The header is intact, so the file passes the check without decoding.
    photos = load_image_folder(tmp_path)
    assert len(photos.filenames) == 3

    with pytest.warns(UserWarning, match=r"Skipped 1 files"):
        photos = load_image_folder(tmp_path, decode=True)
    assert photos.images.shape == (2, 6, 8, 3)
    assert photos.skipped[0][0].endswith("3.png")
    assert photos.skipped[0][1].startswith("decoding failed: ")

    with pytest.raises(ValueError, match=r"Pillow cannot decode .*3.png"):
        load_image_folder(tmp_path, decode=True, on_error="raise")


def test_image_folder_class_left_empty_by_decoding(tmp_path):
    save_image(tmp_path / "a" / "1.png")
    write_truncated_png(tmp_path / "b" / "3.png")
    pattern = r"Class folder .*b contains no images that can be decoded"
    with pytest.raises(ValueError, match=pattern):
        load_image_folder(tmp_path, decode=True)


def test_image_folder_verbose_summary(messy_folder, capsys):
    with pytest.warns(UserWarning):
        load_image_folder(messy_folder, verbose=2)
    output = capsys.readouterr().out
    assert "5 images in 2 classes, 7 entries skipped, 1 sets" in output
    assert "skipped " + str(messy_folder / "dog" / "notes.txt") in output


def test_image_folder_decode_progress(messy_folder, capsys, monkeypatch):
    from skimgclf.datasets import _image_folder

    monkeypatch.setattr(_image_folder, "_PROGRESS_EVERY", 2)
    with pytest.warns(UserWarning):
        load_image_folder(messy_folder, decode=True, image_shape=(4, 4), verbose=1)
    output = capsys.readouterr().out
    assert "Decoded 2 of 5 images" in output
    assert "Decoded 4 of 5 images" in output


def make_folder_errors(tmp_path):
    (tmp_path / "no-classes").mkdir()
    (tmp_path / "no-classes" / "1.png").write_bytes(b"")
    save_image(tmp_path / "one-class" / "cat" / "1.png")
    save_image(tmp_path / "empty-class" / "cat" / "1.png")
    (tmp_path / "empty-class" / "dog").mkdir()
    (tmp_path / "no-images" / "cat").mkdir(parents=True)
    (tmp_path / "no-images" / "dog").mkdir()
    (tmp_path / "a-file.txt").write_text("")


@pytest.mark.parametrize(
    "folder, params, error, message",
    [
        ("missing", {}, FileNotFoundError, r"missing does not exist"),
        ("a-file.txt", {}, NotADirectoryError, r"a-file.txt is a file, not a folder"),
        ("no-classes", {}, ValueError, r"no-classes has no class sub-folders. Put"),
        ("one-class", {}, ValueError, r"only one class sub-folder, 'cat'.* two"),
        ("empty-class", {}, ValueError, r"Class folder .*dog contains no images"),
        ("no-images", {}, ValueError, r"Class folder .*cat contains no images"),
        (
            "empty-class",
            {"classes": ["cat", "cow"]},
            ValueError,
            r"classes \['cow'\] are not sub-folders.*Available classes: \['cat', 'd",
        ),
        ("empty-class", {"classes": "cat"}, TypeError, r"classes must be a list of"),
        (
            "one-class",
            {"extensions": ("jpg",)},
            ValueError,
            r"extensions must be .* leading dot.*\('jpg',\)",
        ),
        (
            "one-class",
            {"on_error": "ignore"},
            ValueError,
            r"on_error must be 'skip' or 'raise', got 'ignore'",
        ),
        ("one-class", {"decode": "yes"}, TypeError, r"decode must be True or False"),
        (
            "one-class",
            {"image_shape": (8, 8)},
            ValueError,
            r"image_shape=\(8, 8\) is only used with decode=True",
        ),
        ("one-class", {"decode": True, "image_shape": (8, 8, 2)}, ValueError, "2 chan"),
        ("one-class", {"return_X_y": None}, TypeError, r"return_X_y must be True or"),
    ],
)
def test_image_folder_invalid_input(tmp_path, folder, params, error, message):
    make_folder_errors(tmp_path)
    with pytest.raises(error, match=message):
        load_image_folder(tmp_path / folder, **params)


def test_image_folder_path_type():
    with pytest.raises(TypeError, match="path must be a str or path-like object"):
        load_image_folder(5)


# group_train_test_split


def test_group_split_no_group_on_both_sides():
    rng = np.random.default_rng(0)
    groups = rng.integers(0, 60, size=300)
    X = np.arange(300)
    y = groups % 3

    X_train, X_test, y_train, y_test = group_train_test_split(
        X, y, groups=groups, test_size=0.3, stratify=y, random_state=1
    )

    assert set(groups[X_train]).isdisjoint(groups[X_test])
    assert len(X_train) + len(X_test) == 300
    assert len(set(groups[X_test])) == 18
    assert np.all(np.diff(X_train) > 0)
    np.testing.assert_array_equal(y_test, y[X_test])


def test_group_split_without_stratify_and_lists():
    groups = [0, 0, 1, 1, 2, 3, 4, 5]
    names = list("abcdefgh")
    first = group_train_test_split(names, groups=groups, test_size=2, random_state=0)
    second = group_train_test_split(names, groups=groups, test_size=2, random_state=0)

    assert first == second
    train, test = first
    assert isinstance(train, list)
    group_of = dict(zip(names, groups))
    train_groups = {group_of[name] for name in train}
    test_groups = {group_of[name] for name in test}
    assert train_groups.isdisjoint(test_groups)


def test_group_split_mixed_group_majority_label():
    """Group 0 contains labels 0, 0 and 1, so it counts as class 0.

    Class 0 then has the two groups 0 and 1, and a 50 % split puts exactly
    one of them into the test set. Had group 0 counted as class 1, class 0
    would have one group and the split would raise.
    """
    X = np.arange(9)
    y = np.array([0, 0, 1, 0, 1, 1, 1, 1, 1])
    groups = np.array([0, 0, 0, 1, 2, 3, 4, 5, 6])

    X_train, X_test = group_train_test_split(
        X, groups=groups, test_size=0.5, stratify=y, random_state=0
    )

    assert set(groups[X_train]).isdisjoint(groups[X_test])
    assert len({0, 1} & set(groups[X_test])) == 1


@pytest.mark.parametrize(
    "arrays, params, message",
    [
        ((), {"groups": [0, 1]}, r"needs at least one array"),
        ((np.arange(3),), {"groups": [0, 1]}, r"inconsistent numbers of samples"),
        ((np.arange(4),), {"groups": np.zeros((2, 2))}, "groups must be one-dim"),
        (
            (np.arange(4),),
            {"groups": [0, 1, 2, 3], "stratify": [0, 0, 0, 1]},
            r"Class 1 has 1 group\(s\)",
        ),
        (
            (np.arange(4),),
            {"groups": [0, 1, 2, 3], "stratify": np.zeros((4, 1))},
            "stratify must be one-dimensional",
        ),
    ],
)
def test_group_split_invalid_input(arrays, params, message):
    with pytest.raises(ValueError, match=message):
        group_train_test_split(*arrays, **params)


# Embedded data sets


def test_digits_images():
    digits = load_digits_images()
    assert digits.images.shape == (1797, 8, 8)
    assert digits.images.dtype == np.float64
    assert digits.images.min() == 0
    assert digits.images.max() == 16
    assert digits.target.dtype == np.int64
    assert len(np.unique(digits.target)) == 10
    assert digits.target_names.tolist() == [str(digit) for digit in range(10)]
    np.testing.assert_array_equal(digits.data, digits.images.reshape(1797, 64))

    X, y = load_digits_images(n_class=3, return_X_y=True)
    assert X.shape[1] == 64
    assert set(y) == {0, 1, 2}


@pytest.mark.parametrize(
    "n_class, error, message",
    [
        (0, ValueError, "from 1 to 10, got 0"),
        (2.5, TypeError, "n_class must be an int"),
        (True, TypeError, "got True"),
    ],
)
def test_digits_images_invalid_n_class(n_class, error, message):
    with pytest.raises(error, match=message):
        load_digits_images(n_class=n_class)


def test_lfw_subset():
    faces = load_lfw_subset()
    assert faces.images.shape == (200, 25, 25)
    assert faces.images.min() >= 0
    assert faces.images.max() <= 1
    assert faces.target.tolist() == [1] * 100 + [0] * 100
    assert faces.target_names.tolist() == ["non-face", "face"]

    X, y = load_lfw_subset(return_X_y=True)
    assert X.shape == (200, 625)
    np.testing.assert_array_equal(y, faces.target)


def test_import_is_light():
    code = (
        "import sys, skimgclf.datasets; "
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('tensorflow', 'keras', 'matplotlib')]; "
        "print(heavy)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"
