"""ERDF co-financing rate per programme slug: one source for the project page, the API and the CLI.

The rates are read from the shipped reference data, the files the directory's programme table is
seeded from, so a check gives the same answer with or without a database.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from ..reference.loader import load


@functools.cache
def programme_rates() -> Mapping[str, Decimal]:
    """Rate per programme slug (e.g. ``eruf-ovre-norrland``: 0.40), loaded once per process."""
    return MappingProxyType({p.slug: p.cofinancing_rate for p in load().programmes if p.cofinancing_rate is not None})
