"""Writing the portfolio's three files: the dashboard and its CSV and JSON exports.

Each file is written atomically (:func:`codesign.fileio.atomic_write`), so a reader on the file
share sees the previous version or the new one, never half a page. A file already in the output
folder is replaced only if an earlier run wrote it (its generator mark is there): pointing
``--out`` at a folder holding someone's own ``index.html`` refuses, with nothing written,
rather than overwriting their work.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from codesign.exceptions import FileReadError, FileWriteError, PortfolioError
from codesign.fileio import (
    MIB,
    MUST_NOT_EXIST,
    atomic_write,
    output_folder,
    read_user_file,
    sha256_bytes,
)
from codesign.portfolio.dashboard import render_dashboard
from codesign.portfolio.exports import CSV_MARK_COLUMNS, GENERATOR, portfolio_csv, portfolio_json

if TYPE_CHECKING:
    from codesign.fileio import Overwrite
    from codesign.portfolio.model import Portfolio

logger = logging.getLogger(__name__)

HTML_NAME: Final = "index.html"
CSV_NAME: Final = "portfolio.csv"
JSON_NAME: Final = "portfolio.json"

_MARKS: Final = {
    HTML_NAME: f'<meta name="generator" content="{GENERATOR}">'.encode(),
    JSON_NAME: f'{{\n  "generator": "{GENERATOR}"'.encode(),
    CSV_NAME: ",".join(CSV_MARK_COLUMNS).encode(),
}
"""What an earlier run's file holds near its start, by file name."""
_MARK_WINDOW: Final = 1024
_MAX_EARLIER_BYTES: Final = 256 * MIB
"""Larger than any portfolio page of a few thousand initiatives; bounds what is read to check."""


@dataclass(frozen=True)
class PortfolioFiles:
    """Where the portfolio was written."""

    html: Path
    csv: Path
    json: Path


def write_portfolio(portfolio: Portfolio, out_dir: Path | str) -> PortfolioFiles:
    """Write ``index.html``, ``portfolio.csv`` and ``portfolio.json`` into ``out_dir``.

    The folder is created if needed. Raises :class:`~codesign.exceptions.PortfolioError` (with
    nothing written) when it cannot be created or holds one of these files that codesign did not
    write, and :class:`~codesign.exceptions.FileWriteError` when a write fails (the previous
    file stays whole).
    """
    folder = _folder(Path(out_dir).expanduser().absolute())
    contents = {
        HTML_NAME: render_dashboard(portfolio, folder).encode("utf-8"),
        CSV_NAME: portfolio_csv(portfolio, folder).encode("utf-8"),
        JSON_NAME: portfolio_json(portfolio, folder).encode("utf-8"),
    }
    expected = {name: _replaceable(folder / name) for name in contents}
    for name, data in contents.items():
        atomic_write(folder / name, data, expected_sha256=expected[name])
    logger.info("wrote the portfolio to %s", folder)
    return PortfolioFiles(html=folder / HTML_NAME, csv=folder / CSV_NAME, json=folder / JSON_NAME)


def _folder(folder: Path) -> Path:
    try:
        return output_folder(folder, what="portfolio")
    except FileWriteError as e:
        raise PortfolioError(f"--out {e}") from e


def _replaceable(path: Path) -> str | Overwrite:
    """What :func:`atomic_write` may replace at ``path``: nothing, or exactly our earlier file.

    The hash of the file as checked is passed on, so a file changed between this check and the
    write is not overwritten either.
    """
    try:
        data = read_user_file(path, limit=_MAX_EARLIER_BYTES, what="earlier portfolio file")
    except FileNotFoundError:
        return MUST_NOT_EXIST
    except FileReadError as e:
        msg = f"{e}; choose another --out folder for the portfolio, or move that file away"
        raise PortfolioError(msg) from e
    if _MARKS[path.name] not in data[:_MARK_WINDOW]:
        msg = (
            f"{path}: exists and was not written by `codesign portfolio`; nothing was written. "
            "Choose another --out folder, or move that file away."
        )
        raise PortfolioError(msg)
    return sha256_bytes(data)
