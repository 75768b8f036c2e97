"""The frameworks and their items, each tied to the probes that evidence it.

- EU AI Act Annex IV: the 9 sections of the technical documentation, in the Act's order;
- TRIPOD+AI (Collins et al., BMJ 2024): the 27 items of the reporting checklist;
- DECIDE-AI (Vasey et al., Nat Med 2022): the 17 AI-specific items of early clinical evaluation.

Item ids (``annex-iv.5``, ``tripod-ai.14``, ``decide-ai.9``) are what a charter lists under
``evidence.required``. Items about things codesign does not hold (a registration, the funding,
the EU declaration of conformity) are probed by :func:`~codesign.evidence.probes.outside` and
always read as missing until attached elsewhere: the document says so rather than pretend.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from codesign.evidence import probes as p
from codesign.i18n import N_

if TYPE_CHECKING:
    from collections.abc import Callable

    from codesign.evidence.facts import Facts
    from codesign.evidence.probes import Finding


@dataclass(frozen=True)
class ItemSpec:
    """One item of a framework and the probe that looks for its evidence."""

    id: str
    title: str
    probe: Callable[[Facts], Finding]


@dataclass(frozen=True)
class Framework:
    """A framework: a key (used in item ids and file names), a title, its items in order."""

    key: str
    title: str
    reference: str
    items: tuple[ItemSpec, ...]


def _items(key: str, rows: list[tuple[str, Callable[[Facts], Finding]]]) -> tuple[ItemSpec, ...]:
    return tuple(ItemSpec(f"{key}.{n}", title, probe) for n, (title, probe) in enumerate(rows, 1))


ANNEX_IV: Final = Framework(
    "annex-iv",
    N_("EU AI Act, Annex IV: technical documentation"),
    N_(
        "Regulation (EU) 2024/1689, Annex IV (technical documentation referred to in Article 11(1))"
    ),
    _items(
        "annex-iv",
        [
            (
                N_("General description of the AI system"),
                p.combine(p.identity, p.purpose, p.users, p.setting, p.decision),
            ),
            (
                N_(
                    "Detailed description of the elements of the AI system and of its development "
                    "process"
                ),
                p.combine(p.data_contract, p.gate, p.iterations, p.stakeholders),
            ),
            (
                N_("Monitoring, functioning and control of the AI system"),
                p.combine(p.oversight, p.limitations, p.out_of_scope, p.performance),
            ),
            (N_("Appropriateness of the performance metrics"), p.combine(p.outcomes, p.fairness)),
            (N_("Risk management system"), p.combine(p.risks, p.errors_monitored)),
            (N_("Changes made to the system through its lifecycle"), p.lifecycle),
            (N_("Harmonised standards and other specifications applied"), p.standards),
            (
                N_("EU declaration of conformity"),
                p.combine(p.signoffs, p.outside(N_("no EU declaration of conformity"))),
            ),
            (N_("Post-market monitoring plan"), p.combine(p.monitoring_plan, p.human_factors)),
        ],
    ),
)

TRIPOD_AI: Final = Framework(
    "tripod-ai",
    N_("TRIPOD+AI: reporting of prediction models using regression or machine learning"),
    N_("Collins GS et al. TRIPOD+AI statement. BMJ 2024;385:e078378"),
    _items(
        "tripod-ai",
        [
            (N_("Title: identifies the model, its population and outcome"), p.identity),
            (N_("Abstract"), p.combine(p.purpose, p.performance)),
            (
                N_("Background: healthcare context, rationale, health inequalities"),
                p.combine(p.purpose, p.setting, p.fairness),
            ),
            (N_("Objectives: development, evaluation or both"), p.combine(p.purpose, p.candidate)),
            (N_("Data: sources and dates"), p.combine(p.data_contract, p.gate)),
            (N_("Participants: setting, eligibility, treatments"), p.setting),
            (N_("Data preparation"), p.combine(p.data_contract, p.gate)),
            (N_("Outcome: what is predicted and how it is assessed"), p.outcomes),
            (N_("Predictors"), p.data_contract),
            (N_("Sample size"), p.gate),
            (N_("Missing data"), p.combine(p.data_contract, p.gate)),
            (N_("Analytical methods"), p.combine(p.outcomes, p.iterations)),
            (N_("Class imbalance"), p.outside(N_("no description of class imbalance handling"))),
            (N_("Fairness: methods to address it"), p.fairness),
            (N_("Model output"), p.combine(p.outcomes, p.oversight)),
            (N_("Training versus evaluation data"), p.iterations),
            (N_("Ethical approval"), p.outside(N_("no ethics committee approval"))),
            (
                N_(
                    "Open science: funding, conflicts, protocol, registration, data and code "
                    "sharing"
                ),
                p.outside(
                    N_(
                        "no funding, conflicts of interest, protocol, registration or sharing "
                        "statement"
                    )
                ),
            ),
            (N_("Patient and public involvement"), p.combine(p.stakeholders, p.human_factors)),
            (N_("Participants (results): characteristics, flow"), p.gate),
            (N_("Model development"), p.iterations),
            (N_("Model specification"), p.candidate),
            (N_("Model performance, including subgroups"), p.combine(p.performance, p.fairness)),
            (N_("Model updating"), p.lifecycle),
            (N_("Interpretation"), p.combine(p.performance, p.outcomes)),
            (N_("Limitations"), p.limitations),
            (
                N_("Usability of the model in the context of current care"),
                p.combine(p.users, p.oversight, p.human_factors, p.out_of_scope),
            ),
        ],
    ),
)

DECIDE_AI: Final = Framework(
    "decide-ai",
    N_("DECIDE-AI: early-stage clinical evaluation of AI decision support (AI-specific items)"),
    N_("Vasey B et al. DECIDE-AI reporting guideline. Nat Med 2022;28:924-933"),
    _items(
        "decide-ai",
        [
            (
                N_("Intended use: medical problem and clinical context"),
                p.combine(p.purpose, p.setting),
            ),
            (N_("Intended use: intended patients and users"), p.combine(p.setting, p.users)),
            (N_("Participants: patient eligibility"), p.combine(p.setting, p.out_of_scope)),
            (
                N_("Participants: users, their eligibility and number"),
                p.combine(p.users, p.stakeholders),
            ),
            (N_("AI system: description and version"), p.candidate),
            (N_("AI system: data used to develop it"), p.combine(p.data_contract, p.gate)),
            (N_("AI system: inputs and outputs"), p.combine(p.data_contract, p.outcomes)),
            (
                N_("Implementation: setting and integration in the clinical workflow"),
                p.combine(p.setting, p.oversight),
            ),
            (N_("Implementation: user training"), p.outside(N_("no description of user training"))),
            (
                N_("Safety and errors: how errors and harms are identified"),
                p.combine(p.risks, p.errors_monitored),
            ),
            (N_("Human factors: how human-AI interaction is evaluated"), p.human_factors),
            (N_("Analysis: subgroups and fairness"), p.fairness),
            (
                N_("Results: user exposure and adherence to the AI's recommendations"),
                p.combine(p.human_factors, p.performance),
            ),
            (N_("Results: changes to the AI system or its use during the study"), p.lifecycle),
            (
                N_("Results: errors, malfunctions and harms"),
                p.combine(p.safety, p.errors_monitored),
            ),
            (N_("Results: usability, trust and learning"), p.human_factors),
            (
                N_("Discussion: support for the intended use, safety and next steps"),
                p.combine(p.performance, p.risks, p.monitoring_plan),
            ),
        ],
    ),
)

FRAMEWORKS: Final = (ANNEX_IV, TRIPOD_AI, DECIDE_AI)

ITEM_IDS: Final = frozenset(item.id for framework in FRAMEWORKS for item in framework.items)
