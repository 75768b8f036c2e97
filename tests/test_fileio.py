"""Atomic writes: create-only, compare-and-swap, replace; nothing half-written on failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codesign.exceptions import ConflictError, FileReadError, FileWriteError
from codesign.fileio import (
    MUST_NOT_EXIST,
    REPLACE_ANY,
    atomic_write,
    check_regular_file,
    output_folder,
    project_folder,
    read_if_exists,
    read_user_file,
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


# --- reading a user's file: regular files only, bounded before reading -------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


@pytest.mark.timeout(10)
def test_a_fifo_is_refused_at_once(fifo: Path) -> None:
    with pytest.raises(FileReadError, match=r"pipe: is a named pipe \(FIFO\), expected a regular"):
        read_user_file(fifo)
    with pytest.raises(FileReadError, match="named pipe"):
        sha256_file(fifo)
    with pytest.raises(FileReadError, match="named pipe"):
        read_if_exists(fifo)


@pytest.mark.timeout(10)
def test_an_endless_device_is_refused_before_reading() -> None:
    with pytest.raises(FileReadError, match=r"/dev/zero: is a device, expected a regular file"):
        read_user_file(Path("/dev/zero"))
    with pytest.raises(FileReadError, match="is a device"):
        check_regular_file(Path("/dev/zero"), what="data file")


def test_a_file_over_its_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"x" * 2048)
    with pytest.raises(FileReadError, match="2048 bytes, more than the 1024 bytes a charter may"):
        read_user_file(path, limit=1024, what="charter")
    assert read_user_file(path, limit=2048) == b"x" * 2048


def test_a_folder_and_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileReadError, match="is a folder"):
        read_user_file(tmp_path)
    with pytest.raises(FileNotFoundError):
        read_user_file(tmp_path / "nope")
    assert read_if_exists(tmp_path / "nope") is None


# --- writing: the umask, and never through a link out of the project ---------------------------


def test_new_files_honour_the_umask_and_replaced_files_keep_their_mode(tmp_path: Path) -> None:
    previous = os.umask(0o077)
    try:
        atomic_write(tmp_path / "new.txt", b"one", expected_sha256=MUST_NOT_EXIST)
        update_file(tmp_path / "updated.txt", lambda _old: b"one")
    finally:
        os.umask(previous)
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "updated.txt").stat().st_mode & 0o777 == 0o600
    kept = tmp_path / "kept.txt"
    kept.write_bytes(b"old")
    kept.chmod(0o640)
    atomic_write(kept, b"new", expected_sha256=REPLACE_ANY)
    assert kept.stat().st_mode & 0o777 == 0o640


def test_a_linked_folder_in_the_project_is_never_written_through(tmp_path: Path) -> None:
    project, victim = tmp_path / "project", tmp_path / "victim"
    project.mkdir()
    victim.mkdir()
    (project / "reports").symlink_to(victim)
    with pytest.raises(FileWriteError, match=r"reports: is a symbolic link; codesign writes only"):
        project_folder(project, "reports")
    with pytest.raises(FileWriteError, match="leads out of"):
        atomic_write(
            project / "reports" / "a.html", b"x", expected_sha256=REPLACE_ANY, within=project
        )
    assert list(victim.iterdir()) == []
    (project / "governance").mkdir()
    (project / "governance" / "results").write_text("a file")
    with pytest.raises(FileWriteError, match="results: is a file, expected a folder"):
        project_folder(project, Path("governance") / "results")


def test_project_folder_makes_real_folders_and_the_root_may_be_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "share").symlink_to(real)
    made = project_folder(tmp_path / "share", Path("governance") / "results")
    assert made == tmp_path / "share" / "governance" / "results"
    assert (real / "governance" / "results").is_dir()
    atomic_write(made / "x.json", b"{}", expected_sha256=REPLACE_ANY, within=tmp_path / "share")
    assert (real / "governance" / "results" / "x.json").read_bytes() == b"{}"


def test_an_output_folder_is_made_and_must_be_a_real_folder(tmp_path: Path) -> None:
    made = output_folder(tmp_path / "out" / "evidence", what="evidence folder")
    assert made.is_dir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(FileWriteError, match="is a symbolic link; the evidence folder must be"):
        output_folder(tmp_path / "link", what="evidence folder")
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileWriteError, match="is a file, expected a folder for the portfolio"):
        output_folder(tmp_path / "file", what="portfolio")
    with pytest.raises(FileWriteError, match="cannot create the folder"):
        output_folder(tmp_path / "file" / "below")
    assert list((tmp_path / "elsewhere").iterdir()) == []
