"""Outcome consensus in the room: participants rate, the facilitator watches and accepts.

* :class:`RatingForm` (participant page): each candidate outcome put to the room, rated on
  the GRADE 1–9 scale with, optionally, a proposed target; from round 2 on, each shows the
  person's own earlier answer beside the group's distribution. Saved as one file per person
  and round (:class:`~codesign.charter.ratings.RatingStore`), by role, never by name.
* :class:`ConsensusBoard` (facilitator page): puts candidates to the room, shows every
  candidate's n, median, share rating 7–9 and 1–3, the verdict by the charter's rule and the
  proposed targets' median and IQR, live; closes a round; accepts an outcome into the charter
  with its consensus evidence, through the conflict-checked charter save.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import TYPE_CHECKING, Any, Final

import ipywidgets as ipw

from codesign.charter.consensus import SCALE, SCALE_WORDS, Verdict
from codesign.charter.model import Category, Outcome
from codesign.charter.ratings import (
    Candidate,
    CandidateStatus,
    Rating,
    RoundState,
)
from codesign.charter.registry import REGISTRY
from codesign.i18n import N_, _, format_decimal, format_percent, ngettext
from codesign.presentation import esc, format_number
from codesign.widgets import _ui
from codesign.widgets.live import Poller, files_signature
from codesign.widgets.outcomes import category_options, metric_options, suggest_id
from codesign.widgets.plain import EntryError, number_text, read_number

if TYPE_CHECKING:
    from codesign.charter.consensus import Tally
    from codesign.charter.model import Stakeholder
    from codesign.charter.ratings import (
        RatingStore,
        RoundResult,
    )
    from codesign.charter.registry import MetricSpec
    from codesign.widgets.session import CharterSession

DIRECTIONS: Final = ((N_("at least"), ">="), (N_("at most"), "<="))
VERDICT_STYLE: Final = {
    Verdict.IN: ("✓", _ui.OK_COLOUR),
    Verdict.OUT: ("✗", _ui.ERROR_COLOUR),
    Verdict.NONE: ("–", _ui.HINT_COLOUR),
    Verdict.UNRATED: ("–", _ui.MUTED_COLOUR),
}
WRAP: Final = {"description_width": "100%"}
"""Label above its input (the row wraps): long outcome titles are never cut, on a phone too."""


def _wide(max_width: str = "40em") -> ipw.Layout:
    return _ui.shared_layout(width="100%", max_width=max_width, flex_flow="row wrap")


def importance_options() -> list[tuple[str, int | None]]:
    """The GRADE scale as a closed list, 9 (critical) first, in the workshop's language."""
    return [
        (_("Choose from 9 (critical) to 1"), None),
        *(
            (_("{score}: {words}", score=score, words=_(SCALE_WORDS[score])), score)
            for score in reversed(SCALE)
        ),
    ]


def _percent(part: int, whole: int) -> str:
    return format_percent(part / whole) if whole else "–"


def _direction_words(op: str) -> str:
    return _("at least") if op in (">=", ">") else _("at most")


def distribution_html(tally: Tally) -> str:
    """The group's answers as three bands and nine counts, in words and small bars."""
    bands = (
        (_("1-3 not important"), sum(tally.distribution[0:3])),
        (_("4-6 important"), sum(tally.distribution[3:6])),
        (_("7-9 critical"), sum(tally.distribution[6:9])),
    )
    words = "; ".join(
        _("{band}: {count} ({share})", band=label, count=count, share=_percent(count, tally.n))
        for label, count in bands
    )
    bars = "".join(
        f'<span title="{score}: {count}" style="display:inline-block;width:9px;margin-right:1px;'
        f'height:{3 + 4 * count}px;background:#0072b2;vertical-align:bottom"></span>'
        for score, count in zip(SCALE, tally.distribution, strict=True)
    )
    median = (
        _("median {median}", median=format_number(tally.median))
        if tally.median is not None
        else _("no rating")
    )
    room = _("The room (n = {n}, {median}): {bands}.", n=tally.n, median=median, bands=words)
    return f"<div>{bars}</div><div>{esc(room)}</div>"


# --- participant ----------------------------------------------------------------------------


class RatingRow:
    """One candidate: its importance (1–9) and an optional target, with their messages."""

    def __init__(self, candidate: Candidate, previous: str = "") -> None:
        self.candidate = candidate
        self.spec: MetricSpec | None = REGISTRY.get(candidate.metric)
        title = esc(candidate.title)
        measure = (
            esc(
                _(
                    "Measured by {metric}: {summary}",
                    metric=self.spec.display_title.lower(),
                    summary=self.spec.display_summary,
                )
            )
            if self.spec
            else ""
        )
        self.heading = ipw.HTML(
            f"<div style='font-weight:bold;overflow-wrap:anywhere'>{title}</div>"
            f"<div style='color:{_ui.MUTED_COLOUR};font-size:90%;overflow-wrap:anywhere'>"
            f"{measure}</div>",
            layout=_ui.shared_layout(width="100%"),
        )
        self.importance = ipw.Dropdown(
            options=importance_options(),
            index=0,
            description=_("Importance of: {outcome}", outcome=candidate.title),
            style=WRAP,
            layout=_wide("28em"),
        )
        example = (
            format_percent(0.95)
            if self.spec and self.spec.value_range == (0.0, 1.0)
            else _("a number")
        )
        self.target = _ui.text(
            description=_("Target for: {outcome}", outcome=candidate.title),
            placeholder=_(
                "optional: {direction} … e.g. {example}",
                direction=_direction_words(candidate.op),
                example=example,
            ),
            style=WRAP,
            layout=_wide("28em"),
        )
        self.error = ipw.HTML(layout=_ui.shared_layout(width="100%"))
        self.previous = ipw.HTML(previous, layout=_ui.shared_layout(width="100%"))
        self.box = ipw.VBox(
            [self.heading, self.previous, self.importance, self.target, self.error],
            layout=_ui.shared_layout(
                width="100%", border="1px solid #ccc", padding="4px 8px", margin="0 0 8px 0"
            ),
        )
        self.box.add_class("codesign-rating")

    def fill(self, rating: Rating | None) -> None:
        if rating is None:
            self.importance.index = 0  # "choose ...", shown rather than a blank
        else:
            self.importance.value = rating.score
        self.target.value = (
            "" if rating is None or rating.target is None else format_decimal(rating.target, 6)
        )

    def read(self) -> Rating | None:
        """The rating as entered (``None`` when not rated); :class:`EntryError` if unusable."""
        self.error.value = ""
        target_text = self.target.value.strip()
        target = None
        if target_text:
            target = read_number(
                target_text,
                what=_("Target for “{outcome}”", outcome=self.candidate.title),
                spec=self.spec,
            )
        score = self.importance.value
        if score is None:
            if target is not None:
                msg = _(
                    "Rate the importance of “{outcome}” (1 to 9) to propose a target.",
                    outcome=self.candidate.title,
                )
                raise EntryError(msg)
            return None
        return Rating(score=score, target=target)

    def show_error(self, message: str) -> None:
        self.error.value = _ui.message_html([message])


class RatingForm:
    """A participant's ratings of the outcomes put to the room, round after round."""

    def __init__(self, store: RatingStore, person: Stakeholder, *, live: bool = True) -> None:
        self.store = store
        self.role = person.role
        self.rater = store.rater_key(person.name)
        self.lock = threading.RLock()
        self.messages = _ui.Messages()
        self.header = ipw.HTML()
        self.rows: dict[str, RatingRow] = {}
        self.body = ipw.VBox(layout=_ui.shared_layout(width="100%"))
        self.save_button = _ui.button(
            _("Save my ratings"),
            tooltip=_("Save your ratings of this round (you can change them until it closes)"),
            icon="save",
            style="primary",
            layout=_ui.shared_layout("14em"),
        )
        self.save_button.on_click(
            lambda _b: _ui.guarded(self.messages, _("saving your ratings"))(self.save)()
        )
        self.widget = ipw.VBox(
            [self.header, self.body, self.save_button, self.messages.box],
            layout=_ui.shared_layout(width="100%"),
        )
        self.widget.add_class("codesign-rating-form")
        self._shown: tuple[int, tuple[str, ...]] | None = None
        self.state = RoundState()
        self.refresh()
        self.poller = Poller(self._signature, self.refresh, self.lock)
        if live:
            self.poller.start()

    def _signature(self) -> object:
        state_file = self.store.folder / "consensus.json"
        return files_signature([state_file])

    def refresh(self) -> None:
        """Show the open candidates of the current round (rebuilt only when they changed)."""
        self.state = self.store.state()
        key = (self.state.round, tuple(c.id for c in self.state.open_candidates()))
        if key == self._shown:
            return
        typed = dict(self.rows.items()) if self._shown and self._shown[0] == key[0] else {}
        self._shown = key
        mine = self.store.answers(self.rater, self.state.round)
        before = (
            self.store.answers(self.rater, self.state.round - 1) if self.state.round > 1 else None
        )
        result = self.store.result(self.state.round - 1) if self.state.round > 1 else None
        rows: dict[str, RatingRow] = {}
        for candidate in self.state.open_candidates():
            if candidate.id in typed:
                rows[candidate.id] = typed[candidate.id]
                continue
            row = RatingRow(candidate, self._previous_html(candidate, before, result))
            row.fill(mine.ratings.get(candidate.id) if mine else None)
            rows[candidate.id] = row
        for cid, row in self.rows.items():
            if cid not in rows:
                _ui.close_tree(row.box)
        self.rows = rows
        self.body.children = tuple(row.box for row in rows.values())
        count = len(rows)
        if count:
            lines = [
                _(
                    "Round {round}: rate how important each outcome is for this use case, from "
                    "1 (not important) to 9 (critical); propose a target if you have one.",
                    round=self.state.round,
                ),
            ]
        else:
            lines = [
                _(
                    "No outcome is put to the room yet; they appear here when the facilitator "
                    "adds them."
                )
            ]
        self.header.value = _ui.message_html(lines, _ui.MUTED_COLOUR)
        self.save_button.layout = _ui.shared_layout("14em") if count else _ui.hidden()

    def _previous_html(
        self,
        candidate: Candidate,
        before: Any,
        result: RoundResult | None,
    ) -> str:
        if result is None:
            return ""
        tally = result.tallies.get(candidate.id)
        if tally is None:
            return ""
        own = before.ratings.get(candidate.id) if before is not None else None
        yours = (
            _(
                "You rated it {score} ({words}) in round {round}.",
                score=own.score,
                words=_(SCALE_WORDS[own.score]),
                round=result.round,
            )
            if own
            else _("You did not rate it in round {round}.", round=result.round)
        )
        return (
            f"<div style='font-size:90%;background:#f3f6fa;padding:4px;margin:2px 0'>"
            f"<div>{esc(yours)}</div>{distribution_html(tally)}</div>"
        )

    def save(self) -> None:
        """Save every rating of this round at once, or nothing if any entry is unusable."""
        with self.lock:
            self.messages.clear()
            ratings: dict[str, Rating] = {}
            errors = 0
            for cid, row in self.rows.items():
                try:
                    rating = row.read()
                except EntryError as e:
                    row.show_error(str(e))
                    errors += 1
                    continue
                if rating is not None:
                    ratings[cid] = rating
            if errors:
                self.messages.error(
                    ngettext(
                        "Not saved: {n} entry to fix (in red under the outcome).",
                        "Not saved: {n} entries to fix (in red under the outcome).",
                        errors,
                    )
                )
                return
            if not ratings:
                self.messages.error(_("Not saved: rate at least one outcome first (1 to 9)."))
                return
            current = self.store.state().round
            if current != self.state.round:
                self.refresh()
                self.messages.error(
                    _(
                        "Not saved: round {closed} closed meanwhile. Here is round {current}, "
                        "with the room's answers; rate again.",
                        closed=self.state.round - 1,
                        current=current,
                    )
                )
                return
            self.store.save(self.rater, self.role, ratings, round_number=current)
            self.messages.info(
                _(
                    "Saved: {count} rating(s) for round {round}, as {role}. You can change "
                    "them until the round closes.",
                    count=len(ratings),
                    round=current,
                    role=self.role,
                )
            )


# --- facilitator ----------------------------------------------------------------------------


class CandidateCard:
    """One candidate on the facilitator's board: the room's numbers, accept or drop."""

    def __init__(self, board: ConsensusBoard, candidate: Candidate) -> None:
        self.board = board
        self.candidate = candidate
        self.spec = REGISTRY.get(candidate.metric)
        self.summary = ipw.HTML(layout=_ui.shared_layout(width="100%"))
        self.target = _ui.text(
            description=_("Target for: {outcome}", outcome=candidate.title),
            placeholder=_(
                "{direction} … e.g. {example}",
                direction=_direction_words(candidate.op),
                example=format_percent(0.95),
            ),
            style=WRAP,
            layout=_wide("24em"),
        )
        self.accept = _ui.button(
            _("Accept into the charter"),
            tooltip=_(
                "Add “{outcome}” to the charter with this target and its evidence",
                outcome=candidate.title,
            ),
            icon="check",
            style="success",
            layout=_ui.shared_layout(width="auto"),
        )
        self.drop = _ui.button(
            _("Drop"),
            tooltip=_("Take “{outcome}” off the table", outcome=candidate.title),
            icon="times",
            layout=_ui.shared_layout(width="auto"),
        )
        self.accept.on_click(board.clicked(_("accepting the outcome"), lambda: board.accept(self)))
        self.drop.on_click(board.clicked(_("dropping the outcome"), lambda: board.drop(self)))
        self.error = ipw.HTML(layout=_ui.shared_layout(width="100%"))
        self.box = ipw.VBox(
            [
                self.summary,
                self.target,
                ipw.HBox([self.accept, self.drop], layout=_ui.shared_layout(flex_flow="row wrap")),
                self.error,
            ],
            layout=_ui.shared_layout(
                width="100%", border="1px solid #ccc", padding="4px 8px", margin="0 0 8px 0"
            ),
        )
        self.box.add_class("codesign-candidate")
        self._proposed = ""

    def show(self, tally: Tally | None) -> None:
        title = esc(self.candidate.title)
        if tally is None or tally.n == 0:
            body = _("Not rated yet.")
            verdict = Verdict.UNRATED
        else:
            verdict = tally.verdict
            targets = tally.targets
            proposed = (
                _(
                    "Proposed targets (n = {n}): median {median}, IQR {q1} to {q3}.",
                    n=targets.n,
                    median=number_text(targets.median, self.spec),
                    q1=number_text(targets.q1, self.spec),
                    q3=number_text(targets.q3, self.spec),
                )
                if targets
                else _("No target proposed.")
            )
            body = _(
                "n = {n}, median {median}; rated 7-9: {critical}; rated 1-3: {not_important}. "
                "{proposed}",
                n=tally.n,
                median=format_number(tally.median),
                critical=_percent(tally.critical, tally.n),
                not_important=_percent(tally.not_important, tally.n),
                proposed=proposed,
            )
            untouched = self.target.value.strip() in ("", self._proposed)
            if targets and untouched:
                self._proposed = format_decimal(targets.median, 6)
                self.target.value = self._proposed
        symbol, colour = VERDICT_STYLE[verdict]
        self.summary.value = (
            f"<div style='font-weight:bold;overflow-wrap:anywhere'>{title}</div>"
            f"<div><span style='color:{colour};font-weight:bold'>{symbol} "
            f"{esc(verdict.label)}</span></div>"
            f"<div style='overflow-wrap:anywhere'>{esc(body)}</div>"
        )
        self.verdict = verdict
        self.tally = tally


class ConsensusBoard:
    """The facilitator's view of the room's ratings, with the round and acceptance controls."""

    def __init__(self, store: RatingStore, session: CharterSession, *, live: bool = True) -> None:
        self.store = store
        self.session = session
        self.lock = threading.RLock()
        self.messages = _ui.Messages()
        self.header = ipw.HTML(layout=_ui.shared_layout(width="100%"))
        self.cards: dict[str, CandidateCard] = {}
        self.body = ipw.VBox(layout=_ui.shared_layout(width="100%"))
        # putting a candidate to the room
        self.new_title = _ui.text(
            description=_("New outcome to put to the room"),
            placeholder=_("What success means, in plain words"),
            style=WRAP,
            layout=_wide(),
        )
        self.new_category = ipw.Dropdown(
            description=_("Kind of success"),
            options=category_options(),
            style=WRAP,
            layout=_wide("20em"),
        )
        self.new_metric = ipw.Dropdown(
            description=_("Measured by"),
            options=metric_options(),
            style=WRAP,
            layout=_wide("24em"),
        )
        self.new_direction = ipw.Dropdown(
            description=_("A good result is"),
            options=_ui.choices(DIRECTIONS),
            style=WRAP,
            layout=_wide("20em"),
        )
        self.new_metric.observe(self._on_metric, names="value")
        self._on_metric({"new": self.new_metric.value})
        self.new_error = ipw.HTML(layout=_ui.shared_layout(width="100%"))
        self.put_button = _ui.button(
            _("Put to the room"),
            tooltip=_("Participants see it on their page and rate it"),
            icon="plus",
            style="primary",
            layout=_ui.shared_layout(width="auto"),
        )
        self.put_button.on_click(self.clicked(_("putting the outcome to the room"), self.put))
        self.next_button = _ui.button(
            _("Close this round"),
            tooltip=_(
                "Start the next round: each participant sees the room's answers beside theirs"
            ),
            icon="forward",
            layout=_ui.shared_layout(width="auto"),
        )
        self.next_button.on_click(self.clicked(_("closing the round"), self.next_round))
        adder = ipw.VBox(
            [
                self.new_title,
                ipw.HBox(
                    [self.new_category, self.new_metric, self.new_direction],
                    layout=_ui.shared_layout(width="100%", flex_flow="row wrap"),
                ),
                self.new_error,
                self.put_button,
            ],
            layout=_ui.shared_layout(width="100%", margin="8px 0"),
        )
        self.widget = ipw.VBox(
            [self.header, self.body, self.next_button, self.messages.box, adder],
            layout=_ui.shared_layout(width="100%"),
        )
        self.widget.add_class("codesign-consensus-board")
        self.refresh()
        self.poller = Poller(self._signature, self.refresh, self.lock)
        if live:
            self.poller.start()

    def clicked(self, action: str, callback: Any) -> Any:
        def run(_button: ipw.Button) -> None:
            with self.lock:
                _ui.guarded(self.messages, action)(callback)()

        return run

    def _on_metric(self, change: dict[str, Any]) -> None:
        spec = REGISTRY.get(change["new"])
        if spec is not None:
            self.new_direction.value = ">=" if spec.higher_is_better else "<="

    def _signature(self) -> object:
        state = self.store.state()
        return files_signature(
            [
                self.store.folder / "consensus.json",
                self.store.folder / "ratings" / f"round-{state.round}",
            ]
        )

    def refresh(self) -> None:
        """Show every open candidate's numbers for the current round."""
        state = self.store.state()
        rule = self.session.charter.consensus_rule
        result = self.store.result(state.round, rule)
        self.state, self.result = state, result
        open_ids = [c.id for c in state.open_candidates()]
        for cid in list(self.cards):
            if cid not in open_ids:
                _ui.close_tree(self.cards.pop(cid).box)
        for candidate in state.open_candidates():
            card = self.cards.get(candidate.id)
            if card is None:
                card = self.cards[candidate.id] = CandidateCard(self, candidate)
            card.show(result.tallies.get(candidate.id))
        self.body.children = tuple(self.cards[cid].box for cid in open_ids)
        roles = ", ".join(f"{count} {role}" for role, count in sorted(result.roles.items()))
        people = (
            _(
                "Round {round}. {n} people rated so far ({roles}).",
                round=state.round,
                n=result.raters,
                roles=roles,
            )
            if roles
            else _("Round {round}. {n} people rated so far.", round=state.round, n=result.raters)
        )
        self.header.value = _ui.message_html(
            [people, _("Rule: {rule}.", rule=rule.describe())], _ui.MUTED_COLOUR
        )
        self.next_button.description = _(
            "Close round {round} and start round {next}", round=state.round, next=state.round + 1
        )

    def put(self) -> None:
        self.new_error.value = ""
        title = self.new_title.value.strip()
        if not title:
            self.new_error.value = _ui.message_html(
                [_("Type the outcome in plain words, e.g. Catch every high-acuity patient.")]
            )
            return
        state = self.store.state()
        taken = {o.id for o in self.session.charter.outcomes} | {c.id for c in state.candidates}
        candidate = Candidate(
            id=suggest_id(title, taken),
            title=title,
            category=Category(self.new_category.value),
            metric=self.new_metric.value,
            op=self.new_direction.value,
        )
        self.store.propose(candidate)
        self.new_title.value = ""
        self.messages.info(
            _("“{outcome}” is put to the room: participants can rate it now.", outcome=title)
        )
        self.refresh()

    def next_round(self) -> None:
        state = self.store.next_round()
        self.messages.info(
            _(
                "Round {round} started: participants see the room's answers of round "
                "{previous} beside their own.",
                round=state.round,
                previous=state.round - 1,
            )
        )
        self.refresh()

    def drop(self, card: CandidateCard) -> None:
        self.store.close(card.candidate.id, CandidateStatus.DROPPED)
        self.messages.info(_("“{outcome}” was dropped.", outcome=card.candidate.title))
        self.refresh()

    def accept(self, card: CandidateCard) -> None:
        """Write the outcome into the charter with its evidence, then close the candidate."""
        card.error.value = ""
        candidate = card.candidate
        tally = card.tally
        if tally is None or card.verdict is not Verdict.IN:
            card.error.value = _ui.message_html(
                [
                    _(
                        "“{outcome}” has no consensus in yet ({verdict}): close the round for "
                        "another, or drop it.",
                        outcome=candidate.title,
                        verdict=card.verdict.label,
                    )
                ]
            )
            return
        try:
            value = read_number(
                card.target.value,
                what=_("Target for “{outcome}”", outcome=candidate.title),
                spec=card.spec,
            )
        except EntryError as e:
            card.error.value = _ui.message_html([str(e)])
            return
        evidence = tally.evidence(
            self.session.charter.consensus_rule, self.state.round, dt.datetime.now(dt.UTC).date()
        )
        outcome = Outcome(
            id=candidate.id,
            title=candidate.title,
            category=candidate.category,
            metric=candidate.metric,
            target=f"{candidate.op} {value:g}",
            consensus=evidence,
        )

        def add(charter: Any) -> None:
            if charter.outcome(outcome.id) is None:
                charter.outcomes = [*charter.outcomes, outcome]

        self.session.commit(add)
        self.store.close(candidate.id, CandidateStatus.ACCEPTED)
        self.messages.info(
            _(
                "“{outcome}” is in the charter: target {direction} {value}, agreed in round "
                "{round} by {n} people ({critical} rated it critical).",
                outcome=candidate.title,
                direction=_direction_words(candidate.op),
                value=number_text(value, card.spec),
                round=evidence.round,
                n=evidence.n,
                critical=_percent(tally.critical, tally.n),
            )
        )
        self.refresh()
