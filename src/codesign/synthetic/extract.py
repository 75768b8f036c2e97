"""A synthetic adult emergency department extract, consistent with the triage charter preset.

Rows are generated column-wise with numpy and Arrow compute kernels, never row by row in Python,
so millions of rows take seconds (the governance benchmark needs four million). The same seed
gives the same frame, bit for bit.

Vital signs are drawn per triage level (1 = most urgent), so acuity shows the way a triage nurse
expects: tachycardia, tachypnoea and desaturation at level 1, normal values at level 5. Nurse
notes are French clinical shorthand full of numbers that identify nobody (``TA 135/85, FC 112,
SpO2 94% AA, T° 38.2, EVA 6/10``, doses, box and lot numbers, dates of visit).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from codesign.charter.model import Column, ColumnType
from codesign.synthetic import _vocab

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from codesign.charter.model import DataContract

logger = logging.getLogger(__name__)

VITAL_SIGN_COLUMNS: Final = (
    "heart_rate",
    "resp_rate",
    "systolic_bp",
    "spo2",
    "temperature",
    "pain_score",
)
"""The vital signs (and pain score) a triage nurse measures, in the contract's order."""

TRIAGE_COLUMNS: Final = (
    "encounter_id",
    "arrival_hour",
    "age",
    "sex",
    *VITAL_SIGN_COLUMNS,
    "chief_complaint",
    "nurse_note",
    "triage_level",
    "critical_care",
)
"""The columns of the triage preset's data contract, in its order."""

EXTENDED_COLUMNS: Final = (
    Column(name="diastolic_bp", type=ColumnType.INTEGER, range=(20, 200), min_completeness=0.9),
    Column(name="gcs", type=ColumnType.INTEGER, required=True, range=(3, 15)),
    Column(name="glucose", type=ColumnType.NUMBER, range=(0.5, 60), min_completeness=0.3),
    Column(
        name="arrival_mode",
        type=ColumnType.CATEGORY,
        required=True,
        allowed=list(_vocab.ARRIVAL_MODES),
    ),
    Column(name="length_of_stay_min", type=ColumnType.INTEGER, required=True, range=(5, 4320)),
    Column(name="history", type=ColumnType.TEXT),
)
"""Six more columns (one free text) that make the triage extract 20 columns wide."""


@dataclass(frozen=True)
class ExtractOptions:
    """What :func:`ed_extract` generates."""

    rows: int
    seed: int = 0
    extended: bool = False
    """Add :data:`EXTENDED_COLUMNS` (20 columns, 3 of them free text)."""


def extended_contract(contract: DataContract) -> DataContract:
    """``contract`` with the :data:`EXTENDED_COLUMNS` declared as well."""
    return contract.model_copy(update={"columns": [*contract.columns, *EXTENDED_COLUMNS]})


def ed_extract(rows: int, *, seed: int = 0, extended: bool = False) -> pd.DataFrame:
    """A de-identified ED extract with the triage preset's columns (see :data:`TRIAGE_COLUMNS`).

    ``extended`` adds :data:`EXTENDED_COLUMNS`. Integer columns use pandas' nullable ``Int64``
    (missing vital signs stay missing, not 0), text columns Arrow-backed strings.
    """
    return _Generator(ExtractOptions(rows=rows, seed=seed, extended=extended)).frame()


class _Generator:
    """Draws one extract; each method adds one group of columns."""

    def __init__(self, options: ExtractOptions) -> None:
        import numpy as np

        if options.rows < 0:
            msg = f"rows must be >= 0, got {options.rows}"
            raise ValueError(msg)
        self.options = options
        self.n = options.rows
        self.rng = np.random.default_rng(options.seed)
        self.columns: dict[str, Any] = {}

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        level = self._levels()
        age = self._demographics(level)
        vitals = self._vitals(level)
        self.columns["chief_complaint"] = self._complaints(level)
        self.columns["nurse_note"] = self._notes(level, age, vitals)
        self.columns["triage_level"] = _ints(level)
        self.columns["critical_care"] = _ints(
            (self.rng.random(self.n) < _per_level(level, _vocab.CRITICAL_CARE)).astype("int64")
        )
        order = list(TRIAGE_COLUMNS)
        if self.options.extended:
            self._extended(level, vitals)
            order += [c.name for c in EXTENDED_COLUMNS]
        frame = pd.DataFrame({name: self.columns[name] for name in order})
        logger.debug("generated a synthetic ED extract: %d rows x %d columns", *frame.shape)
        return frame

    # --- columns ---------------------------------------------------------------------------

    def _levels(self) -> np.ndarray:
        import numpy as np

        level = self.rng.choice(np.arange(1, 6), size=self.n, p=_vocab.LEVEL_SHARE)
        prefix = f"ENC{self.options.seed % 100:02d}-"
        self.columns["encounter_id"] = _text(_join(prefix, _pad(np.arange(1, self.n + 1), 9)))
        weights = np.asarray(_vocab.ARRIVAL_HOUR_WEIGHTS, dtype=float)
        self.columns["arrival_hour"] = _ints(
            self.rng.choice(np.arange(24), size=self.n, p=weights / weights.sum())
        )
        return level

    def _demographics(self, level: np.ndarray) -> np.ndarray:
        import numpy as np

        drawn = 18 + self.rng.gamma(2.4, 14.0, self.n) + _per_level(level, _vocab.AGE_SHIFT)
        age: np.ndarray = np.clip(np.rint(drawn), 18, 104).astype("int64")
        self.columns["age"] = _ints(age)
        self.columns["sex"] = _text(_pick(["F", "M"], self.rng.random(self.n) < 0.48))
        return age

    def _vitals(self, level: np.ndarray) -> dict[str, np.ndarray]:
        import numpy as np

        def draw(table: tuple[tuple[float, float], ...], low: float, high: float) -> np.ndarray:
            mean = _per_level(level, tuple(m for m, _ in table))
            sd = _per_level(level, tuple(s for _, s in table))
            return np.clip(self.rng.normal(mean, sd), low, high)

        vitals = {
            "heart_rate": np.rint(draw(_vocab.HEART_RATE, 30, 220)).astype("int64"),
            "resp_rate": np.rint(draw(_vocab.RESP_RATE, 6, 50)).astype("int64"),
            "systolic_bp": np.rint(draw(_vocab.SYSTOLIC, 60, 240)).astype("int64"),
            "spo2": np.rint(draw(_vocab.SPO2, 70, 100)).astype("int64"),
            "temperature": np.round(draw(_vocab.TEMPERATURE, 34.0, 41.5), 1),
            "pain_score": np.rint(draw(_vocab.PAIN, 0, 10)).astype("int64"),
        }
        ratio = self.rng.normal(0.6, 0.06, self.n)
        vitals["diastolic_bp"] = np.clip(np.rint(vitals["systolic_bp"] * ratio), 30, 140)
        vitals["diastolic_bp"] = vitals["diastolic_bp"].astype("int64")
        for name in ("heart_rate", "resp_rate", "systolic_bp", "spo2", "pain_score"):
            self.columns[name] = _ints(vitals[name], missing=self._missing(name))
        missing_temperature = self._missing("temperature")
        temperature = vitals["temperature"].copy()
        temperature[missing_temperature] = np.nan
        self.columns["temperature"] = temperature
        # A value missing from its column is missing from the note too.
        for name in ("heart_rate", "resp_rate", "systolic_bp", "spo2", "pain_score"):
            vitals[f"{name}_missing"] = self.columns[name].isna().to_numpy()
        vitals["temperature_missing"] = missing_temperature
        return vitals

    def _missing(self, name: str) -> np.ndarray:
        result: np.ndarray = self.rng.random(self.n) < _vocab.MISSING.get(name, 0.0)
        return result

    def _complaints(self, level: np.ndarray) -> pd.Series:
        import numpy as np
        import pyarrow as pa

        words: list[str] = []
        choice = np.zeros(self.n, dtype="int64")
        # A complaint does not fix the level: some patients present with one more typical of
        # the adjacent level (chest pain with reassuring vital signs is triaged 3, not 2).
        shift = self.rng.choice([-1, 1], size=self.n)
        moved = self.rng.random(self.n) < _vocab.COMPLAINT_NEIGHBOUR_SHARE
        typical = np.where(moved, np.clip(level + shift, 1, 5), level)
        for lvl, complaints in _vocab.COMPLAINTS.items():
            rows = np.flatnonzero(typical == lvl)
            weights = np.asarray([w for _, w in complaints])
            picked = self.rng.choice(len(complaints), size=rows.size, p=weights / weights.sum())
            choice[rows] = picked + len(words)
            words += [c for c, _ in complaints]
        self._complaint_words = pa.array(words).take(pa.array(choice))
        capitalised = pa.array([w[0].upper() + w[1:] for w in words]).take(pa.array(choice))
        return _text(capitalised)

    def _notes(
        self, level: np.ndarray, age: np.ndarray, vitals: dict[str, np.ndarray]
    ) -> pd.Series:
        import numpy as np

        rng, n = self.rng, self.n
        sex_f = self.columns["sex"].to_numpy() == "F"
        patient = _pick(
            list(_vocab.PATIENT_WORDS),
            np.where(sex_f, rng.choice([1, 2, 3], n), rng.choice([0, 1], n)).astype("int64"),
        )
        unit = _pick(["h", "j", "min"], rng.choice(3, n, p=[0.6, 0.3, 0.1]))
        since = _join(" depuis ", _num(rng.integers(1, 13, n)), " ", unit)
        opener = _join(patient, " de ", _num(age), " ans, ", self._complaint_words, since, ".")

        def vital(label: str, name: str, suffix: str = "") -> Any:
            value = _num(vitals[name]) if name != "temperature" else _decimal(vitals[name], 1)
            return _null_where(_join(label, value, suffix), vitals[f"{name}_missing"])

        oxygen = _pick(
            ["% AA", "% sous 2 L O2", "% sous 6 L O2 MHC"], rng.choice(3, n, p=[0.8, 0.15, 0.05])
        )
        pressure = _null_where(
            _join("TA ", _num(vitals["systolic_bp"]), "/", _num(vitals["diastolic_bp"])),
            vitals["systolic_bp_missing"],
        )
        signs = _join_present(
            [
                pressure,
                vital("FC ", "heart_rate"),
                vital("FR ", "resp_rate"),
                _null_where(_join("SpO2 ", _num(vitals["spo2"]), oxygen), vitals["spo2_missing"]),
                vital("T° ", "temperature"),
            ],
            ", ",
        )
        signs = _join(signs, ".")
        pain = _null_where(
            _join("EVA ", _num(vitals["pain_score"]), "/10."), vitals["pain_score_missing"]
        )
        first, second = _FragmentPool(rng).draw(n), _FragmentPool(rng).draw(n)
        closing = _join("Tri ", _num(level), ".")
        note = _join_present([opener, signs, pain, first, second, closing], " ")
        return _text(_null_where(note, self._missing("nurse_note")))

    def _extended(self, level: np.ndarray, vitals: dict[str, np.ndarray]) -> None:
        import numpy as np

        rng, n = self.rng, self.n
        self.columns["diastolic_bp"] = _ints(
            vitals["diastolic_bp"], missing=vitals["systolic_bp_missing"]
        )
        gcs = np.where(level == 1, rng.integers(3, 16, n), np.where(rng.random(n) < 0.97, 15, 14))
        self.columns["gcs"] = _ints(gcs.astype("int64"))
        glucose = np.round(np.clip(rng.lognormal(np.log(6.0), 0.3, n), 1.5, 40.0), 1)
        glucose[self._missing("glucose")] = np.nan
        self.columns["glucose"] = glucose
        modes = np.zeros(n, dtype="int64")
        for lvl in range(1, 6):
            rows = np.flatnonzero(level == lvl)
            modes[rows] = rng.choice(
                len(_vocab.ARRIVAL_MODES), rows.size, p=_vocab.ARRIVAL_MODE_WEIGHTS[lvl - 1]
            )
        self.columns["arrival_mode"] = _text(_pick(list(_vocab.ARRIVAL_MODES), modes))
        stay = rng.lognormal(np.log(_per_level(level, (600, 420, 300, 180, 90))), 0.5)
        self.columns["length_of_stay_min"] = _ints(np.clip(np.rint(stay), 5, 4320).astype("int64"))
        items = list(_vocab.HISTORY_ITEMS)
        parts = [
            _pick(items, rng.integers(0, len(items), n)),
            _null_where(_pick(items, rng.integers(0, len(items), n)), rng.random(n) < 0.4),
            _null_where(_pick(items, rng.integers(0, len(items), n)), rng.random(n) < 0.7),
        ]
        history = _join_present(parts, ", ")
        self.columns["history"] = _text(
            _null_where(_join("ATCD: ", history, "."), self._missing("history"))
        )


class _FragmentPool:
    """Clinical shorthand fragments with numbers; each row gets one, vectorised per template."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def draw(self, n: int) -> pa.Array:
        import numpy as np
        import pyarrow as pa

        templates = self._templates()
        choice = self.rng.integers(0, len(templates), n)
        pieces: list[pa.Array] = []
        positions: list[np.ndarray] = []
        for index, template in enumerate(templates):
            rows = np.flatnonzero(choice == index)
            if rows.size:
                pieces.append(template(rows.size))
                positions.append(rows)
        if not pieces:
            return pa.array([], type=pa.string())
        order = np.argsort(np.concatenate(positions), kind="stable")
        return pa.concat_arrays(pieces).take(pa.array(order))

    def _templates(self) -> list[Any]:
        import numpy as np

        rng = self.rng

        def ints(low: int, high: int, m: int) -> pa.Array:
            return _num(np.asarray(rng.integers(low, high + 1, m)))

        def among(words: list[str], m: int) -> pa.Array:
            return _pick(words, np.asarray(rng.integers(0, len(words), m)))

        def tenths(low: float, high: float, m: int, sep: str = ".") -> pa.Array:
            return _decimal(rng.uniform(low, high, m), 1, sep)

        def day(m: int) -> pa.Array:
            return _join(_pad(rng.integers(1, 29, m), 2), "/", _pad(rng.integers(1, 13, m), 2))

        def clock(m: int) -> pa.Array:
            return _join(_num(rng.integers(0, 24, m)), "h", _pad(rng.integers(0, 60, m), 2))

        def plain(m: int) -> pa.Array:
            return _pick(
                list(_vocab.PLAIN_FRAGMENTS), rng.integers(0, len(_vocab.PLAIN_FRAGMENTS), m)
            )

        return [
            lambda m: _join("paracétamol 1 g PO à ", clock(m), "."),
            lambda m: _join(
                "morphine ", ints(2, 5, m), " mg IV, réévaluation à ", ints(1, 4, m), "0 min."
            ),
            lambda m: _join("NaCl 0,9 % ", among(["250", "500", "1000"], m), " mL."),
            lambda m: _join("glycémie capillaire ", tenths(3.5, 22.0, m), " mmol/L."),
            lambda m: _join(
                "Hb ", tenths(7.0, 16.5, m, ","), " g/dL, CRP ", ints(1, 250, m), " mg/L."
            ),
            lambda m: _join("lactates ", tenths(0.6, 8.0, m), " mmol/L."),
            lambda m: _join(
                "troponine ", ints(3, 900, m), " ng/L, D-dimères ", ints(200, 4000, m), " ng/mL."
            ),
            lambda m: _join(
                "O2 ",
                ints(1, 9, m),
                " L/min, VVP G",
                among(["18", "20", "22"], m),
                ".",
            ),
            lambda m: _join("installé box ", ints(1, 30, m), ", brancard ", ints(1, 40, m), "."),
            lambda m: _join("VAT faite, lot A", ints(1000, 9999, m), "."),
            lambda m: _join("vu le ", day(m), " par MT."),
            lambda m: _join("RDV contrôle le ", day(m), "/2025 à ", clock(m), "."),
            lambda m: _join("poids ", ints(45, 130, m), " kg, taille 1,", ints(50, 95, m), " m."),
            lambda m: _join("INR ", tenths(0.9, 4.5, m, ","), " sous AVK."),
            lambda m: _join("entrée ", clock(m), ", appel 15 à ", clock(m), "."),
            lambda m: _join("transfert chambre ", ints(101, 450, m), " prévu."),
            lambda m: _join("CIP 34009", ints(30000000, 39999999, m), " délivré."),
            lambda m: _join("tension ", ints(9, 18, m), "/", ints(5, 11, m), " au domicile."),
            lambda m: _join("ECG: RSR ", ints(50, 130, m), "/min, QRS ", ints(80, 120, m), " ms."),
            plain,
            plain,
            plain,
        ]


# --- small Arrow helpers -------------------------------------------------------------------


def _per_level(level: np.ndarray, values: tuple[float, ...]) -> np.ndarray:
    import numpy as np

    result: np.ndarray = np.asarray(values, dtype=float)[level - 1]
    return result


def _ints(values: np.ndarray, missing: np.ndarray | None = None) -> pd.Series:
    import numpy as np
    import pandas as pd

    mask = np.zeros(values.shape, dtype=bool) if missing is None else missing
    return pd.Series(pd.arrays.IntegerArray(values.astype("int64"), mask))


def _text(values: pa.Array | pa.ChunkedArray) -> pd.Series:
    """Arrow strings as a pandas ``str`` column (missing stays missing), without copying."""
    import pyarrow as pa

    table = pa.table({"x": values})
    series: pd.Series = table.to_pandas()["x"]
    return series


def _num(values: np.ndarray) -> pa.Array:
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.cast(pa.array(values.astype("int64")), pa.string())


def _decimal(values: np.ndarray, digits: int, sep: str = ".") -> pa.Array:
    """``38.2`` written with ``digits`` decimals and a French or English separator."""
    import numpy as np

    scale = 10**digits
    scaled = np.rint(np.nan_to_num(values) * scale).astype("int64")
    return _join(_num(scaled // scale), sep, _pad(scaled % scale, digits))


def _pad(values: np.ndarray, width: int) -> pa.Array:
    import pyarrow.compute as pc

    return pc.utf8_lpad(_num(values), width=width, padding="0")


def _pick(words: list[str], index: np.ndarray) -> pa.Array:
    import pyarrow as pa

    return pa.array(words).take(pa.array(index.astype("int64")))


def _join(*parts: Any) -> pa.Array:
    """Concatenate string arrays and literals element-wise; a null part makes a null result."""
    import pyarrow as pa
    import pyarrow.compute as pc

    args = [pa.scalar(p) if isinstance(p, str) else p for p in parts]
    result: pa.Array = pc.binary_join_element_wise(*args, "")
    return result


def _join_present(parts: list[Any], separator: str) -> pa.Array:
    """Join the non-null parts of each row with ``separator``; null when all are null.

    (Arrow's own ``null_handling="skip"`` loses a row on some multi-million-row inputs.)
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    empty = pa.scalar("", pa.string())
    pieces = [pc.if_else(pc.is_null(p), empty, _join(separator, p)) for p in parts]
    joined = pc.utf8_ltrim(_join(*pieces), characters=separator)
    result: pa.Array = pc.if_else(pc.equal(joined, ""), pa.scalar(None, pa.string()), joined)
    return result


def _null_where(values: Any, mask: np.ndarray) -> pa.Array:
    import pyarrow as pa
    import pyarrow.compute as pc

    result: pa.Array = pc.if_else(pa.array(mask), pa.scalar(None, pa.string()), values)
    return result
