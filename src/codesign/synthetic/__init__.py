"""Realistic synthetic emergency department data, for tests, benchmarks and the demo.

:func:`ed_extract` draws a de-identified extract with the columns of the triage preset's data
contract; :func:`plant_identifiers` leaves identifiers in it on purpose (names, NIR, phone
numbers, e-mails, addresses, dates of birth, generated with Faker's ``fr_FR`` locale) with known
counts, as in a raw extract nobody cleaned. numpy, pandas, pyarrow and Faker are imported when a
function is called, not at import.
"""

from codesign.synthetic.extract import (
    EXTENDED_COLUMNS,
    TRIAGE_COLUMNS,
    VITAL_SIGN_COLUMNS,
    ed_extract,
    extended_contract,
)
from codesign.synthetic.identifiers import Planted, PlantOptions, plant_identifiers, raw_extract

__all__ = [
    "EXTENDED_COLUMNS",
    "TRIAGE_COLUMNS",
    "VITAL_SIGN_COLUMNS",
    "PlantOptions",
    "Planted",
    "ed_extract",
    "extended_contract",
    "plant_identifiers",
    "raw_extract",
]
