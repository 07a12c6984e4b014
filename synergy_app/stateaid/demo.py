"""Demo rulings on the taskforce's questions (seeds/002, 3.3.2 and 4.1.13).

Every one is an invented example: the title starts with "Exempel" and the text says that it is
not an agency decision. They show how the log, the history and the precedents work.
"""

from __future__ import annotations

from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from . import rulings_service as service
from .models import Ruling, RulingRevision

MARK = ("EXEMPEL FÖR DEMONSTRATION – inte ett verkligt beslut av Vinnova, Tillväxtverket eller taskforcen. "
        "Texten är påhittad för att visa hur avgörandeloggen fungerar.\n\n")
AGENCIES = ["vinnova", "tillvaxtverket"]

EXAMPLES = [
    {
        "title": "Exempel: Intermediär som levererar offentligt finansierade tjänster till företag",
        "question": "Är finansiering till en intermediär som erbjuder företag kostnadsfria tjänster indirekt statsstöd "
                    "till företagen?",
        "facts": "En science park får medel från en myndighet och en region för att ge små företag rådgivning och "
                 "tillgång till testmiljöer utan kostnad.",
        "assessment": "Intermediären förmedlar en ekonomisk fördel till företagen när tjänsterna ges under "
                      "marknadspris. Fördelen är selektiv eftersom bara deltagande företag får den. Bedömningen "
                      "är att stödet ska hänföras till företagen och ges som de minimis-stöd eller enligt en "
                      "gruppundantagsartikel; intermediären själv får inget stöd om hela fördelen förs vidare.",
        "conclusion": "Indirekt stöd till företagen. Tjänsterna värderas till marknadspris och ges som de "
                      "minimis-stöd eller enligt GBER art. 28; intermediären redovisar värdet per företag.",
        "legal_basis": ["TFEU art. 107(1)", "(EU) 651/2014 art. 28(2)", "(EU) 2023/2831 art. 3(2)"],
        "topics": ["intermediary_services", "intermediary_firm_boundary"],
        "flag_codes": ["INDIRECT_AID_VIA_INTERMEDIARY"],
        "decided_on": "2026-02-10",
        "agree": True,
    },
    {
        "title": "Exempel: Gränsytan mellan finansiären och intermediären",
        "question": "När är intermediären själv mottagare av stöd, och när är den bara en kanal för finansiärens "
                    "medel?",
        "facts": "En myndighet upphandlar inte utan ger bidrag till ett innovationsbolag som väljer vilka företag som "
                 "får stöd.",
        "assessment": "Om intermediären inte har någon egen marginal och finansiären styr urval och villkor är den "
                      "en kanal. Om intermediären har eget handlingsutrymme och egen vinning bedöms den som "
                      "stödmottagare i ett första led, vilket kräver en egen prövning.",
        "conclusion": "Avtalet ska reglera urval, villkor och att hela fördelen förs vidare; annars prövas stöd i två "
                      "led.",
        "legal_basis": ["TFEU art. 107(1)"],
        "topics": ["funder_intermediary_boundary", "intermediary_services"],
        "flag_codes": ["INDIRECT_AID_VIA_INTERMEDIARY"],
        "decided_on": "2026-02-24",
        "agree": True,
    },
    {
        "title": "Exempel: Transparent prissättning av levererade tjänster",
        "question": "Hur ska en intermediär sätta pris på tjänster till företag så att stödets storlek kan beräknas?",
        "facts": "Ett kluster erbjuder analyser och workshops till medlemsföretag till ett subventionerat pris.",
        "assessment": "Priset ska bygga på en öppen kalkyl över kostnaderna (personal, lokaler, overhead). "
                      "Mellanskillnaden mot marknadspriset är stödet till företaget. "
                      "En bedömning per tjänstetyp räcker.",
        "conclusion": "Intermediären publicerar prislista och kalkylmodell; stödet per företag är skillnaden mot "
                      "marknadspris.",
        "legal_basis": ["(EU) 651/2014 art. 27(9)", "(EU) 651/2014 art. 28(2)"],
        "topics": ["transparent_pricing", "cluster_operating_aid"],
        "flag_codes": [],
        "decided_on": "2026-03-05",
        "agree": True,
        "revisions": [
            ({"assessment_add": " Bedömningen av marknadspriset dokumenteras och ses över varje år."},
             "Förtydligat att marknadspriset ses över årligen"),
            ({"conclusion_add": " Kalkylmodellen bifogas ansökan."}, "Kalkylmodellen ska bifogas ansökan"),
        ],
    },
    {
        "title": "Exempel: Icke-ekonomisk verksamhet hos en regional innovationsaktör",
        "question": "När är en innovationsaktörs verksamhet icke-ekonomisk så att finansieringen inte är statsstöd?",
        "facts": "En regional aktör sprider kunskap om digitalisering genom öppna seminarier och publicerar resultat "
                 "fritt.",
        "assessment": "Spridning av kunskap som är öppen för alla utan avgift och utan att gynna enskilda företag är "
                      "normalt icke-ekonomisk verksamhet. Verksamheten måste hållas isär i bokföringen från tjänster "
                      "som säljs.",
        "conclusion": "Öppen kunskapsspridning är icke-ekonomisk; separat redovisning krävs.",
        "legal_basis": ["FoUI-ramverket punkt 20", "TFEU art. 107(1)"],
        "topics": ["non_economic_activity"],
        "flag_codes": ["NON_ECONOMIC_CLAIM_REVIEW"],
        "decided_on": "2026-03-12",
        "agree": True,
    },
    {
        "title": "Exempel: Skattekonsekvenser av olika finansieringsmodeller",
        "question": "Påverkar valet mellan bidrag och köp av tjänst mervärdesskatten för intermediären?",
        "facts": "Två myndigheter finansierar samma insats, den ena med bidrag och den andra genom köp.",
        "assessment": "Ett bidrag utan motprestation är normalt inte omsättning, medan köp av en tjänst är det. "
                      "Modellen behöver stämmas av med Skatteverkets vägledning innan beslut.",
        "conclusion": "Myndigheterna väljer samma modell för samma insats och anger den i besluten.",
        "legal_basis": [],
        "topics": ["tax_consequences", "funder_intermediary_boundary"],
        "flag_codes": [],
        "decided_on": "2026-03-20",
        "agree": False,
    },
    {
        "title": "Exempel: Driftsstöd till innovationskluster",
        "question": "Hur länge får driftsstöd ges till en klusterorganisation och vilka kostnader ingår?",
        "facts": "En klusterorganisation söker driftsstöd för tolv år från flera finansiärer.",
        "assessment": "Driftsstöd till innovationskluster får ges under en begränsad tid och för personal- och "
                      "administrationskostnader för att främja samarbete och marknadsföring.",
        "conclusion": "Driftsstöd högst tio år; finansiärerna samordnar perioderna.",
        "legal_basis": ["GBER art. 27(8)"],
        "topics": ["cluster_operating_aid"],
        "flag_codes": ["CLUSTER_OPERATING_AID_TOO_LONG"],
        "decided_on": "2026-01-20",
        "agree": True,
        "superseded_by": "Exempel: Driftsstöd till innovationskluster (ny vägledning)",
    },
    {
        "title": "Exempel: Driftsstöd till innovationskluster (ny vägledning)",
        "question": "Hur länge får driftsstöd ges till en klusterorganisation och hur samordnas flera finansiärer?",
        "facts": "Som i det tidigare exemplet, men finansiärerna har olika programperioder.",
        "assessment": "Tiden räknas från första stödbeslutet oavsett finansiär. Finansiärerna för en gemensam "
                      "tidslinje för klustret.",
        "conclusion": "Driftsstöd högst tio år räknat från första beslutet, med en gemensam tidslinje.",
        "legal_basis": ["GBER art. 27(8)"],
        "topics": ["cluster_operating_aid"],
        "flag_codes": ["CLUSTER_OPERATING_AID_TOO_LONG"],
        "decided_on": "2026-04-02",
        "agree": True,
    },
    {
        "title": "Exempel: Forskningsorganisation efter C-164/21",
        "question": "Kan en science park utan egen oberoende forskning räknas som forskningsorganisation enligt GBER?",
        "facts": "En science park förmedlar kontakter mellan företag och universitet men bedriver ingen egen "
                 "forskning.",
        "assessment": "Enligt domstolens dom krävs att organisationens huvudsakliga syfte är oberoende forskning "
                      "eller spridning av dess resultat. En aktör som bara förmedlar uppfyller inte det.",
        "conclusion": "Ingen forskningsorganisation; stöd prövas som stöd till ett företag.",
        "legal_basis": ["ECLI:EU:C:2022:785 (C-164/21)", "(EU) 651/2014 art. 2(83)"],
        "topics": ["research_organisation", "non_economic_activity"],
        "flag_codes": ["NON_ECONOMIC_CLAIM_REVIEW"],
        "decided_on": "2026-02-03",
        "agree": True,
    },
]


def seed_demo() -> str:
    existing = db.session.scalar(select(RulingRevision.id).where(RulingRevision.title.like("Exempel:%")).limit(1))
    if existing:
        return "Taskforce rulings: demo examples already present"
    actor = db.session.scalar(select(User).where(User.email == "taskforce@demo.synergy.invalid")) or "seed"
    by_title: dict[str, Ruling] = {}
    for example in EXAMPLES:
        data = {k: v for k, v in example.items() if k not in ("agree", "revisions", "superseded_by")}
        data["facts"] = MARK + data["facts"]
        data["agencies"] = AGENCIES
        ruling = service.create_ruling(data, actor, reason="Exempel för demonstration")
        for change, reason in example.get("revisions", []):
            current = service.ruling_content(ruling)
            current["assessment"] += change.get("assessment_add", "")
            current["conclusion"] += change.get("conclusion_add", "")
            service.revise_ruling(ruling, current, reason, actor)
        if example.get("agree"):
            service.agree_ruling(ruling, actor)
        by_title[example["title"]] = ruling
    for example in EXAMPLES:
        if example.get("superseded_by"):
            service.supersede_ruling(by_title[example["title"]], by_title[example["superseded_by"]],
                                     "Exempel: ny vägledning ersätter den tidigare", actor)
    return f"Taskforce rulings: {len(EXAMPLES)} clearly marked examples (not agency decisions)"
