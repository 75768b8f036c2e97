"""The portfolio: every AI initiative under some folders, on one page, on the same terms.

A hospital group's AI office runs this over the file share where its projects live::

    from codesign.portfolio import build_portfolio, write_portfolio

    portfolio = build_portfolio(["/shares/ai"])      # every project read, flags set
    files = write_portfolio(portfolio, "portfolio")  # index.html, portfolio.csv, portfolio.json

``codesign portfolio ROOT... [--out DIR]`` does the same from the command line.
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
