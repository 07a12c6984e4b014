"""The state-aid vocabularies, defined once: cost categories, partner kinds, size classes, funding
sources and levels, assisted areas and de minimis regulations, with their names (Swedish, English).

Pure data. The project file format, the check, the project pages and the de minimis register all
read these tuples; nothing else spells the values out.
"""

from __future__ import annotations

CATEGORY_NAMES: dict[str, tuple[str, str]] = {
    "fundamental_research": ("grundforskning", "fundamental research"),
    "industrial_research": ("industriell forskning", "industrial research"),
    "experimental_development": ("experimentell utveckling", "experimental development"),
    "feasibility_study": ("genomförbarhetsstudie", "feasibility study"),
    "cluster_investment": ("investeringsstöd till innovationskluster", "investment aid for innovation clusters"),
    "cluster_operating": ("driftsstöd till innovationskluster", "operating aid for innovation clusters"),
    "sme_innovation": ("innovationsstöd till små och medelstora företag", "innovation aid for SMEs"),
    "process_innovation": ("process- och organisationsinnovation", "process and organisational innovation"),
    "de_minimis": ("de minimis-stöd", "de minimis aid"),
    "non_economic": ("icke-ekonomisk verksamhet", "non-economic activity"),
}
CATEGORIES = tuple(CATEGORY_NAMES)

PARTNER_KIND_NAMES: dict[str, tuple[str, str]] = {
    "undertaking": ("Företag", "Company"),
    "research_organisation": ("Forskningsorganisation", "Research organisation"),
    "public_body": ("Offentlig aktör", "Public body"),
    "intermediary": ("Mellanhand", "Intermediary"),
}
PARTNER_KINDS = tuple(PARTNER_KIND_NAMES)

SIZE_NAMES: dict[str, tuple[str, str]] = {
    "micro": ("mikroföretag", "micro enterprise"),
    "small": ("litet företag", "small enterprise"),
    "medium": ("medelstort företag", "medium-sized enterprise"),
    "large": ("stort företag", "large enterprise"),
}
SIZES = tuple(SIZE_NAMES)
SME_SIZES = ("micro", "small", "medium")  # GBER Annex I: the classes below "large", smallest first

SOURCE_KIND_NAMES: dict[str, tuple[str, str]] = {
    "state": ("statlig", "state"),
    "regional": ("regional", "regional"),
    "municipal": ("kommunal", "municipal"),
    "erdf": ("ERUF", "ERDF"),
    "eu_direct": ("EU direkt", "EU direct"),
    "private": ("privat", "private"),
}
SOURCE_KINDS = tuple(SOURCE_KIND_NAMES)
PUBLIC_KINDS = tuple(k for k in SOURCE_KINDS if k != "private")

# Funding levels of a co-financing plan: ERDF and Union money directly from Brussels are both "eu".
LEVEL_OF_KIND = {"state": "state", "regional": "regional", "municipal": "municipal", "erdf": "eu",
                 "eu_direct": "eu", "private": "private"}
FUNDING_LEVELS = ("state", "regional", "municipal", "eu", "private")

ASSISTED_AREAS = ("none", "a", "c")

# The regulations a de minimis grant in the register can be granted under.
DE_MINIMIS_REGULATIONS = ("2023/2831", "1407/2013", "1408/2013", "717/2014", "2023/2832", "360/2012")
