"""Planting identifiers: known counts, valid NIR (Corsica included), canaries listed."""

from __future__ import annotations

import re

import pytest
from stdnum.fr import nir

from codesign.project import PHI_CATEGORIES
from codesign.synthetic import PlantOptions, ed_extract, plant_identifiers, raw_extract


def test_counts_and_canaries() -> None:
    frame = ed_extract(300, seed=2)
    counts = dict(zip(PHI_CATEGORIES, (1, 2, 3, 4, 5, 6, 7), strict=True))
    planted = plant_identifiers(frame, PlantOptions(counts=counts, seed=4))
    assert planted.expected == {("nurse_note", c): n for c, n in counts.items()}
    assert len(planted.canaries) == sum(counts.values())
    notes = "\n".join(planted.frame["nurse_note"].dropna())
    assert all(canary in notes for canary in planted.canaries)
    assert not any(canary in "\n".join(frame["nurse_note"].dropna()) for canary in planted.canaries)
    assert list(planted.frame.columns) == list(frame.columns)


def test_identity_columns_are_consistent_with_the_row() -> None:
    planted = raw_extract(500, seed=3, per_category=2)
    frame = planted.frame
    assert {"patient_name", "nir"} <= set(frame.columns)
    assert planted.expected[("nir", "phi.nir")] == 500
    numbers = frame["nir"].map(nir.compact)
    assert numbers.map(nir.is_valid).all()
    sex_digit = numbers.str[0].map({"1": "M", "2": "F"})
    assert (sex_digit == frame["sex"]).all()
    assert (numbers.str[1:3].astype(int) == (2025 - frame["age"]) % 100).all()
    assert numbers.str[5:7].isin(["2A", "2B"]).any()  # born in Corsica


def test_phone_formats_vary() -> None:
    planted = plant_identifiers(
        ed_extract(400, seed=1), PlantOptions(counts={"phi.phone": 200}, seed=1)
    )
    shapes = {re.sub(r"\d", "9", c) for c in planted.canaries}
    assert {"99 99 99 99 99", "9999999999", "+99 9 99 99 99 99", "+99 (9)9 99 99 99 99"} <= shapes


def test_bad_requests_are_refused() -> None:
    frame = ed_extract(10, seed=1)
    with pytest.raises(ValueError, match="unknown categories"):
        plant_identifiers(frame, PlantOptions(counts={"phi.ssn": 1}))
    with pytest.raises(ValueError, match="cannot plant 11"):
        plant_identifiers(frame, PlantOptions(counts={"phi.email": 11}))
    with pytest.raises(ValueError, match="not in the frame"):
        plant_identifiers(frame, PlantOptions(counts={"phi.email": 1}, column="notes"))
