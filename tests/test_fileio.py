"""Atomic writes: create-only, compare-and-swap, replace; nothing half-written on failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codesign.exceptions import ConflictError, FileWriteError
from codesign.fileio import (
    MUST_NOT_EXIST,
    REPLACE_ANY,
    atomic_write,
    sha256_bytes,
    sha256_file,
    update_file,
)


def test_create_only(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    digest = atomic_write(path, b"one", expected_sha256=MUST_NOT_EXIST)
    assert digest == sha256_bytes(b"one") == sha256_file(path)
    with pytest.raises(ConflictError, match="already exists"):
        atomic_write(path, b"two", expected_sha256=MUST_NOT_EXIST)
    assert path.read_bytes() == b"one"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_compare_and_swap(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    first = atomic_write(path, b"one", expected_sha256=MUST_NOT_EXIST)
    second = atomic_write(path, b"two", expected_sha256=first)
    with pytest.raises(ConflictError, match="modified elsewhere") as caught:
        atomic_write(path, b"three", expected_sha256=first)
    assert caught.value.theirs == "two"
    assert path.read_bytes() == b"two"
    atomic_write(path, b"three", expected_sha256=second)
    atomic_write(path, b"four", expected_sha256=REPLACE_ANY)
    assert path.read_bytes() == b"four"


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileWriteError, match="does not exist"):
        atomic_write(tmp_path / "nope" / "a.txt", b"x", expected_sha256=REPLACE_ANY)


def test_failed_flush_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old")

    def broken_disk(_fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_disk)
    with pytest.raises(FileWriteError, match="previous version is intact"):
        atomic_write(path, b"new", expected_sha256=REPLACE_ANY)
    monkeypatch.undo()
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_update_file_serialises_read_modify_write(tmp_path: Path) -> None:
    path = tmp_path / "counter"
    for _ in range(3):
        update_file(path, lambda current: str(int(current or b"0") + 1).encode())
    assert path.read_bytes() == b"3"


def test_failed_update_keeps_old_content(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old")

    def explode(_current: bytes | None) -> bytes:
        raise ValueError("bad transform")

    with pytest.raises(ValueError, match="bad transform"):
        update_file(path, explode)
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["a.txt"]
