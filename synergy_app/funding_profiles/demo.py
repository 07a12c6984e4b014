"""The demo project's description, written once, and the cost types of its budget lines. EXAMPLE DATA.

Dissemination and state aid are left unwritten so that the requirement matrix has something to say."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from ..extensions import db
from ..projects.demo import DEMO_TITLE
from ..projects.models import Project
from . import canonical, service

DEMO_TEXTS = {
    "aim": ("Projektet ska bygga och driva en systemdemonstrator för hållbar och resilient produktion i "
            "Norrbotten och Värmland, där två verkstadsföretag, ett universitet och en testbädd visar hur "
            "energieffektiv styrning och återvinning av processvärme kan halvera energianvändningen per "
            "producerad enhet till 2028."),
    "background": ("Genomförbarhetsstudierna om systemdemonstratorer visade att företagen har lösningarna "
                   "var för sig men saknar en miljö där de prövas tillsammans i full skala. Regionernas "
                   "strategier pekar ut hållbar industri som prioriterat område."),
    "implementation": ("Arbetet delas i fyra arbetspaket: (1) kravställning och design, (2) bygge av "
                       "demonstratorn hos Norrstål, (3) automation och styrning från Värmlands "
                       "Processautomation, (4) utvärdering och mätning vid Luleå tekniska universitet."),
    "partners": ("Norrstål Verkstad leder projektet och står för produktionsmiljön; Värmlands "
                 "Processautomation bidrar med styrsystem; Luleå tekniska universitet med mätmetoder och "
                 "utvärdering; Arktisk testbädd med testmiljö för kallt klimat."),
    "budget": "Budgeten är fördelad per part och kostnadstyp enligt projektets budgettabell.",
    "results": ("En demonstrator i drift, mätdata över två vintrar och en metod för energieffektiv styrning "
                "som fler företag i regionerna kan använda."),
    "horizontal": ("Projektgruppen har jämn könsfördelning i ledningen; arbetspaket 4 analyserar hur "
                   "resultaten påverkar arbetsmiljön för kvinnor och män i verkstadsindustrin."),
}

# (partner key, aid category) -> (cost type, hours, rate in kronor, annual staff costs in kronor)
DEMO_TYPES = {
    ("norrstal", "experimental_development"): ("personnel", "8000", "750", "1300000"),
    ("norrstal", "industrial_research"): ("equipment", None, None, None),
    ("varmauto", "experimental_development"): ("personnel", "4000", "750", "1150000"),
    ("varmauto", "de_minimis"): ("consultancy", None, None, None),
    ("ltu", "non_economic"): ("personnel", "2500", "1000", None),
    ("testbadd", "industrial_research"): ("other_direct", None, None, None),
}


def describe_demo(project: Project) -> None:
    if not canonical.texts(project, "sv"):
        service.save_description(project, {f"section-{k}": v for k, v in DEMO_TEXTS.items()}, "sv", "seed")
    if not canonical.cost_types(project):
        form: dict[str, str] = {}
        for line in project.cost_lines:
            typed = DEMO_TYPES.get((line.partner.key, line.category))
            if typed is None:
                continue
            cost_type, hours, rate, annual = typed
            form[f"line-{line.id}-type"] = cost_type
            for key, value in (("hours", hours), ("rate", rate), ("annual", annual)):
                if value is not None:
                    form[f"line-{line.id}-{key}"] = str(Decimal(value))
        service.save_cost_types(project, form, "seed")


def seed_demo() -> str:
    project = db.session.scalar(select(Project).where(Project.title == DEMO_TITLE))
    if project is None:
        return ""
    describe_demo(project)
    return f"Demo project described once for every funder (id {project.id})."
