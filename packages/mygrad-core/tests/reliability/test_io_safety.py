"""``mygrad.save``/``mygrad.load`` (api.md §8, D13): faithful round trips, and a file can
never run code or smuggle in something that is not a tensor."""

from __future__ import annotations

import ast
import io
import pickle
import tempfile
import zipfile
from pathlib import Path

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg

REPO = Path(__file__).resolve().parents[4]
SOURCE_TREES = sorted(REPO.glob("packages/*/src/mygrad"))

saveable_dtypes = st.sampled_from(
    [np.float16, np.float32, np.float64, np.int8, np.int64, np.uint16, np.bool_, ">f8"]
)


def roundtrip_bytes(t: mg.Tensor) -> mg.Tensor:
    buf = io.BytesIO()
    mg.save(buf, t)
    buf.seek(0)
    return mg.load(buf)


def roundtrip_path(t: mg.Tensor) -> mg.Tensor:
    with tempfile.TemporaryDirectory() as tmp:
        mg.save(Path(tmp) / "tensor.npz", t)
        return mg.load(Path(tmp) / "tensor.npz")


@st.composite
def tensors_to_save(draw: st.DrawFn) -> mg.Tensor:
    """A leaf, an intermediate, a view or a constant, with or without a grad."""
    arr = draw(hnp.arrays(saveable_dtypes, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0)))
    kind = draw(st.sampled_from(["leaf", "intermediate", "view", "constant"]))
    floating = arr.dtype.kind == "f"
    if kind == "constant" or not floating:
        return mg.tensor(arr, constant=True)
    leaf = mg.tensor(arr)
    t = {"leaf": leaf, "intermediate": leaf * 1, "view": leaf[...]}[kind]
    if draw(st.booleans()):
        t.backward(draw(hnp.arrays(arr.dtype, arr.shape)))
    return t


@settings(max_examples=60, deadline=None)
@given(tensors_to_save(), st.sampled_from([roundtrip_bytes, roundtrip_path]))
def test_roundtrip_keeps_data_dtype_grad_and_infers_constant(t, roundtrip):
    loaded = roundtrip(t)
    assert type(loaded) is mg.Tensor and loaded.creator is None and loaded.base is None
    assert loaded.dtype == t.dtype
    np.testing.assert_array_equal(loaded.data, t.data)
    assert loaded.constant == (t.dtype.kind != "f")  # from the dtype, not from t (§S1)
    if t.grad is None:
        assert loaded.grad is None
    else:
        np.testing.assert_array_equal(loaded.grad, t.grad)
        assert loaded.grad.dtype == t.dtype
        assert not np.shares_memory(loaded.grad, loaded.data)
    assert loaded.data.flags.writeable
    assert not np.shares_memory(loaded.data, t.data)


def test_a_loaded_tensor_is_a_working_leaf():
    x = mg.tensor([1.0, 2.0])
    loaded = roundtrip_bytes(x)
    (loaded * loaded).backward()
    np.testing.assert_array_equal(loaded.grad, [2.0, 4.0])


def test_load_keeps_the_grad_under_no_autodiff():
    x = mg.tensor([1.0, 2.0])
    (3 * x).backward()
    buf = io.BytesIO()
    mg.save(buf, x)
    buf.seek(0)
    with mg.no_autodiff:
        loaded = mg.load(buf)
    np.testing.assert_array_equal(loaded.grad, [3.0, 3.0])


# ---------------------------------------------------------------- hostile files


class WritesMarker:
    """Unpickling this object creates ``path``: the stand-in for arbitrary code."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.path), "w"))


def object_array(marker: Path) -> np.ndarray:
    arr = np.empty(1, dtype=object)
    arr[0] = WritesMarker(marker)
    return arr


def npz_bytes(**arrays: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)  # object arrays get pickled into the archive
    return buf.getvalue()


def test_the_crafted_payload_is_live(tmp_path):
    """The hostile archives below really would run code if anything unpickled them."""
    marker = tmp_path / "ran"
    crafted = npz_bytes(data=object_array(marker))
    with np.load(io.BytesIO(crafted), allow_pickle=True) as archive:
        archive["data"]
    assert marker.exists()


def hostile_files(marker: Path) -> dict[str, bytes]:
    npy = io.BytesIO()
    np.save(npy, object_array(marker), allow_pickle=True)
    return {
        "object data": npz_bytes(data=object_array(marker)),
        "object grad": npz_bytes(data=np.ones(1), grad=object_array(marker)),
        "object array among extra keys": npz_bytes(data=np.ones(1), x=object_array(marker)),
        "raw pickle": pickle.dumps(WritesMarker(marker)),
        "pickled .npy": npy.getvalue(),
    }


@pytest.mark.parametrize("name", list(hostile_files(Path("unused"))))
@pytest.mark.parametrize("as_path", [False, True])
def test_a_hostile_file_is_refused_and_its_payload_never_runs(tmp_path, name, as_path):
    marker = tmp_path / "ran"
    content = hostile_files(marker)[name]
    source: object = io.BytesIO(content)
    if as_path:
        source = tmp_path / "hostile.npz"
        source.write_bytes(content)
    with pytest.raises(ValueError, match="mygrad.load"):
        mg.load(source)
    assert not marker.exists()


def zip_with(**members: bytes) -> io.BytesIO:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    buf.seek(0)
    return buf


def npz(**arrays: np.ndarray) -> io.BytesIO:
    return io.BytesIO(npz_bytes(**arrays))


VALID = npz_bytes(data=np.arange(100.0))

MALFORMED = {
    "no data": (lambda: npz(grad=np.ones(2)), r"'data'.*\['grad'\]"),
    "an extra key": (lambda: npz(data=np.ones(2), extra=np.ones(2)), r"'extra'"),
    "grad of another shape": (lambda: npz(data=np.ones(2), grad=np.ones(3)), r"shape \(3,\)"),
    "grad of another dtype": (
        lambda: npz(data=np.ones(2), grad=np.ones(2, np.float32)),
        "dtype float32",
    ),
    "grad of an integer tensor": (
        lambda: npz(data=np.ones(2, int), grad=np.ones(2, int)),
        "constants",
    ),
    "complex data": (lambda: npz(data=np.ones(2, complex)), "complex128"),
    "string data": (lambda: npz(data=np.array(["a"])), "<U1"),
    "datetime data": (lambda: npz(data=np.array(["2000-01-01"], "M8[D]")), "datetime64"),
    "structured data": (lambda: npz(data=np.zeros(2, "f8,i4")), "dtype"),
    "a member that is not .npy": (lambda: zip_with(**{"data.npy": b"not an array"}), "NumPy"),
    "a truncated archive": (lambda: io.BytesIO(VALID[: len(VALID) // 2]), "not a mygrad"),
    "an empty file": (lambda: io.BytesIO(b""), "not a mygrad"),
    "random bytes": (lambda: io.BytesIO(b"\x00junk" * 10), "not a mygrad"),
    "a single .npy array": (
        lambda: io.BytesIO(_npy(np.ones(2))),
        "single array",
    ),
}


def _npy(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr)
    return buf.getvalue()


@pytest.mark.parametrize("name", list(MALFORMED))
def test_a_malformed_file_is_a_value_error_naming_the_problem(name):
    make, match = MALFORMED[name]
    with pytest.raises(ValueError, match=match):
        mg.load(make())


@pytest.mark.parametrize(
    "data", [np.array([{}], dtype=object), np.array([1j]), np.array(["a"])], ids=str
)
def test_save_refuses_what_load_would_refuse(tmp_path, data):
    with mg.no_autodiff:  # the only place such tensors can exist
        t = mg.tensor(data)
    with pytest.raises(TypeError, match=str(data.dtype)):
        mg.save(tmp_path / "t.npz", t)
    assert not (tmp_path / "t.npz").exists()


def test_load_passes_allow_pickle_false(monkeypatch):
    seen = {}
    real_load = np.load

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(np, "load", spy)
    mg.load(io.BytesIO(VALID))
    assert seen.get("allow_pickle") is False


# ---------------------------------------------------------------- no unpickling anywhere

FORBIDDEN_CALLS = {"eval", "exec"}
FORBIDDEN_ATTRIBUTES = {
    ("pickle", "load"),
    ("pickle", "loads"),
    ("pickle", "Unpickler"),
    ("marshal", "load"),
    ("marshal", "loads"),
    ("shelve", "open"),
}


def unsafe_calls(tree: ast.AST) -> list[str]:
    """Calls that unpickle or evaluate code, and any ``allow_pickle=<not False>``."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
            found.append(f"{func.id}() at line {node.lineno}")
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and (func.value.id, func.attr) in FORBIDDEN_ATTRIBUTES
        ):
            found.append(f"{func.value.id}.{func.attr}() at line {node.lineno}")
        for keyword in node.keywords:
            value = keyword.value
            if keyword.arg == "allow_pickle" and not (
                isinstance(value, ast.Constant) and value.value is False
            ):
                found.append(f"allow_pickle={ast.unparse(value)} at line {node.lineno}")
    return found


def test_the_detector_finds_what_it_looks_for():
    code = "eval('1')\npickle.loads(b)\nnp.load(f, allow_pickle=True)\nnp.load(f, allow_pickle=x)"
    assert len(unsafe_calls(ast.parse(code))) == 4
    assert unsafe_calls(ast.parse("np.load(f, allow_pickle=False)\nobj.eval()")) == []


def test_no_library_code_unpickles_or_evaluates():
    assert len(SOURCE_TREES) == 3, SOURCE_TREES  # core, nnet, testing
    files = [f for tree in SOURCE_TREES for f in sorted(tree.rglob("*.py"))]
    assert len(files) > 50
    offences = {
        str(f.relative_to(REPO)): found
        for f in files
        if (found := unsafe_calls(ast.parse(f.read_text(), filename=str(f))))
    }
    assert offences == {}
