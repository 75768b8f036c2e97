"""The portfolio: every AI initiative under some folders, on one page, on the same terms.

A hospital group's AI office runs this over the file share where its projects live::

    from codesign.portfolio import build_portfolio, write_portfolio

    portfolio = build_portfolio(["/shares/ai"])      # every project read, flags set
    files = write_portfolio(portfolio, "portfolio")  # index.html, portfolio.csv, portfolio.json

``codesign portfolio ROOT... [--out DIR]`` does the same from the command line.

The page, the flags' messages and the command's lines are in the reader's language: the one
chosen by ``--lang`` (:func:`codesign.i18n.use_language` in code), ``CODESIGN_LANG`` or the
locale. A portfolio spans projects whose charters may ask for different languages, so it follows
no charter's ``language:``. Keys read by programs (CSV columns, JSON keys, flag codes) are the
same in every language.
"""

from codesign.portfolio.model import Flag, FlagCode, Initiative, Portfolio, Summary
from codesign.portfolio.output import PortfolioFiles, write_portfolio
from codesign.portfolio.survey import PortfolioOptions, build_portfolio, survey_project

__all__ = [
    "Flag",
    "FlagCode",
    "Initiative",
    "Portfolio",
    "PortfolioFiles",
    "PortfolioOptions",
    "Summary",
    "build_portfolio",
    "survey_project",
    "write_portfolio",
]
