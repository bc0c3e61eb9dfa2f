"""Tests of autograder.data: IDX parsing, checksums, the MNIST cache, downloading (faked), make_moons.

No test touches the network: an autouse fixture replaces the download function with one that fails
the test, and tests that exercise downloading substitute a fake that copies local files.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import struct
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.data import MNIST, ChecksumError, MNISTNotFoundError, load_mnist, load_moons
from autograder.data import download as dl
from autograder.data import mnist as mn

NAMES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
# conftest.py may have set MNIST_DIR for the notebooks; remember it before the fixture below removes it.
REAL_MNIST_DIR = os.environ.get("MNIST_DIR")
SHARED_MNIST = Path(__file__).resolve().parents[2] / "shared/data/mnist"
REAL_FETCH = dl.fetch


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """No env configuration, a scratch HOME, no backoff sleeps, and no network at all."""
    monkeypatch.delenv("MNIST_DIR", raising=False)
    monkeypatch.delenv("BACKPROP_COURSE_CACHE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(dl, "BACKOFF", 0.0)

    def no_network(url, dest, *, progress=True, timeout=None):
        pytest.fail(f"test tried to download {url}")

    monkeypatch.setattr(dl, "fetch", no_network)


def idx_bytes(array: np.ndarray, type_code: int = 0x08) -> bytes:
    header = struct.pack(">BBBB", 0, 0, type_code, array.ndim) + struct.pack(">" + "I" * array.ndim, *array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def write_file(directory: Path, name: str, content: bytes, gz: bool) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (name + ".gz" if gz else name)
    path.write_bytes(gzip.compress(content) if gz else content)
    return path


@pytest.fixture
def synthetic(tmp_path):
    """Four small IDX files (5 training, 3 test images) in tmp_path/src as .gz; their arrays and digests."""
    rng = np.random.default_rng(0)
    arrays = {
        NAMES[0]: rng.integers(0, 256, size=(5, 28, 28), dtype=np.uint8),
        NAMES[1]: np.array([3, 1, 4, 1, 5], dtype=np.uint8),
        NAMES[2]: rng.integers(0, 256, size=(3, 28, 28), dtype=np.uint8),
        NAMES[3]: np.array([9, 2, 6], dtype=np.uint8),
    }
    contents = {n: idx_bytes(a, 0x08) for n, a in arrays.items()}
    src = tmp_path / "src"
    for n, c in contents.items():
        write_file(src, n, c, gz=True)
    checksums = {n: hashlib.sha256(c).hexdigest() for n, c in contents.items()}
    return src, arrays, contents, checksums


def assert_matches(data: MNIST, arrays: dict) -> None:
    assert isinstance(data, MNIST)
    expected = [arrays[NAMES[0]].reshape(5, 784), arrays[NAMES[1]], arrays[NAMES[2]].reshape(3, 784), arrays[NAMES[3]]]
    for got, want, dtype in zip(data, expected, (np.uint8, np.int64, np.uint8, np.int64)):
        assert got.dtype == dtype
        np.testing.assert_array_equal(got, want)
    # Row-major flattening: pixel (r, c) of image i is column 28 * r + c.
    assert data.X_train[2, 28 * 7 + 3] == arrays[NAMES[0]][2, 7, 3]


# ----------------------------------------------------------------------------- IDX parsing and checksums

@pytest.mark.parametrize("gz", [True, False], ids=["gzip", "raw"])
def test_parse_synthetic_idx(tmp_path, synthetic, gz):
    _, arrays, contents, checksums = synthetic
    d = tmp_path / "named"
    files = {n: write_file(d, n, c, gz) for n, c in contents.items()}
    assert_matches(mn._parse(files, checksums), arrays)
    assert_matches(load_mnist(d, cache_dir=tmp_path / "cache", download=False, _checksums=checksums), arrays)


def test_checksum_mismatch_names_file_and_digests(tmp_path, synthetic):
    src, _, contents, checksums = synthetic
    wrong = dict(checksums, **{NAMES[1]: "0" * 64})
    with pytest.raises(ChecksumError) as info:
        load_mnist(src, cache_dir=tmp_path / "cache", download=False, _checksums=wrong)
    msg = str(info.value)
    assert str(src / (NAMES[1] + ".gz")) in msg
    assert "0" * 64 in msg and checksums[NAMES[1]] in msg and "delete" in msg
    assert isinstance(info.value, ValueError)
    assert not (tmp_path / "cache" / "mnist.npz").exists()


def test_real_checksums_reject_synthetic_files(tmp_path, synthetic):
    src, *_ = synthetic
    with pytest.raises(ChecksumError, match="train-images-idx3-ubyte"):
        load_mnist(src, cache_dir=tmp_path / "cache", download=False)


def test_corrupt_file_in_named_dir_is_not_hidden_by_cache(tmp_path, synthetic):
    src, _, contents, checksums = synthetic
    cache = tmp_path / "cache"
    load_mnist(src, cache_dir=cache, download=False, _checksums=checksums)
    assert (cache / "mnist.npz").is_file()
    # Same size, other content: the fingerprint changes through the modification time.
    bad = bytearray(contents[NAMES[2]])
    bad[-1] ^= 0xFF
    path = write_file(src, NAMES[2], bytes(bad), gz=True)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    with pytest.raises(ChecksumError, match=NAMES[2]):
        load_mnist(src, cache_dir=cache, download=False, _checksums=checksums)


@pytest.mark.parametrize("case", ["bad_magic", "truncated", "labels_as_images", "count_mismatch", "not_gzip"])
def test_malformed_file_raises_value_error_naming_it(tmp_path, synthetic, case):
    _, arrays, contents, _ = synthetic
    d = tmp_path / "named"
    for n, c in contents.items():
        write_file(d, n, c, gz=False)
    target = NAMES[0]
    if case == "bad_magic":
        content = b"\x12\x34" + contents[target][2:]
    elif case == "truncated":
        content = contents[target][:-10]
    elif case == "labels_as_images":  # a label file (0x00000801) where images belong
        content = contents[NAMES[1]]
    elif case == "count_mismatch":  # 4 images for 5 labels
        content = idx_bytes(arrays[target][:4])
    else:
        content = None
        (d / target).unlink()
        (d / (target + ".gz")).write_bytes(b"this is not gzip")
    if content is not None:
        write_file(d, target, content, gz=False)
    with pytest.raises(ValueError, match=target) as info:
        load_mnist(d, cache_dir=tmp_path / "cache", download=False, _checksums={})
    assert not isinstance(info.value, ChecksumError)


# ----------------------------------------------------------------------------- cache

@pytest.fixture
def count_parse(monkeypatch):
    calls = []
    real = mn._parse

    def counting(files, checksums):
        calls.append(files)
        return real(files, checksums)

    monkeypatch.setattr(mn, "_parse", counting)
    return calls


def test_second_load_reads_cache(tmp_path, synthetic, count_parse):
    src, arrays, _, checksums = synthetic
    cache = tmp_path / "cache"
    assert_matches(load_mnist(src, cache_dir=cache, download=False, _checksums=checksums), arrays)
    assert len(count_parse) == 1 and (cache / "mnist.npz").is_file()
    assert not [p for p in cache.iterdir() if p.name != "mnist.npz"]  # no temporary file left
    assert_matches(load_mnist(src, cache_dir=cache, download=False, _checksums=checksums), arrays)
    assert_matches(load_mnist(cache_dir=cache, download=False, _checksums=checksums), arrays)
    assert len(count_parse) == 1
    with np.load(cache / "mnist.npz") as z:  # uncompressed, digests stored
        assert z["digests"].tolist() == [checksums[n] for n in NAMES]


def test_env_vars_select_dir_and_cache(tmp_path, synthetic, monkeypatch, count_parse):
    src, arrays, _, checksums = synthetic
    monkeypatch.setenv("MNIST_DIR", str(src))
    monkeypatch.setenv("BACKPROP_COURSE_CACHE", str(tmp_path / "envcache"))
    assert_matches(load_mnist(download=False, _checksums=checksums), arrays)
    assert (tmp_path / "envcache" / "mnist.npz").is_file()
    monkeypatch.delenv("MNIST_DIR")
    assert_matches(load_mnist(download=False, _checksums=checksums), arrays)
    assert len(count_parse) == 1


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign_digests", "wrong_dtype"])
def test_bad_cache_is_ignored_with_warning_and_rebuilt(tmp_path, synthetic, count_parse, damage):
    src, arrays, _, checksums = synthetic
    cache = tmp_path / "cache"
    npz = cache / "mnist.npz"
    load_mnist(src, cache_dir=cache, download=False, _checksums=checksums)
    good = np.load(npz)
    fields = {k: good[k] for k in good.files}
    good.close()
    if damage == "garbage":
        npz.write_bytes(b"not a zip file at all")
    elif damage == "truncated":
        npz.write_bytes(npz.read_bytes()[: npz.stat().st_size // 2])
    elif damage == "foreign_digests":
        np.savez(npz, **dict(fields, digests=np.array(["f" * 64] * 4)))
    else:
        np.savez(npz, **dict(fields, X_train=fields["X_train"].astype(np.float32)))
    with pytest.warns(UserWarning, match="ignoring the MNIST cache"):
        data = load_mnist(src, cache_dir=cache, download=False, _checksums=checksums)
    assert_matches(data, arrays)
    assert len(count_parse) == 2
    # Rebuilt: the next load is a clean cache hit, even without the source directory.
    assert_matches(load_mnist(cache_dir=cache, download=False, _checksums=checksums), arrays)
    assert len(count_parse) == 2


# ----------------------------------------------------------------------------- not found, download

def test_not_found_without_download(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(MNISTNotFoundError) as info:
        load_mnist(empty, cache_dir=tmp_path / "cache", download=False)
    msg = str(info.value)
    assert isinstance(info.value, FileNotFoundError)
    for n in NAMES:
        assert n + ".gz" in msg
    assert f"into {empty}" in msg and str(tmp_path / "cache" / "raw") in msg
    assert "MNIST_DIR" in msg and "download=False" in msg
    assert not (tmp_path / "cache" / "mnist.npz").exists()


def test_not_found_when_every_mirror_fails(tmp_path, monkeypatch):
    calls = []

    def failing(url, dest, *, progress=True, timeout=None):
        calls.append(url)
        raise OSError("network is unreachable")

    monkeypatch.setattr(dl, "fetch", failing)
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "nowhere"))
    cache = tmp_path / "cache"
    with pytest.raises(MNISTNotFoundError) as info:
        load_mnist(cache_dir=cache, mirrors=("https://a.invalid/", "https://b.invalid/x"), progress=False)
    msg = str(info.value)
    assert str(tmp_path / "nowhere") in msg and "MNIST_DIR" in msg and "does not exist" in msg
    assert "https://a.invalid/train-images-idx3-ubyte.gz" in msg and "https://b.invalid/x/" in msg
    assert "network is unreachable" in msg
    assert calls == ["https://a.invalid/train-images-idx3-ubyte.gz"] * dl.ATTEMPTS \
        + ["https://b.invalid/x/train-images-idx3-ubyte.gz"] * dl.ATTEMPTS
    assert not (cache / "raw").exists() or not any((cache / "raw").iterdir())
    with pytest.raises(MNISTNotFoundError, match="no mirrors"):
        load_mnist(cache_dir=cache, mirrors=())


def test_download_falls_back_to_second_mirror_and_fills_cache(tmp_path, synthetic, monkeypatch, count_parse):
    src, arrays, contents, checksums = synthetic
    calls = []

    def fake_fetch(url, dest, *, progress=True, timeout=None):
        calls.append(url)
        if url.startswith("https://first/"):
            raise TimeoutError("timed out")
        if url.startswith("https://corrupt/"):  # serves a file with the wrong content: not retried
            Path(dest).write_bytes(gzip.compress(b"\0\0\x08\x01\0\0\0\0"))
            return dest
        shutil.copy(src / url.rsplit("/", 1)[1], dest)
        return dest

    monkeypatch.setattr(dl, "fetch", fake_fetch)
    cache = tmp_path / "cache"
    data = load_mnist(cache_dir=cache, mirrors=("https://first/", "https://corrupt/", "https://second/"),
                      progress=False, _checksums=checksums)
    assert_matches(data, arrays)
    for n in NAMES:
        assert calls.count(f"https://first/{n}.gz") == dl.ATTEMPTS
        assert calls.count(f"https://corrupt/{n}.gz") == 1
        assert calls.count(f"https://second/{n}.gz") == 1
    raw = cache / "raw"
    assert sorted(p.name for p in raw.iterdir()) == sorted(n + ".gz" for n in NAMES)  # nothing else left
    for n in NAMES:
        assert gzip.decompress((raw / (n + ".gz")).read_bytes()) == contents[n]
    assert (cache / "mnist.npz").is_file()
    monkeypatch.setattr(dl, "fetch", lambda *a, **k: pytest.fail("downloaded twice"))
    assert_matches(load_mnist(cache_dir=cache, _checksums=checksums), arrays)
    (cache / "mnist.npz").unlink()  # the raw files are reused without downloading
    assert_matches(load_mnist(cache_dir=cache, _checksums=checksums), arrays)
    assert len(count_parse) == 2


def test_real_fetch_copies_a_file_url(tmp_path):
    # The real urllib-based fetch, on a local file:// URL (no network).
    src = tmp_path / "payload.bin"
    src.write_bytes(os.urandom(200_000))
    dest = REAL_FETCH(src.as_uri(), tmp_path / "out" / "payload.bin", progress=False)
    assert dest.read_bytes() == src.read_bytes()
    assert sorted(p.name for p in dest.parent.iterdir()) == ["payload.bin"]


# ----------------------------------------------------------------------------- scaled images, shared copies

@pytest.fixture
def sharing():
    """`mn.share_scaled_copies` on for the test, off (and its copies dropped) afterwards."""
    yield mn.share_scaled_copies()
    mn.share_scaled_copies(False)


def test_dtype_scales_exactly_like_the_notebooks_did(tmp_path, synthetic):
    src, arrays, _, checksums = synthetic
    raw = load_mnist(src, cache_dir=tmp_path / "c", download=False, _checksums=checksums)
    for dtype in (np.float64, "float32"):
        got = load_mnist(src, cache_dir=tmp_path / "c", download=False, _checksums=checksums, dtype=dtype)
        for X, X0 in ((got.X_train, raw.X_train), (got.X_test, raw.X_test)):
            assert X.dtype == np.dtype(dtype)
            assert X.tobytes() == (X0.astype(dtype) / 255.0).tobytes()  # bit for bit
        np.testing.assert_array_equal(got.y_train, raw.y_train)


@pytest.mark.parametrize("dtype", [np.int64, "uint8", "not a dtype"])
def test_a_dtype_that_is_not_floating_is_refused_before_anything_is_read(tmp_path, dtype):
    with pytest.raises(ValueError, match="floating dtype"):
        load_mnist(tmp_path / "nowhere", cache_dir=tmp_path / "c", download=False, dtype=dtype)


def test_shared_copies_are_equal_private_and_follow_the_content(tmp_path, synthetic, sharing):
    if not sharing:
        pytest.skip("no sealed memory files on this platform")
    src, arrays, contents, checksums = synthetic
    kw = dict(cache_dir=tmp_path / "c", download=False, _checksums=checksums, dtype=np.float64)
    first = load_mnist(src, **kw)
    expected = first.X_train.copy()
    first.X_train[:] = -1.0  # what a student's in-place preprocessing does to the judge's copy
    first.X_test[0, 0] = 42.0
    second = load_mnist(src, **kw)
    assert second.X_train.flags.writeable and type(second.X_train) is np.ndarray
    np.testing.assert_array_equal(second.X_train, expected)
    assert second.X_test[0, 0] != 42.0
    assert len(mn._SHARED) == 1
    # other images: other scaled arrays, never the frozen ones of the first content
    other = {n: np.ascontiguousarray(255 - a) if a.ndim == 3 else a for n, a in arrays.items()}
    src2 = tmp_path / "src2"
    other_contents = {n: idx_bytes(a) for n, a in other.items()}
    for n, c in other_contents.items():
        write_file(src2, n, c, gz=True)
    sums2 = {n: hashlib.sha256(c).hexdigest() for n, c in other_contents.items()}
    third = load_mnist(src2, cache_dir=tmp_path / "c2", download=False, _checksums=sums2, dtype=np.float64)
    np.testing.assert_array_equal(third.X_train, (255 - arrays[NAMES[0]].reshape(5, 784)) / 255.0)
    assert len(mn._SHARED) == 2


def test_sharing_falls_back_to_plain_arrays_when_no_memory_file_can_be_made(tmp_path, synthetic, sharing,
                                                                           monkeypatch):
    from autograder.data import frozen

    src, arrays, _, checksums = synthetic

    def no_room(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(frozen, "FrozenArrays", no_room)
    got = load_mnist(src, cache_dir=tmp_path / "c", download=False, _checksums=checksums, dtype=np.float64)
    np.testing.assert_array_equal(got.X_train, arrays[NAMES[0]].reshape(5, 784) / 255.0)
    assert got.X_train.flags.writeable and not mn._SHARED


def test_sharing_reads_an_unchanged_cache_file_once_and_hands_out_private_arrays(tmp_path, synthetic, sharing,
                                                                                monkeypatch):
    if not sharing:
        pytest.skip("no sealed memory files on this platform")
    src, arrays, contents, checksums = synthetic
    kw = dict(cache_dir=tmp_path / "c", download=False, _checksums=checksums)
    load_mnist(src, **kw)  # parses the files and writes the cache
    reads = []
    real_read = mn._read_cache_file
    monkeypatch.setattr(mn, "_read_cache_file", lambda *a: reads.append(a) or real_read(*a))
    hashed = []
    real_key = mn._content_key
    monkeypatch.setattr(mn, "_content_key", lambda data: hashed.append(1) or real_key(data))
    first = load_mnist(src, dtype=np.float64, **kw)
    first.y_train[:] = 9  # what a test's in-place change does to its own copy
    raw = load_mnist(src, **kw)
    raw.X_train[:] = 0
    raw.y_test[:] = 7
    second = load_mnist(src, dtype=np.float64, **kw)
    again = load_mnist(src, **kw)
    assert len(reads) == 1 and len(hashed) == 1  # read and hashed once, not at every call
    np.testing.assert_array_equal(second.y_train, arrays[NAMES[1]])
    np.testing.assert_array_equal(again.X_train, arrays[NAMES[0]].reshape(5, 784))
    np.testing.assert_array_equal(again.y_test, arrays[NAMES[3]])
    np.testing.assert_array_equal(second.X_train, arrays[NAMES[0]].reshape(5, 784) / 255.0)
    # the cache file replaced (other images under the same checksums' names): read again, new arrays
    other = mn.MNIST(np.ascontiguousarray(255 - again.X_train), again.y_train, again.X_test, again.y_test)
    with np.load(tmp_path / "c" / mn.CACHE_NAME) as z:
        source = str(z["source"])
    mn._write_cache(tmp_path / "c", other, checksums, source)
    third = load_mnist(src, dtype=np.float64, **kw)
    assert len(reads) == 2
    np.testing.assert_array_equal(third.X_train, (255 - arrays[NAMES[0]].reshape(5, 784)) / 255.0)


# ----------------------------------------------------------------------------- the real MNIST

def _real_mnist_dir() -> Path | None:
    for d in (REAL_MNIST_DIR, SHARED_MNIST):
        if d and all((Path(d) / (n + ".gz")).is_file() or (Path(d) / n).is_file() for n in NAMES):
            return Path(d)
    return None


def test_real_mnist(tmp_path):
    d = _real_mnist_dir()
    if d is None:
        pytest.skip("no MNIST copy (set MNIST_DIR or provide ../shared/data/mnist)")
    cache = tmp_path / "cache"
    data = load_mnist(d, cache_dir=cache, download=False)
    assert data.X_train.shape == (60000, 784) and data.X_train.dtype == np.uint8
    assert data.y_train.shape == (60000,) and data.y_train.dtype == np.int64
    assert data.X_test.shape == (10000, 784) and data.X_test.dtype == np.uint8
    assert data.y_test.shape == (10000,) and data.y_test.dtype == np.int64
    assert np.bincount(data.y_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(data.y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert data.X_train.max() == 255 and data.X_train.min() == 0
    start = time.perf_counter()
    again = load_mnist(d, cache_dir=cache, download=False)
    assert time.perf_counter() - start < 2.0
    for a, b in zip(data, again):
        np.testing.assert_array_equal(a, b)


# ----------------------------------------------------------------------------- moons

def test_load_moons():
    X_train, X_test, y_train, y_test = load_moons()
    assert X_train.shape == (350, 2) and X_test.shape == (150, 2)
    assert y_train.shape == (350,) and y_test.shape == (150,)
    assert X_train.dtype == np.float64 and y_train.dtype == np.int64 and y_test.dtype == np.int64
    assert set(np.unique(np.concatenate([y_train, y_test]))) == {0, 1}
    for a, b in zip((X_train, X_test, y_train, y_test), load_moons()):
        np.testing.assert_array_equal(a, b)
    from sklearn.datasets import make_moons
    from sklearn.model_selection import train_test_split
    X, y = make_moons(n_samples=500, noise=0.2, random_state=42)
    for a, b in zip((X_train, X_test, y_train, y_test), train_test_split(X, y, test_size=0.3, random_state=42)):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(load_moons(random_state=0)[0], X_train)


def _moons_cache_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("moons-*.npz"))


def _reference_moons(**params):
    from sklearn.datasets import make_moons
    from sklearn.model_selection import train_test_split
    X, y = make_moons(n_samples=params.get("n_samples", 500), noise=params.get("noise", 0.2),
                      random_state=params.get("random_state", 42))
    return train_test_split(X, y, test_size=params.get("test_size", 0.3), random_state=params.get("random_state", 42))


def test_load_moons_is_cached_and_read_back_without_sklearn(tmp_path):
    import subprocess
    import sys

    cache = tmp_path / "cache"
    first = load_moons(cache_dir=cache)
    [stored] = _moons_cache_files(cache)
    assert not list(cache.glob(".*.part"))  # written atomically, nothing left over
    again = load_moons(cache_dir=cache)
    for a, b, ref in zip(first, again, _reference_moons()):
        np.testing.assert_array_equal(a, ref)
        np.testing.assert_array_equal(b, ref)
        assert a.dtype == b.dtype
    # a fresh process reads the file and never imports scikit-learn
    code = ("import sys; from autograder.data import load_moons; a = load_moons(cache_dir=sys.argv[1]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sklearn')); print(a[0][:2].tolist())")
    out = subprocess.run([sys.executable, "-c", code, str(cache)], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[0] == "[]", out
    assert out.splitlines()[1] == str(first[0][:2].tolist())
    # other parameters: another file, other points
    other = load_moons(cache_dir=cache, random_state=0)
    assert len(_moons_cache_files(cache)) == 2 and stored in _moons_cache_files(cache)
    for a, ref in zip(other, _reference_moons(random_state=0)):
        np.testing.assert_array_equal(a, ref)


def test_load_moons_never_uses_a_changed_or_foreign_cache_file(tmp_path):
    cache = tmp_path / "cache"
    load_moons(cache_dir=cache)
    [stored] = _moons_cache_files(cache)
    with np.load(stored) as f:
        content = {k: f[k] for k in f.files}
    # a changed array without a matching digest: not used, made again (and the file repaired)
    np.savez(stored, **{**content, "X_train": content["X_train"] + 1.0})
    for a, ref in zip(load_moons(cache_dir=cache), _reference_moons()):
        np.testing.assert_array_equal(a, ref)
    with np.load(stored) as f:
        np.testing.assert_array_equal(f["X_train"], content["X_train"])
    # the file of other parameters put under this key's name: its key does not match, so it is not used
    load_moons(cache_dir=cache, random_state=7)
    [seven] = [p for p in _moons_cache_files(cache) if p != stored]
    shutil.copyfile(seven, stored)
    for a, ref in zip(load_moons(cache_dir=cache), _reference_moons()):
        np.testing.assert_array_equal(a, ref)
    # a truncated file: made again
    stored.write_bytes(stored.read_bytes()[:100])
    for a, ref in zip(load_moons(cache_dir=cache), _reference_moons()):
        np.testing.assert_array_equal(a, ref)


def test_load_moons_cache_key_follows_parameters_and_versions(monkeypatch):
    from importlib import metadata

    from autograder.data import moons

    key = moons._key(500, 0.2, 42, 0.3)
    assert key == moons._key(500, 0.2, np.int64(42), 0.3)
    assert len({key, moons._key(501, 0.2, 42, 0.3), moons._key(500, 0.25, 42, 0.3), moons._key(500, 0.2, 43, 0.3),
                moons._key(500, 0.2, 42, 0.31), moons._key(500, 0.2, 42, 150)}) == 6
    assert moons._key(500, 0.2, None, 0.3) is None  # new points on every call: never cached
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "0.0.1" if name == "scikit-learn" else real(name))
    assert moons._key(500, 0.2, 42, 0.3) != key
    monkeypatch.setattr(np, "__version__", "0.0.1")
    monkeypatch.setattr(metadata, "version", real)
    assert moons._key(500, 0.2, 42, 0.3) != key


def test_load_moons_without_a_writable_cache(tmp_path):
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the cache directory should be")
    for a, ref in zip(load_moons(cache_dir=blocked / "cache"), _reference_moons()):
        np.testing.assert_array_equal(a, ref)
    cache = tmp_path / "cache"
    load_moons(cache_dir=cache, random_state=None)
    assert not cache.exists() or not _moons_cache_files(cache)


def test_load_moons_default_cache_is_the_course_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BACKPROP_COURSE_CACHE", str(tmp_path / "envcache"))
    load_moons()
    assert len(_moons_cache_files(tmp_path / "envcache")) == 1
