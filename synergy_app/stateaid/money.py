"""Money arithmetic of the check in integer öre and Decimal euro (never float).

Text for readers comes from synergy_app.money."""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

ORE_PER_KRONA = 100


def percent_string(fraction: Decimal) -> str:
    """A fraction as a machine-readable percent string with two decimals: '45.00'."""
    return f"{(fraction * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}"


def share_of(amount_ore: int, fraction: Decimal) -> int:
    """The largest whole öre amount not above ``amount_ore * fraction`` (a limit must not round up)."""
    return int((Decimal(amount_ore) * fraction).to_integral_value(rounding=ROUND_FLOOR))


def ore_to_eur(ore: int, eur_sek: Decimal) -> Decimal:
    """SEK öre to EUR at ``eur_sek`` kronor per euro, to the cent."""
    return (Decimal(ore) / ORE_PER_KRONA / eur_sek).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def eur_to_ore(eur: Decimal | int, eur_sek: Decimal) -> int:
    """EUR to whole öre; rounded down so a ceiling converted to SEK is never exceeded by rounding."""
    return int((Decimal(eur) * eur_sek * ORE_PER_KRONA).to_integral_value(rounding=ROUND_FLOOR))
