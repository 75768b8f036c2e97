"""PHI detection: every category found, clinical numbers left alone, same rules everywhere."""

from __future__ import annotations

import pyarrow as pa
import pytest
from faker.providers.person.fr_FR import Provider as FrenchNames
from stdnum.fr import nir

from codesign.governance import phi
from codesign.project import PHI_CATEGORIES
from codesign.synthetic import PlantOptions, ed_extract, plant_identifiers
from codesign.synthetic.notes import clinical_notes


def found(text: str) -> set[str]:
    masks = phi.scan_strings(pa.array([text]))
    return {category for category, mask in masks.items() if mask[0]}


def with_key(body: str) -> str:
    return body + nir.calc_check_digits(body)


NIR = with_key("2630475115042")  # 263047511504290
WRONG_KEY = NIR[:-2] + "31"
OVERSEAS = with_key("1850797101002")  # born in Guadeloupe (971)

POSITIVES = [
    # NIR: key-valid anywhere, however spaced; after a cue, 13 digits or a wrong key too
    ("NIR " + with_key("1850578006084"), "phi.nir"),
    ("sécu " + nir.format(with_key("2951099126111")), "phi.nir"),
    ("NIR " + with_key("253072A073004"), "phi.nir"),  # born in Corse-du-Sud
    ("NIR " + with_key("253072B073004").lower(), "phi.nir"),  # Haute-Corse, lower case
    ("NIR 2 53 07 2B 073 004 " + nir.calc_check_digits("253072B073004"), "phi.nir"),
    (" ".join(NIR), "phi.nir"),  # digit by digit, no cue: the key decides
    ("2 63 04 75 115 042 90", "phi.nir"),
    ("26 304 751 150 42 90", "phi.nir"),
    ("2-63-04-75-115-042-90", "phi.nir"),
    ("1 85 07 97 101 002 " + OVERSEAS[-2:], "phi.nir"),
    ("NIR:" + NIR, "phi.nir"),
    ("N° SS : 2 6 3 0 4 7 5 1 1 5 0 4 2 3 1", "phi.nir"),  # wrong key, after a cue
    ("NSS 2630475115042", "phi.nir"),  # 13 digits, no key
    ("numéro de sécurité sociale : " + WRONG_KEY, "phi.nir"),
    ("assuré(e) : 2 63 04 75 115 042", "phi.nir"),
    ("N° d'identification\n 2 63 04 75 115 042 31", "phi.nir"),
    ("Code de l'Assurance Maladie 263047511504231", "phi.nir"),
    ("INSEE 2.63.04.75.115.042.31", "phi.nir"),
    ("immatriculation : 2 63 04 75 115 042", "phi.nir"),
    # phones
    ("tél fille 06 12 34 56 78.", "phi.phone"),
    ("tél 0612345678", "phi.phone"),
    ("tél 06.12.34.56.78", "phi.phone"),
    ("tél 01-23-45-67-89", "phi.phone"),
    ("portable +33 6 12 34 56 78", "phi.phone"),
    ("portable +33 (0)6 12 34 56 78", "phi.phone"),
    ("portable +33612345678", "phi.phone"),
    ("0033 1 23 45 67 89", "phi.phone"),
    ("standard 01 4571 2290", "phi.phone"),
    ("06 1234 5678", "phi.phone"),
    ("06/12/34/56/78", "phi.phone"),
    ("+33.6.12.34.56.78", "phi.phone"),
    ("+33 (0)1 45 71 22 90", "phi.phone"),
    ("poste 4521", "phi.phone"),
    ("bip 37412", "phi.phone"),
    ("joignable au 4410", "phi.phone"),
    ("Tél  :  65671.", "phi.phone"),
    ("postes : 01 45 71 22 90 / 01 45 71 22 91", "phi.phone"),
    # e-mails
    ("mail jean.dupont@example.org", "phi.email"),
    ("courriel <Jean.DUPONT@CHU-Brest.FR>", "phi.email"),
    # names
    ("Vu avec Mme Dupont.", "phi.name"),
    ("M. Lefèvre appelé", "phi.name"),
    ("Dr A. Martin prévenu", "phi.name"),
    ("accompagnée par Léa Moreau", "phi.name"),
    ("MOREAU Léa", "phi.name"),
    ("Jean-Pierre de Gaulle", "phi.name"),
    ("MORVAN Hélène", "phi.name"),
    ("Luc Ardouin", "phi.name"),
    ("Internes : P. Delcourt, S. N'Diaye", "phi.name"),
    ("BENSAID EL AMRANI Karim", "phi.name"),
    ("Équipe réunie en staff : Dr LE GOFF, Karim Haddad", "phi.name"),
    ("Compte rendu signé par Dr. Ardouin", "phi.name"),
    ("4410217:LEMARCHAND Odile", "phi.name"),
    ("appel de luc ardouin ce matin", "phi.name"),
    ("vu avec mme morvan", "phi.name"),
    ("appel de gaudin gilbert.", "phi.name"),
    (
        "NOM Prénom | F | 14/06/1951\nMORVAN Hélène | F | 14/06/1951 | 4410217 | 24001234",
        "phi.name",
    ),
    # addresses
    ("domicile 12, rue des Lilas, 75011 Paris", "phi.address"),
    ("vit au 3 bis avenue Foch", "phi.address"),
    ("4 Allée des Tilleuls", "phi.address"),
    ("12 bd de la République 13005 Marseille", "phi.address"),
    ("7 impasse du Moulin, 29200 Brest CEDEX", "phi.address"),
    ("21 quai de la Fosse", "phi.address"),
    ("3 route de Quimper", "phi.address"),
    # birth dates
    ("né le 12/03/1954", "phi.birthdate"),
    ("née le 3 mars 1954", "phi.birthdate"),
    ("DDN 12.03.54", "phi.birthdate"),
    ("date de naissance : 1954-03-12", "phi.birthdate"),
    ("Né(e) le 01/01/1990", "phi.birthdate"),
    ("14/06/1951 (73 ans)", "phi.birthdate"),
    ("DDN : 14|06|1951", "phi.birthdate"),
    ("née le 14-06-51", "phi.birthdate"),
    ("née le quatorze juin mille neuf cent cinquante et un", "phi.birthdate"),
    ("NÉ(E)\n LE: 14/06/1951", "phi.birthdate"),
    ("MORVAN Hélène | F | 14/06/1951 | 4410217", "phi.birthdate"),
    # hospital patient numbers
    ("IPP : 8001234567", "phi.patient_id"),
    ("NDA 2400123456", "phi.patient_id"),
    ("N° séjour : 24012345", "phi.patient_id"),
    ("n°\n de séjour: 14318052", "phi.patient_id"),
    ("NIP 4410217", "phi.patient_id"),
    ("N° dossier : 908042084", "phi.patient_id"),
    ("MORVAN Hélène | F | 14/06/1951 | 4410217 | 2400123456", "phi.patient_id"),
    ("4410217:LEMARCHAND Odile", "phi.patient_id"),
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
    # clinical-number decoys of issue 16
    "Extencilline 1 000 000 UI IM, Vitamine D 100 000 UI.",
    "Lot 0123456789, péremption 03/2027.",
    "lot n° 0612345678 (vaccin antigrippal).",
    "Prescription n° " + WRONG_KEY + " transmise à la pharmacie.",  # no cue, wrong key
    "RPPS 10003456789, FINESS 750712184.",
    "Leucocytes 12 000/mm3, PNN 9 500/mm3, plaquettes 250 G/L.",
    "Score de Glasgow à 15, signe de Babinski, manœuvre de Valsalva, maladie de Parkinson.",
    "Traitement : Kardégic 75 mg, Lovenox 4000 UI, Doliprane 1 g x 3.",
    "Transféré en Hôpital Henri Mondor, pavillon Albert Calmette, chambre 12.",
    "Adressé par l'Institut Gustave Roussy, service Charcot, salle Marie Curie.",
    "Admis le 14/06/2024 à 10h, scanner du 15.06.2024, ordonnance du 3 mars 2025.",
    "vitamine D. Pas de malaise. Hb 12 g/dL. Leucocytes normaux.",
    "patient calme, marie le traitement avec les repas.",
    "NIHSS 4, CHA2DS2-VASc à 3, EVA 2/10, Glasgow 14.",
    "Admis le 06/12/2024 14h30 pour chute.",
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
    assert found(f"dossier {valid}") == {"phi.nir"}  # a valid key needs no cue
    assert found(f"dossier {wrong}") == set()
    assert found(f"NIR {wrong}") == {"phi.nir"}  # after a cue, a typo in the key still counts
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


def test_rules_are_portable() -> None:
    # Python and PostgreSQL read the full rules (no \\d, \\b, \\w, \\s; look-behinds of fixed
    # width); RE2 reads them without look-arounds, and then matches a superset.
    import pyarrow.compute as pc

    for rule in phi.rules():
        for construct in ("\\d", "\\b", "\\w", "\\s", "(?i:", "(?P"):
            assert construct not in rule.regex, (rule.name, construct)
        relaxed = phi.without_lookarounds(rule.regex)
        for lookaround in ("(?<", "(?=", "(?!"):
            assert lookaround not in relaxed
        pc.match_substring_regex(pa.array(["x"]), pattern=rule.re2)  # RE2 compiles it
        assert rule.compiled.pattern == rule.regex


def test_the_arrow_scan_agrees_with_python_on_the_development_set() -> None:
    notes = [n.text for n in clinical_notes(120, seed=7)]
    masks = phi.scan_strings(pa.array(notes))
    for i, text in enumerate(notes):
        assert {c for c, m in masks.items() if m[i]} == phi.found_in(text), text


def test_every_rule_is_exercised_by_a_positive_case() -> None:
    exercised = {r.name for text, _ in POSITIVES for r in phi.rules() if r.compiled.search(text)}
    assert exercised == {r.name for r in phi.rules()}


def test_without_lookarounds_keeps_classes_and_escapes() -> None:
    assert phi.without_lookarounds("(?<![a-z(])x(?=[)])\\(y(?!z)") == "x\\(y"


def test_the_screens_keep_every_value_a_rule_matches() -> None:
    # The two RE2 screens run over every value; a value any rule matches must pass one of them.
    import pyarrow.compute as pc

    from codesign.synthetic.notes import development_set

    notes = development_set()
    texts = [t for t, _ in POSITIVES] + [n.text for n in (*notes.tuning, *notes.held_out)]
    matched = [t for t in texts if any(r.compiled.search(t) for r in phi.rules())]
    values = pa.array(matched)
    kept = [pc.match_substring_regex(values, pattern=p) for p in phi.screen_patterns()]
    for i, text in enumerate(matched):
        assert any(k[i].as_py() for k in kept), [
            r.name for r in phi.rules() if r.compiled.search(text)
        ]


def test_a_column_of_repeated_values_is_scanned_per_distinct_value() -> None:
    # Repeated values (and nulls) get the masks of their distinct value, row by row.
    rows = ["RAS", None, "tél 06 12 34 56 78", "RAS", "vu avec mme morvan"] * 3_000
    masks = phi.scan_strings(pa.array(rows))
    for i, text in enumerate(rows[:5]):
        expected = phi.found_in(text) if text is not None else set()
        for row in range(i, len(rows), 5):
            assert {c for c, m in masks.items() if m[row]} == expected
