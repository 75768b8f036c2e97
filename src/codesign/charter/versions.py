"""Charter versions as people name them: a number and a date, not a content hash.

A sign-off approves the charter's content (its SHA-256, :meth:`Charter.content_sha256`), but
people in a workshop speak of "version 4 of 25 November". ``workshop/versions.json`` numbers
each distinct content the first time the workshop sees it saved, under the folder lock, so two
pages seeing the same new version give it the same number.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from codesign.charter.ratings import FOLDER, make_folder, read_small, refuse_symlink
from codesign.exceptions import DataError
from codesign.fileio import update_file

VERSIONS_FILE: Final = "versions.json"


@dataclass(frozen=True)
class Version:
    """A charter content's number (1, 2, ...) and when it was first seen saved."""

    number: int
    first_seen: dt.datetime
    sha256: str


class VersionBook:
    """The numbered versions of one project's charter (``workshop/versions.json``)."""

    def __init__(self, project_root: Path) -> None:
        self.root = Path(project_root)
        self.path = self.root / FOLDER / VERSIONS_FILE

    def known(self) -> list[Version]:
        """Every version seen so far, oldest first."""
        return _parse(read_small(self.path), self.path)

    def number(self, sha256: str, *, seen_at: dt.datetime | None = None) -> Version:
        """The version of this content, numbered now if it was never seen."""
        for version in self.known():
            if version.sha256 == sha256:
                return version
        make_folder(self.root, self.path.parent)
        refuse_symlink(self.path)
        moment = (seen_at or dt.datetime.now(dt.UTC)).replace(microsecond=0)
        found: list[Version] = []

        def add(current: bytes | None) -> bytes:
            versions = _parse(current, self.path)
            match = next((v for v in versions if v.sha256 == sha256), None)
            if match is None:
                match = Version(number=len(versions) + 1, first_seen=moment, sha256=sha256)
                versions.append(match)
            found.append(match)
            rows = [
                {"number": v.number, "first_seen": v.first_seen.isoformat(), "sha256": v.sha256}
                for v in versions
            ]
            return (json.dumps(rows, indent=1) + "\n").encode("utf-8")

        update_file(self.path, add)
        return found[0]


def _parse(data: bytes | None, path: Path) -> list[Version]:
    if data is None:
        return []
    try:
        rows = json.loads(data)
        return [
            Version(
                number=int(row["number"]),
                first_seen=dt.datetime.fromisoformat(row["first_seen"]),
                sha256=str(row["sha256"]),
            )
            for row in rows
        ]
    except (ValueError, TypeError, KeyError) as e:
        msg = f"{path}: not a list of charter versions"
        raise DataError(msg) from e
