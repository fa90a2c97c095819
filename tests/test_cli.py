"""End-to-end tests of ``skimgclf compare``, each run in a subprocess."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from skimgclf._cli._report import TABLE_COLUMNS, _json_params, format_table

OUTPUT_FILES = (
    "confusion_logistic.png",
    "confusion_cnn.png",
    "cnn_history.png",
    "misclassified.png",
    "results.json",
)
MODEL_KEYS = ("accuracy", "macro_f1", "fit_seconds", "predict_seconds", "params")

# Test accuracy floors of the --quick runs with --random-state 0. Runs on
# one CPU reached 0.96 to 0.97 on digits and 0.86 to 0.88 on the face-mask
# photos, with both models. The floors leave room for other CPUs and
# library versions, and a model that learns nothing still fails them.
ACCURACY_FLOORS = {
    "digits": {"logistic": 0.90, "cnn": 0.80},
    "facemask": {"logistic": 0.70, "cnn": 0.70},
}

ERROR_PREFIX = "skimgclf compare: error: "


def run_skimgclf(*args, env=None, cwd=None):
    """Run ``python -m skimgclf`` with ``args`` and return the completed process."""
    return subprocess.run(
        [sys.executable, "-m", "skimgclf", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
    )


def check_outputs(output, dataset, n_classes):
    """Check every output file of a compare run and return results.json."""
    for name in OUTPUT_FILES:
        path = output / name
        assert path.is_file(), f"{name} was not written"
        assert path.stat().st_size > 0, f"{name} is empty"
    for name in OUTPUT_FILES[:-1]:
        with Image.open(output / name) as image:
            image.verify()
            assert image.format == "PNG"

    results = json.loads((output / "results.json").read_text(encoding="utf-8"))
    assert results["dataset"] == dataset
    assert len(results["classes"]) == n_classes
    assert results["n_train"] > 0
    assert results["n_test"] > 0
    assert results["quick"] is True
    assert set(results["models"]) == {"logistic", "cnn"}
    for model, entry in results["models"].items():
        for key in MODEL_KEYS:
            assert key in entry, f"{model} has no {key}"
        assert 0.0 <= entry["accuracy"] <= 1.0
        assert 0.0 <= entry["macro_f1"] <= 1.0
        assert entry["fit_seconds"] > 0
        assert entry["accuracy"] >= ACCURACY_FLOORS[dataset][model], model
    history = results["models"]["cnn"]["history"]
    assert len(history["loss"]) == results["epochs"]
    assert len(history["val_accuracy"]) == results["epochs"]
    return results


def check_table(stdout, dataset):
    """Check that stdout contains the table header and one row per model."""
    lines = stdout.strip().splitlines()
    assert lines[0].split("  ")[0] == "dataset"
    for column in TABLE_COLUMNS:
        assert column in lines[0]
    rows = [line.split() for line in lines[2:]]
    assert [row[:2] for row in rows] == [[dataset, "logistic"], [dataset, "cnn"]]
    for row in rows:
        assert 0.0 <= float(row[2]) <= 1.0


def check_error(process, message):
    """Check exit status 2 and a one-line error that contains ``message``."""
    assert process.returncode == 2, process.stderr
    assert "Traceback" not in process.stderr
    last_line = process.stderr.strip().splitlines()[-1]
    assert last_line.startswith(ERROR_PREFIX), process.stderr
    assert message in last_line


def write_photo_folder(root, n_per_class=6, size=(20, 16), seed=0):
    """Write a two-class folder of noisy dark and light PNG photos."""
    rng = np.random.default_rng(seed)
    for name, shade in (("dark", 50), ("light", 200)):
        (root / name).mkdir(parents=True)
        for i in range(n_per_class):
            pixels = np.clip(shade + rng.normal(0, 20, (*size, 3)), 0, 255)
            Image.fromarray(pixels.astype(np.uint8)).save(root / name / f"{i}.png")
    return root


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    output = tmp_path_factory.mktemp("digits")
    process = run_skimgclf("compare", "--quick", "--verbose", "--output", output)
    return process, output


@pytest.fixture(scope="module")
def facemask_run(tmp_path_factory, facemask_dir):
    output = tmp_path_factory.mktemp("facemask")
    process = run_skimgclf("compare", "--quick", "--dataset", facemask_dir, "--output", output)
    return process, output


def test_compare_quick_digits(digits_run):
    process, output = digits_run
    assert process.returncode == 0, process.stderr
    check_table(process.stdout, "digits")
    results = check_outputs(output, "digits", n_classes=10)
    assert results["image_size"] is None


def test_compare_verbose_lines_on_stderr(digits_run):
    process, _ = digits_run
    assert "[compare] cnn epoch 1/" in process.stderr
    assert "Epoch 1/" in process.stderr
    assert len(process.stdout.strip().splitlines()) == 4


def test_compare_quick_facemask(facemask_run):
    process, output = facemask_run
    assert process.returncode == 0, process.stderr
    check_table(process.stdout, "facemask")
    results = check_outputs(output, "facemask", n_classes=2)
    assert results["classes"] == ["with_mask", "without_mask"]
    assert results["image_size"] == [64, 64]
    assert "duplicate" in results["split"]


def test_compare_test_data_folder(tmp_path):
    train = write_photo_folder(tmp_path / "train", seed=0)
    test = write_photo_folder(tmp_path / "test", n_per_class=3, seed=1)
    output = tmp_path / "out"
    process = run_skimgclf(
        "compare", "--dataset", train, "--test-data", test, "--image-size", 8, 8,
        "--epochs", 1, "--output", output,
    )
    assert process.returncode == 0, process.stderr
    results = json.loads((output / "results.json").read_text(encoding="utf-8"))
    assert results["n_train"] == 12
    assert results["n_test"] == 6
    assert results["image_size"] == [8, 8]
    assert results["models"]["logistic"]["accuracy"] == 1.0


def test_error_unknown_dataset(tmp_path):
    process = run_skimgclf("compare", "--dataset", "cifar", "--output", tmp_path)
    check_error(process, "unknown dataset 'cifar'")


def test_error_missing_folder(tmp_path):
    process = run_skimgclf("compare", "--dataset", tmp_path / "absent", "--output", tmp_path)
    check_error(process, "folder not found")


def test_error_folder_with_one_class(tmp_path):
    root = write_photo_folder(tmp_path / "photos")
    for path in (root / "light").iterdir():
        path.unlink()
    (root / "light").rmdir()
    process = run_skimgclf("compare", "--dataset", root, "--output", tmp_path / "out")
    check_error(process, "one class sub-folder")


def test_error_unreadable_image(tmp_path):
    root = write_photo_folder(tmp_path / "photos")
    (root / "dark" / "broken.jpg").write_bytes(b"not a JPEG file")
    process = run_skimgclf("compare", "--dataset", root, "--output", tmp_path / "out")
    check_error(process, "broken.jpg")


def test_error_truncated_image(tmp_path):
    root = write_photo_folder(tmp_path / "photos")
    photo = Image.fromarray(np.full((64, 64, 3), 128, dtype=np.uint8))
    photo.save(root / "dark" / "cut.jpg", quality=95)
    data = (root / "dark" / "cut.jpg").read_bytes()
    # The header stays valid, so only decoding the pixels fails.
    (root / "dark" / "cut.jpg").write_bytes(data[: len(data) // 2])
    process = run_skimgclf("compare", "--dataset", root, "--output", tmp_path / "out")
    check_error(process, "cut.jpg")


def test_error_fashion_mnist_absent(tmp_path):
    if os.path.isdir("/usr/share/datasets/fashion-mnist"):
        pytest.skip("the system copy of Fashion-MNIST would be found")
    env = {**os.environ, "HOME": str(tmp_path), "SKIMGCLF_DATA": str(tmp_path / "data")}
    process = run_skimgclf(
        "compare", "--dataset", "fashion-mnist", "--data-home", tmp_path / "empty",
        "--output", tmp_path / "out", env=env,
    )
    check_error(process, "Fashion-MNIST files not found")


def test_error_test_data_classes_differ(tmp_path):
    train = write_photo_folder(tmp_path / "train")
    test = write_photo_folder(tmp_path / "test")
    (test / "light").rename(test / "bright")
    process = run_skimgclf(
        "compare", "--dataset", train, "--test-data", test, "--output", tmp_path / "out"
    )
    check_error(process, "class sub-folders must match")


def test_error_test_data_with_builtin(tmp_path):
    process = run_skimgclf("compare", "--test-data", tmp_path, "--output", tmp_path)
    check_error(process, "--test-data needs --dataset to be a folder")


def test_error_output_is_a_file(tmp_path):
    output = tmp_path / "results.txt"
    output.write_text("taken")
    process = run_skimgclf("compare", "--output", output)
    check_error(process, "is not a folder")


@pytest.mark.parametrize(
    "args",
    [["compare", "--epochs", "0"], ["compare", "--image-size", "32"], ["compare", "--bad"], []],
)
def test_usage_error_exit_status(args):
    process = run_skimgclf(*args)
    assert process.returncode == 2
    assert "usage: skimgclf" in process.stderr


def test_cli_import_is_light():
    code = (
        "import sys, skimgclf._cli; "
        "heavy = {'tensorflow', 'keras', 'matplotlib'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == "[]"


def test_format_table_aligns_columns():
    class Run:
        accuracy = 0.5
        macro_f1 = 0.25
        fit_seconds = 12.0
        predict_seconds = 0.125

    lines = format_table("digits", {"logistic": Run(), "cnn": Run()}).splitlines()
    assert len(lines) == 4
    assert len({len(line) for line in lines}) == 1
    assert lines[2].split() == ["digits", "logistic", "0.5000", "0.2500", "12.00", "0.12"]


def test_json_params_names_objects():
    class Callback:
        pass

    params = {
        "callbacks": [Callback()],
        "filters": (32, 64),
        "epochs": np.int64(3),
        "model_kwargs": {"units": 16},
        "model": None,
        "optimizer": Callback(),
    }
    converted = _json_params(params)
    assert converted["callbacks"] == ["Callback"]
    assert converted["filters"] == [32, 64]
    assert converted["epochs"] == 3
    assert type(converted["epochs"]) is int
    assert converted["model_kwargs"] == {"units": 16}
    assert converted["model"] is None
    assert converted["optimizer"] == "Callback"
    json.dumps(converted)
