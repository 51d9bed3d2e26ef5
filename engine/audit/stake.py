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

With a rule selection (``--rule``/``--skip-rule``, engine/audit/selection.py) the
totals shown are those of the selected rules: ``Stake.selected(ledger, keep)``
takes the services that a selected rule made unbillable (each once) and the
selected rules' figures; the ledger itself stays complete.
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
    # service id -> the rules that made it unbillable (the check's ``dropped``): for a rule selection
    rules_by_service: dict[str, tuple[str, ...]] = field(default_factory=dict)

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

    def selected(self, ledger: Ledger | None, keep) -> "Stake":
        """The totals of the rules ``keep(rule_id)`` selects: their services (each once) and their figures."""
        if ledger is None:
            return Stake(rules_by_service=self.rules_by_service)
        years = []
        for y in ledger.years:
            hours = sum((h for sid, h in y.dropped_by_service.items()
                         if any(keep(r) for r in self.rules_by_service.get(sid, ()))), ZERO)
            years.append(year_stake(y, hours, keep))
        return Stake(years, {sid: rules for sid, rules in self.rules_by_service.items() if any(map(keep, rules))})


def value(hours: Fraction, price: Decimal) -> Decimal:
    """Hours at the contract's hourly price, exact, rounded half-up to cents once (as the ledger)."""
    return to_cents(hours * Fraction(price))


def year_stake(y: YearLedger, hours: Fraction | None = None, keep=None) -> YearStake:
    """The year's figures; ``hours``: the unbillable hours counted (default: all, the ledger's ``dropped_hours``),
    ``keep``: which rules' figures are listed (default: all)."""
    hours = y.dropped_hours if hours is None else hours
    price = Fraction(y.price_per_hour)
    payable_without = min(y.billable_hours + hours, y.available)
    without = to_cents(max(payable_without, y.minimum_hours) * price)
    return YearStake(
        year=y.year, price_per_hour=y.price_per_hour, hours=hours,
        amount=value(hours, y.price_per_hour),
        payment_effect=without - y.total_payment, payment_without=without,
        by_rule={r: (h, value(h, y.price_per_hour)) for r, h in y.dropped_hours_by_rule.items()
                 if keep is None or keep(r)})


def stake_of(ledger: Ledger | None, dropped: dict[str, list[str]] | None = None) -> Stake:
    """``dropped``: service id -> the rules that made it unbillable (as given to the ledger)."""
    by_service = {sid: tuple(dict.fromkeys(rules)) for sid, rules in (dropped or {}).items()}
    return Stake([year_stake(y) for y in ledger.years] if ledger is not None else [], by_service)


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
