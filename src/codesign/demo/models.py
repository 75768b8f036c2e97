"""The demo's three model iterations of an ED triage assistant, as scikit-learn-style estimators.

Each predicts a triage level (1 = most urgent) from what a triage nurse has at hand before deciding:
vital signs, age, pain, and, for the learnt models, the chief complaint. The nurse's note is left
out on purpose: it ends with the level the nurse gave, which is the answer.

* :class:`VitalSignRules`: the in-house baseline, thresholds a nurse could print on a card;
* :class:`CautiousTriage`: the improved in-house model, gradient boosting with a decision rule
  that leans towards the more urgent level when in doubt (an under-triaged patient waits while
  deteriorating; an over-triaged one costs a bed for an hour);
* :func:`vendor_predictions`: a vendor's model, trained on the vendor's own history in which
  women's high-acuity presentations were recorded less urgent, as studies of real triage found.
  The hospital receives only a file of predictions; its charter's equity outcome catches the bias.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Self

from codesign.demo.threads import sized_thread_pools
from codesign.synthetic import VITAL_SIGN_COLUMNS

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from numpy.typing import NDArray

VITAL_SIGNS: Final = (*VITAL_SIGN_COLUMNS, "age")
"""Numeric features every model uses; missing values stay missing (NaN)."""
COMPLAINT: Final = "chief_complaint"
LEVELS: Final = (1, 2, 3, 4, 5)

VENDOR_BIAS: Final = 0.45
"""Share of women's level-2 visits the vendor's history recorded as level 3."""


def numeric_features(frame: pd.DataFrame) -> pd.DataFrame:
    """The vital signs as floats, missing values as NaN (nullable integers do not go to numpy)."""
    return frame[list(VITAL_SIGNS)].astype("float64")


class VitalSignRules:
    """The in-house baseline: a level read off vital-sign and pain thresholds.

    Level 1 for a vital sign in the danger zone, 2 for one out of range, 3 for strong pain,
    5 for little pain and normal signs, 4 otherwise. Missing values count as normal, as a busy
    nurse reading a card would. It needs no training; :meth:`fit` is there for the estimator
    protocol.
    """

    feature_names_in_: NDArray[Any]

    def fit(self, frame: pd.DataFrame, levels: Any = None) -> Self:
        import numpy as np

        del frame, levels
        self.feature_names_in_ = np.asarray(VITAL_SIGNS, dtype=object)
        return self

    def predict(self, frame: pd.DataFrame) -> NDArray[np.int64]:
        import numpy as np

        x = numeric_features(frame)
        hr = x["heart_rate"].fillna(80).to_numpy()
        rr = x["resp_rate"].fillna(16).to_numpy()
        spo2 = x["spo2"].fillna(98).to_numpy()
        sbp = x["systolic_bp"].fillna(130).to_numpy()
        pain = x["pain_score"].fillna(0).to_numpy()
        level = np.where(pain >= 5, 3, np.where(pain <= 2, 5, 4))
        level = np.where((hr > 110) | (rr > 22) | (spo2 < 94) | (sbp < 100), 2, level)
        level = np.where((hr > 130) | (rr > 30) | (spo2 < 88) | (sbp < 80), 1, level)
        result: NDArray[np.int64] = level.astype("int64")
        return result


class CautiousTriage:
    """Gradient boosting over vital signs, age, pain and complaint, with a cautious decision.

    The level given is the most urgent one whose cumulative probability reaches ``quantile``
    (not the most probable level), and any visit with at least ``high_acuity`` probability of
    level 1 or 2 is given level 2 or more urgent: the care team chose to trade over-triage for
    sensitivity. ``with_sex`` adds sex as a feature (the vendor's model has it).
    """

    def __init__(
        self,
        *,
        quantile: float = 0.15,
        high_acuity: float = 0.01,
        with_sex: bool = False,
        seed: int = 0,
    ) -> None:
        self.quantile = quantile
        self.high_acuity = high_acuity
        self.with_sex = with_sex
        self.seed = seed

    def fit(self, frame: pd.DataFrame, levels: Any) -> Self:
        import numpy as np
        from sklearn.compose import ColumnTransformer
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import OneHotEncoder

        categorical = [COMPLAINT, "sex"] if self.with_sex else [COMPLAINT]
        encode = ColumnTransformer(
            [
                ("numeric", "passthrough", list(VITAL_SIGNS)),
                (
                    "categories",
                    OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                    categorical,
                ),
            ]
        )
        model = HistGradientBoostingClassifier(
            max_iter=120, learning_rate=0.1, random_state=self.seed
        )
        self.pipeline_ = Pipeline([("encode", encode), ("model", model)])
        self.feature_names_in_ = np.asarray([*VITAL_SIGNS, *categorical], dtype=object)
        with sized_thread_pools():
            self.pipeline_.fit(self._inputs(frame), np.asarray(levels, dtype="int64"))
        return self

    def predict_proba(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        """Probability of each level 1 to 5, in that order."""
        import numpy as np

        with sized_thread_pools():
            raw = self.pipeline_.predict_proba(self._inputs(frame))
        proba = np.zeros((len(frame), len(LEVELS)))
        for column, level in enumerate(self.pipeline_.classes_):
            proba[:, LEVELS.index(int(level))] = raw[:, column]
        return proba

    def predict(self, frame: pd.DataFrame) -> NDArray[np.int64]:
        import numpy as np

        cumulative = self.predict_proba(frame).cumsum(axis=1)
        level = np.asarray(LEVELS)[(cumulative >= self.quantile).argmax(axis=1)]
        level = np.where(cumulative[:, 1] >= self.high_acuity, np.minimum(level, 2), level)
        result: NDArray[np.int64] = level.astype("int64")
        return result

    def _inputs(self, frame: pd.DataFrame) -> pd.DataFrame:
        inputs = numeric_features(frame)
        inputs[COMPLAINT] = frame[COMPLAINT].astype(object).fillna("").to_numpy()
        if self.with_sex:
            inputs["sex"] = frame["sex"].astype(object).fillna("").to_numpy()
        return inputs


def vendor_predictions(vendor_history: pd.DataFrame, evaluation: pd.DataFrame) -> pd.DataFrame:
    """What the vendor hands over: ``encounter_id`` and ``level_pred`` for the hospital's visits.

    The vendor trains on its own history (``vendor_history``, another hospital's extract) in
    which :data:`VENDOR_BIAS` of women's level-2 visits were recorded as level 3, with sex as a
    feature, and tunes its decision for fewer alerts (its selling point: alert precision). The
    hospital's reference levels never leave the hospital.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(7)
    recorded = vendor_history["triage_level"].astype("int64").to_numpy().copy()
    biased = (
        (vendor_history["sex"].astype(object) == "F").to_numpy()
        & (recorded == 2)
        & (rng.random(len(recorded)) < VENDOR_BIAS)
    )
    recorded[biased] = 3
    model = CautiousTriage(quantile=0.2, high_acuity=0.03, with_sex=True, seed=1)
    model.fit(vendor_history, recorded)
    return pd.DataFrame(
        {
            "encounter_id": evaluation["encounter_id"].astype(object).to_numpy(),
            "level_pred": model.predict(evaluation),
        }
    )
