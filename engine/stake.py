"""Hours and money at stake: what each finding takes out of billing, and the totals.

Taken from the ledger only (engine/ledger.py), so every figure agrees with
``asa-check ledger`` to the cent:

- a finding that makes its service unbillable (a rule with ``billable_effect:
  drop``, or an input error on a service) carries the hours the ledger took out
  of billing for that service (weighted like the ledger, ``group_hours``), the
  contract year they belong to, and their value at the contract's hourly price,
  computed exactly and rounded half-up to cents once (``to_cents``). A service
  the ledger does not bill anyway (not delivered, Vorphase, outside every
  contract year) carries 0 h.
- per rule and contract year: the ledger's ``dropped_hours_by_rule`` × price;
  a service hit by two rules counts for both (as in the ledger).
- per contract year: the ledger's unbillable hours (each service once) × price;
  per bundle: the sum of the years' amounts (each rounded as in the ledger).
- payment effect per contract year: the year's payment if the unbillable hours
  were billable, minus the payment: max(min(B + X, A), M) × price − max(P, M) × price.
  Beyond the available hours, or below the minimum purchase, unbillable hours
  cost nothing.
Findings beyond the listing limit (``--max-findings``) count in the totals:
the ledger made their services unbillable too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from engine.ledger import ZERO, Ledger, YearLedger, to_cents, to_decimal
from schemas.finding import Finding


@dataclass
class YearStake:
    year: int
    price_per_hour: Decimal
    hours: Fraction  # unbillable hours, each service once (ledger: dropped_hours)
    amount: Decimal
    payment_effect: Decimal
    payment_without: Decimal  # the year's payment had the unbillable hours been billable
    by_rule: dict[str, tuple[Fraction, Decimal]] = field(default_factory=dict)


@dataclass
class Stake:
    years: list[YearStake] = field(default_factory=list)

    @property
    def hours(self) -> Fraction:
        return sum((y.hours for y in self.years), ZERO)

    @property
    def amount(self) -> Decimal:
        return sum((y.amount for y in self.years), Decimal("0.00"))

    @property
    def payment_effect(self) -> Decimal:
        return sum((y.payment_effect for y in self.years), Decimal("0.00"))

    def by_rule(self) -> dict[str, tuple[Fraction, Decimal]]:
        """Per rule over all contract years: (hours, amount = sum of the years' amounts)."""
        out: dict[str, tuple[Fraction, Decimal]] = {}
        for y in self.years:
            for rule, (h, a) in y.by_rule.items():
                h0, a0 = out.get(rule, (ZERO, Decimal("0.00")))
                out[rule] = (h0 + h, a0 + a)
        return dict(sorted(out.items()))


def value(hours: Fraction, price: Decimal) -> Decimal:
    """Hours at the contract's hourly price, exact, rounded half-up to cents once (as the ledger)."""
    return to_cents(hours * Fraction(price))


def year_stake(y: YearLedger) -> YearStake:
    price = Fraction(y.price_per_hour)
    payable_without = min(y.billable_hours + y.dropped_hours, y.available)
    without = to_cents(max(payable_without, y.minimum_hours) * price)
    return YearStake(
        year=y.year, price_per_hour=y.price_per_hour, hours=y.dropped_hours,
        amount=value(y.dropped_hours, y.price_per_hour),
        payment_effect=without - y.total_payment, payment_without=without,
        by_rule={r: (h, value(h, y.price_per_hour)) for r, h in y.dropped_hours_by_rule.items()})


def stake_of(ledger: Ledger | None) -> Stake:
    return Stake([year_stake(y) for y in ledger.years]) if ledger is not None else Stake()


def attach(findings: list[Finding], ledger: Ledger | None) -> list[Finding]:
    """Each finding that makes its service unbillable, with the hours, contract year and amount at stake."""
    if ledger is None:
        return findings
    where: dict[str, tuple[YearLedger, Fraction]] = {}
    for y in ledger.years:
        for service_id, hours in y.dropped_by_service.items():
            where.setdefault(service_id, (y, hours))
    out = []
    for f in findings:
        if f.entity.type == "contract_year" and f.entity.id.isdigit() and len(f.entity.id) < 10:
            f = f.model_copy(update={"contract_year": int(f.entity.id)})
        elif f.drops_service and f.severity == "error":
            y, hours = where.get(f.entity.id, (None, ZERO))
            f = f.model_copy(update={
                "hours": to_decimal(hours, 2),
                "amount": value(hours, y.price_per_hour) if y is not None else Decimal("0.00"),
                "contract_year": y.year if y is not None else None,
            })
        out.append(f)
    return out
