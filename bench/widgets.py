"""How long does saving from the workshop forms take, against loading the same charter?

A 50-outcome charter (the triage preset, its outcomes repeated) is opened in a workshop with all
four forms built, as ``00_workshop.ipynb`` does. One round of the subject is what a person does:
type a new target in an outcome row (the row is validated, the charter re-checked, every form
told) and press Save (the save bar saves through ``CharterFile.save``: validation, the
comment-keeping render, the atomic, conflict-checked write, the status shown). The baseline is
``load_charter`` on the same file in the same process. They run alternately and the ratio of
their median wall times is printed. Goal: <= 2.

    .venv/bin/python bench/widgets.py [--rounds N] [--outcomes N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from _common import alternate, report, time_call
from codesign.charter import load_charter, preset_text
from codesign.widgets import Workshop
from codesign.widgets.outcomes import OutcomeEditor


def big_charter(folder: Path, outcomes: int) -> Path:
    """The triage preset with its outcomes repeated up to ``outcomes``."""
    path = folder / "codesign.yaml"
    path.write_text(preset_text("triage"), encoding="utf-8")
    file = load_charter(path)
    base = list(file.charter.outcomes)
    index = 0
    while len(file.charter.outcomes) < outcomes:
        model = base[index % len(base)]
        file.charter.outcomes.append(model.model_copy(update={"id": f"{model.id}_{index}"}))
        index += 1
    file.save()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--outcomes", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="codesign-bench-") as tmp:
        path = big_charter(Path(tmp), args.outcomes)
        workshop = Workshop.open(path.parent)
        for form in (workshop.use_case, workshop.decision, workshop.signoff):
            assert form is not None  # built and attached, as in the notebook
        editor = workshop.outcomes
        assert isinstance(editor, OutcomeEditor), editor
        row = editor.rows[args.outcomes // 2]
        values = iter(f"0.{n % 90 + 10}" for n in range(10**6))

        def save_from_form() -> float:
            def edit_and_save() -> None:
                row.number_input.value = next(values)
                editor.save_bar.save_button.click()

            seconds = time_call(edit_and_save)
            status = editor.save_bar.status_text
            assert status.startswith("Saved to codesign.yaml"), status
            return seconds

        def load() -> float:
            return time_call(lambda: load_charter(path))

        save_from_form()  # warm both paths
        load()
        saves, loads = alternate(save_from_form, load, args.rounds)
        saved = load_charter(path).charter.outcomes[args.outcomes // 2]
        assert saved.target.number == row.number_input.value
    ratio = statistics.median(saves) / statistics.median(loads)
    report(
        f"form edit + save / load_charter ({args.outcomes} outcomes)",
        saves,
        loads,
        "<= 2",
        ok=ratio <= 2,
    )


if __name__ == "__main__":
    main()
