"""French emergency department vocabulary for the synthetic extract.

Chief complaints are grouped by the acuity level a triage nurse would most often give them
(1 = most urgent, 5 = least), with relative weights. Note fragments are the shorthand of real
triage notes: vital signs, doses, lab values, box and lot numbers, dates of visit — numbers
everywhere, none of which identifies anyone. The governance gate must stay silent on all of it.
"""

from __future__ import annotations

from typing import Final

COMPLAINTS: Final[dict[int, tuple[tuple[str, float], ...]]] = {
    1: (
        ("arrêt cardio-respiratoire", 1.0),
        ("détresse respiratoire", 3.0),
        ("choc septique", 2.0),
        ("polytraumatisme", 2.0),
        ("coma", 1.0),
        ("état de mal épileptique", 1.0),
        ("hémorragie active", 1.5),
    ),
    2: (
        ("douleur thoracique", 5.0),
        ("AVC suspecté", 3.0),
        ("dyspnée aiguë", 3.0),
        ("sepsis", 2.0),
        ("hématémèse", 1.0),
        ("syncope", 2.0),
        ("intoxication médicamenteuse volontaire", 1.5),
        ("déficit moteur brutal", 1.0),
        ("traumatisme crânien avec PC", 1.5),
    ),
    3: (
        ("douleur abdominale", 6.0),
        ("fièvre", 3.0),
        ("malaise", 3.0),
        ("vomissements", 2.0),
        ("colique néphrétique", 2.0),
        ("céphalées", 2.0),
        ("palpitations", 1.5),
        ("chute de la personne âgée", 2.5),
        ("dyspnée", 2.0),
        ("hyperglycémie", 1.0),
    ),
    4: (
        ("traumatisme cheville", 4.0),
        ("plaie main", 3.0),
        ("lombalgie", 3.0),
        ("douleur poignet", 2.0),
        ("brûlure superficielle", 1.0),
        ("entorse genou", 2.0),
        ("infection urinaire", 2.0),
        ("otalgie", 1.0),
        ("éruption cutanée", 1.0),
    ),
    5: (
        ("renouvellement d'ordonnance", 2.0),
        ("certificat de coups et blessures", 1.0),
        ("piqûre d'insecte", 1.0),
        ("conjonctivite", 1.5),
        ("rhinopharyngite", 2.0),
        ("contrôle de plaie", 2.0),
        ("retrait de fils", 1.5),
    ),
}

COMPLAINT_NEIGHBOUR_SHARE: Final = 0.3
"""Share of patients whose chief complaint is one typical of an adjacent level."""

LEVEL_SHARE: Final = (0.02, 0.13, 0.40, 0.35, 0.10)
"""Share of arrivals per triage level 1..5 in an adult ED."""

# Per level 1..5: (mean, standard deviation) of each vital sign.
HEART_RATE: Final = ((128, 25), (108, 20), (92, 16), (82, 12), (78, 10))
RESP_RATE: Final = ((28, 7), (22, 5), (18, 3), (16, 2), (15, 2))
SYSTOLIC: Final = ((95, 30), (148, 28), (138, 22), (132, 18), (128, 15))
SPO2: Final = ((87, 6), (93, 4), (96, 2), (98, 1.2), (98.5, 1.0))
TEMPERATURE: Final = ((37.4, 1.3), (37.6, 1.0), (37.3, 0.8), (36.9, 0.4), (36.8, 0.3))
PAIN: Final = ((5, 3), (6, 2.5), (5, 2.5), (4, 2), (2, 1.5))
AGE_SHIFT: Final = (22, 18, 10, 0, -4)
"""Older patients are triaged more urgent: years added to the age draw per level."""
CRITICAL_CARE: Final = (0.65, 0.22, 0.04, 0.006, 0.001)
"""Probability of intensive care or death within 48 h per level."""

MISSING: Final = {
    "heart_rate": 0.03,
    "resp_rate": 0.12,
    "systolic_bp": 0.04,
    "spo2": 0.03,
    "temperature": 0.10,
    "pain_score": 0.06,
    "nurse_note": 0.01,
    "glucose": 0.55,
    "history": 0.15,
}
"""Share of missing values per column: respiratory rate and temperature are skipped most."""

ARRIVAL_HOUR_WEIGHTS: Final = (
    2, 1.5, 1.2, 1, 1, 1.2, 2, 3.5, 5, 6, 6.5, 6.5, 6, 5.5, 5.5, 5.5, 5.5, 6, 6, 5.5, 5, 4, 3, 2.5,
)  # fmt: skip
"""Relative arrivals per hour of the day: a late-morning and an early-evening peak."""

ARRIVAL_MODES: Final = ("moyens propres", "ambulance privée", "pompiers", "SMUR", "police")
ARRIVAL_MODE_WEIGHTS: Final = (
    (0.05, 0.10, 0.30, 0.50, 0.05),
    (0.35, 0.20, 0.30, 0.10, 0.05),
    (0.55, 0.20, 0.20, 0.02, 0.03),
    (0.80, 0.07, 0.10, 0.00, 0.03),
    (0.92, 0.03, 0.03, 0.00, 0.02),
)

PATIENT_WORDS: Final = ("Pt", "Patient", "Patiente", "Pte")

# Free fragments: no number of their own. Near misses on purpose: a title followed by a lower
# case word, "tél" without a number, a capitalised clinical word after another.
PLAIN_FRAGMENTS: Final = (
    "Dr de garde prévenu.",
    "Mme anxieuse, famille présente.",
    "avis cardio demandé.",
    "tél à la fille fait.",
    "ATCD HTA, DT2.",
    "allergie pénicilline.",
    "BU: leuco +, nitrites -.",
    "ECG sans particularité.",
    "Pas de PC, pas de vomissement.",
    "Glasgow Normal, pupilles réactives.",
    "Appel SAMU Centre 15.",
    "IOA: installée en zone couchée.",
    "Retour à domicile envisagé.",
    "M. le médecin régulateur informé.",
)

HISTORY_ITEMS: Final = (
    "HTA",
    "DT2 sous metformine 1000 mg x2",
    "FA sous apixaban 5 mg x2",
    "BPCO GOLD 2",
    "IDM 2019, stent IVA",
    "cholécystectomie 2015",
    "asthme",
    "IRC stade 3, DFG 45 mL/min",
    "dyslipidémie sous atorvastatine 20 mg",
    "AVC 2021 sans séquelle",
    "épilepsie sous lévétiracétam 500 mg",
    "hypothyroïdie sous Lévothyrox 75 µg",
    "appendicectomie",
    "tabagisme 30 PA",
    "éthylisme chronique",
    "dépression sous sertraline 50 mg",
)
