"""What other capabilities may use from the directory: plain numbers and dicts."""

from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from .models import Organisation, Region


def counts() -> dict[str, int]:
    """How many regions, national agencies and funders the directory holds."""
    return {
        "regions": db.session.scalar(select(func.count(Region.id))),
        "agencies": db.session.scalar(
            select(func.count(Organisation.id)).where(Organisation.kind == "national_agency")),
        "funders": db.session.scalar(select(func.count(Organisation.id)).where(Organisation.is_funder.is_(True))),
    }
