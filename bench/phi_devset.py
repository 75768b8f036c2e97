"""How well does the PHI detector hold on notes written the way hospital staff write them?

Scores :func:`codesign.governance.phi.scan_strings` on the development set of
:mod:`codesign.synthetic.notes` (tuning part and held-out part, fixed seeds), per note as the
issue measures it: a note holding a phone number must be flagged ``phi.phone``. Printed per
category: recall, and the share of notes *without* that category flagged with it; then the share
of identifier-free notes flagged with anything, and the NIR found on identifier-free notes.

    .venv/bin/python bench/phi_devset.py [--part tuning|held-out|both] [--misses]

``--misses`` prints the tuning notes the detector gets wrong (never the held-out ones: those
are only scored, so that their figures say how the detector does on notes nobody tuned it on).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

from codesign.governance import phi
from codesign.synthetic.notes import CATEGORIES, Note, development_set

GOALS = {
    "phi.phone": 0.95,
    "phi.email": 0.95,
    "phi.nir": 0.95,
    "phi.patient_id": 0.95,
    "phi.name": 0.90,
    "phi.birthdate": 0.90,
    "phi.address": 0.90,
}
CLEAN_FLAGGED_GOAL = 0.05


@dataclass(frozen=True)
class Scored:
    note: Note
    found: frozenset[str]


def detect(notes: tuple[Note, ...]) -> list[Scored]:
    import pyarrow as pa

    masks = phi.scan_strings(pa.array([n.text for n in notes]))
    return [
        Scored(note, frozenset(c for c, mask in masks.items() if mask[i]))
        for i, note in enumerate(notes)
    ]


def report(name: str, scored: list[Scored]) -> bool:
    clean = [s for s in scored if s.note.decoy]
    print(f"\n{name}: {len(scored)} notes, {len(clean)} of them identifier-free")
    print(f"  {'category':<16}{'notes with it':>14}{'recall':>9}{'goal':>7}{'false alarms':>15}")
    ok = True
    for category in CATEGORIES:
        holding = [s for s in scored if category in s.note.categories]
        others = [s for s in scored if category not in s.note.categories]
        recall = sum(category in s.found for s in holding) / len(holding) if holding else 1.0
        false = sum(category in s.found for s in others) / len(others) if others else 0.0
        met = recall >= GOALS[category]
        ok &= met
        print(
            f"  {category:<16}{len(holding):>14}{recall:>9.3f}{GOALS[category]:>7.2f}"
            f"{false:>15.3f}{'' if met else '  NOT met'}"
        )
    flagged = sum(bool(s.found) for s in clean) / len(clean)
    nir_on_decoys = sum("phi.nir" in s.found for s in clean)
    met = flagged <= CLEAN_FLAGGED_GOAL and nir_on_decoys == 0
    ok &= met
    print(
        f"  identifier-free notes flagged: {flagged:.3f} (goal <= {CLEAN_FLAGGED_GOAL}); "
        f"NIR found on them: {nir_on_decoys} (goal 0){'' if met else '  NOT met'}"
    )
    return ok


def show_misses(scored: list[Scored]) -> None:
    for s in scored:
        missed = s.note.categories - s.found
        extra = s.found - s.note.categories
        if missed or extra:
            print(f"--- {s.note.kind}: missed {sorted(missed)} extra {sorted(extra)}")
            print(s.note.annotated)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("tuning", "held-out", "both"), default="both")
    parser.add_argument("--misses", action="store_true", help="print missed tuning notes")
    args = parser.parse_args()
    dev = development_set()
    ok = True
    if args.part in ("tuning", "both"):
        start = time.perf_counter()
        scored = detect(dev.tuning)
        elapsed = time.perf_counter() - start
        ok &= report("tuning part", scored)
        print(f"  (scanned in {elapsed * 1000:.0f} ms)")
        if args.misses:
            show_misses(scored)
    if args.part in ("held-out", "both"):
        ok &= report("held-out part (never tuned on)", detect(dev.held_out))
    print(f"\nall goals {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
