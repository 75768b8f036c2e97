"""PHI detection: every category found, clinical numbers left alone, same rules everywhere."""

from __future__ import annotations

import pyarrow as pa
import pytest
from faker.providers.person.fr_FR import Provider as FrenchNames
from stdnum.fr import nir

from codesign.governance import phi
from codesign.project import PHI_CATEGORIES
from codesign.synthetic import PlantOptions, ed_extract, plant_identifiers


def found(text: str) -> set[str]:
    masks = phi.scan_strings(pa.array([text]))
    return {category for category, mask in masks.items() if mask[0]}


def with_key(body: str) -> str:
    return body + nir.calc_check_digits(body)


POSITIVES = [
    ("NIR " + with_key("1850578006084"), "phi.nir"),
    ("sécu " + nir.format(with_key("2951099126111")), "phi.nir"),
    ("NIR " + with_key("253072A073004"), "phi.nir"),  # born in Corse-du-Sud
    ("NIR " + with_key("253072B073004").lower(), "phi.nir"),  # Haute-Corse, lower case
    ("NIR 2 53 07 2B 073 004 " + nir.calc_check_digits("253072B073004"), "phi.nir"),
    ("tél fille 06 12 34 56 78.", "phi.phone"),
    ("tél 0612345678", "phi.phone"),
    ("tél 06.12.34.56.78", "phi.phone"),
    ("tél 01-23-45-67-89", "phi.phone"),
    ("portable +33 6 12 34 56 78", "phi.phone"),
    ("portable +33 (0)6 12 34 56 78", "phi.phone"),
    ("portable +33612345678", "phi.phone"),
    ("0033 1 23 45 67 89", "phi.phone"),
    ("mail jean.dupont@example.org", "phi.email"),
    ("Vu avec Mme Dupont.", "phi.name"),
    ("M. Lefèvre appelé", "phi.name"),
    ("Dr A. Martin prévenu", "phi.name"),
    ("accompagnée par Léa Moreau", "phi.name"),
    ("MOREAU Léa", "phi.name"),
    ("Jean-Pierre de Gaulle", "phi.name"),
    ("domicile 12, rue des Lilas, 75011 Paris", "phi.address"),
    ("vit au 3 bis avenue Foch", "phi.address"),
    ("4 Allée des Tilleuls", "phi.address"),
    ("né le 12/03/1954", "phi.birthdate"),
    ("née le 3 mars 1954", "phi.birthdate"),
    ("DDN 12.03.54", "phi.birthdate"),
    ("date de naissance : 1954-03-12", "phi.birthdate"),
    ("Né(e) le 01/01/1990", "phi.birthdate"),
]

CLINICAL = [
    "TA 135/85, FC 112, FR 22, SpO2 94% AA, T° 38.2. EVA 6/10.",
    "paracétamol 1 g PO à 14h30, morphine 3 mg IV, NaCl 0,9 % 500 mL.",
    "Hb 12,5 g/dL, CRP 48 mg/L, lactates 2.1 mmol/L, troponine 14 ng/L, INR 2,4.",
    "installé box 12, brancard 7, transfert chambre 214 prévu.",
    "VAT faite, lot A1234. CIP 3400935955838 délivré.",
    "vu le 03/02 par MT. RDV contrôle le 12/03/2025 à 9h00.",
    "glycémie 10.03.2024 10h30 contrôlée",  # a dotted date then an hour: not a phone
    "dossier 123456789012345 archivé",  # 15 digits, wrong NIR key
    "Dr de garde prévenu. Mme anxieuse. M. le médecin régulateur informé.",
    "Appel SAMU Centre 15. ECG: RSR 88/min, QRS 96 ms. Glasgow Normal.",
    "O2 3 L/min, 1 voie veineuse, 2 passages aux urgences cette année.",
    "poids 72 kg, taille 1,68 m, pds stable depuis 2019.",
]


@pytest.mark.parametrize(("text", "category"), POSITIVES)
def test_each_category_is_found(text: str, category: str) -> None:
    assert category in found(text)


@pytest.mark.parametrize("text", CLINICAL)
def test_clinical_numbers_are_not_phi(text: str) -> None:
    assert found(text) == set()


def test_a_nir_with_a_wrong_key_is_not_a_nir() -> None:
    valid = with_key("1850578006084")
    wrong = valid[:-2] + f"{(int(valid[-2:]) + 1) % 100:02d}"
    assert not nir.is_valid(wrong)
    assert found(f"NIR {valid}") == {"phi.nir"}
    assert found(f"NIR {wrong}") == set()
    assert phi.text_has_valid_nir(f"{wrong} puis {valid}")


def test_corsica_keys_follow_the_official_rule() -> None:
    # 2A counts as 19 and 2B as 18 in the key: the same digits with 19/18 give the same key.
    for letter, digits in (("2A", "19"), ("2B", "18")):
        body = f"25307{letter}073004"
        key = nir.calc_check_digits(body)
        assert key == f"{97 - int(body.replace(letter, digits)) % 97:02d}"
        assert found(f"NIR {body}{key}") == {"phi.nir"}


def test_nulls_and_empty_hold_nothing() -> None:
    masks = phi.scan_strings(pa.array([None, "", "RAS"]))
    assert all(not mask.any() for mask in masks.values())


def test_clean_synthetic_notes_are_clean() -> None:
    frame = ed_extract(20_000, seed=5, extended=True)
    for column in ("nurse_note", "chief_complaint", "history"):
        masks = phi.scan_strings(pa.array(frame[column]))
        assert {c: int(m.sum()) for c, m in masks.items()} == dict.fromkeys(PHI_CATEGORIES, 0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_identifiers_are_counted_exactly(seed: int) -> None:
    counts = dict.fromkeys(PHI_CATEGORIES, 60)
    planted = plant_identifiers(
        ed_extract(1_500, seed=seed), PlantOptions(counts=counts, identity_columns=True, seed=seed)
    )
    for column in ("nurse_note", "patient_name", "nir"):
        masks = phi.scan_strings(pa.array(planted.frame[column]))
        got = {(column, c): int(m.sum()) for c, m in masks.items() if m.any()}
        assert got == {k: v for k, v in planted.expected.items() if k[0] == column}


def test_the_first_name_list_covers_fakers_french_names() -> None:
    known = set(phi.first_names())
    names = set(FrenchNames.first_names_male) | set(FrenchNames.first_names_female)
    missing = sorted(names - known)
    assert len(missing) <= len(names) * 0.02, missing


def test_patterns_are_portable() -> None:
    # RE2, Python and PostgreSQL share no \\d, \\b, \\w nor look-arounds in the row patterns.
    for pattern in phi.patterns():
        for construct in ("\\d", "\\b", "\\w", "\\s", "(?=", "(?!", "(?<"):
            assert construct not in pattern.regex, (pattern.category, construct)
