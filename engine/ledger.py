"""Hour and money ledger of a contract: contingents, carry-over, payments.

Pure computation, no I/O. Input: a read ``Submission``, the services the
rule run made unbillable (``dropped``: service_id -> ids of the rules with
``billable_effect: drop`` that hit it) and the bundle's ``Parameters`` (the
ledger's parameters are declared in ``rules/ledger.yaml``). Output: a
``Ledger``; ``year_facts`` turns it into the ``ContractYearFact`` records the
money rules test.

Exactness: hours are ``fractions.Fraction`` (minutes / 60 is exact only as a
fraction) and stay exact through every formula. Money is computed exactly as a
fraction as well and rounded half-up to cents only once, at the end of each
figure (``to_cents``). Floats appear only in the facts.

Accompanying phase (begleitende Phase), per contract year = contingent, in
the order of the contingents (sorted by start):

    C  = contingent hours                  CI = carry-in (year 1: 0;
    A  = C + CI  (available)                    year n+1: allowed carry-out of n)
    D  = documented hours: services with phase BP dated start..end of the year
         (minutes / 60, once per service; ``group_hours: per_participant``
         multiplies by the number of participants, at least 1)
    N  = hours not delivered: services whose attendance is not one of
         ``billable_attendance`` (cancelled in time, cancelled by the provider)
    X  = hours of the other services in ``dropped`` (each service once,
         whatever the number of rules that dropped it; ``dropped_hours_by_rule``
         gives every rule the full hours of each service it dropped, so it may
         add up to more than X)
    B  = D - N - X              billable hours (they draw on the contingent)
    P  = min(B, A)              payable hours (beyond the available hours nothing is paid)
    M  = minimum_share * C      Mindestabnahme (on the own contingent, not the carry-in)
    monthly installment  = M * price / months of the year (contract_year_months,
                                       12, for a contingent shorter than a month)
    minimum payment      = M * price
    settlement           = (P - M) * price if P > M else 0     (Ausgleichszahlung)
    total payment        = minimum payment + settlement  (= max(P, M) * price)

    allowed carry-out (parameter carry_in_may_roll, default true):
      true:  max(0, A - max(P, M))
             carried-in hours not used become part of the unused hours and may
             roll again.
      false: max(0, C - max(P - CI, M))
             the carry-in is used first (carry_in_used = min(CI, P)); what is
             left of it lapses; only the own contingent's hours above
             max(own use, M) carry over, so carry-out <= C - M.
      The last year (no following contingent, or ending on/after the end of the
      term incl. extension) carries 0.

Services with phase BP outside every contingent year belong to no year; their
hours are ``Ledger.unassigned_hours``. If contingent periods overlap, a service
belongs to the first year (in order) that contains its date.

Vorphase (per pre_phase): places purchased, ``s`` = parameter
``prephase_minimum_share`` (0.70).

    minimum places       = places * s                 (may be fractional)
    monthly installment  = places * s * price_per_place_month
    billing months       = months begun from the Vorphase start (§§ 187 Abs. 2,
                           188 BGB; calendar months when it starts on the 1st);
                           no proration
    occupancy of a month = most distinct participants with an active VP row
                           (from <= day <= to) on one day of the month
                           (engine/facts.py ``occupancy_peak``, as the rules)
    payable places       = min(max(occupancy, minimum places), places)
    month amount         = payable places * price_per_place_month
    total                = sum of the exact month amounts, rounded at the end
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Optional

from engine.dates import month_key, month_periods, month_range, months_counted
from engine.facts import occupancy_peak, weighted_minutes
from engine.parameters import LEDGER, Applied, Parameters
from schemas.facts import ContractYearFact, number_repeats
from schemas.submission import Contingent, PrePhase, Submission

ZERO = Fraction(0)
CENT = Decimal("0.01")


# --- exact numbers -------------------------------------------------------------

def to_fraction(value) -> Fraction:
    """Exact Fraction of an int, Decimal, str or float (float via its repr)."""
    if value is None:
        return ZERO
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, Decimal)):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(Decimal(str(value).strip().replace(",", ".")))


def _round_half_up(value: Fraction, places: int) -> Decimal:
    scale = 10 ** places
    scaled = value * scale
    sign = -1 if scaled < 0 else 1
    n = (abs(scaled) + Fraction(1, 2)).__floor__()
    return (Decimal(sign * n) / Decimal(scale)).quantize(Decimal(1).scaleb(-places))


def to_cents(value) -> Decimal:
    """Money: exact value rounded half-up to cents (the only rounding of money)."""
    return _round_half_up(to_fraction(value), 2)


def to_decimal(value, places: int = 2) -> Decimal:
    """Hours for display/output: exact value rounded half-up to ``places``."""
    return _round_half_up(to_fraction(value), places)


# --- calendar --------------------------------------------------------------------

def _billing_months(start: date, end: date) -> list[tuple[date, date]]:
    """Months begun from ``start`` (§§ 187 Abs. 2, 188 BGB): (first, last) day of each, the last clipped."""
    return month_periods(start, end)


# --- ledger records ------------------------------------------------------------

@dataclass
class MonthLedger:
    month: str  # "YYYY-MM"
    documented: Fraction = ZERO
    billable: Fraction = ZERO
    dropped: Fraction = ZERO
    not_delivered: Fraction = ZERO


@dataclass
class YearLedger:
    year: int
    start: date
    end: date
    contingent: Fraction
    carry_in: Fraction
    available: Fraction
    documented_hours: Fraction
    not_delivered_hours: Fraction
    dropped_hours: Fraction
    billable_hours: Fraction
    payable_hours: Fraction
    dropped_hours_by_rule: dict[str, Fraction]
    minimum_hours: Fraction
    price_per_hour: Decimal
    minimum_share: Decimal
    installment_months: int
    monthly_installment: Decimal  # EUR, rounded
    minimum_payment: Decimal  # EUR, rounded
    settlement_amount: Decimal  # EUR, rounded (Ausgleichszahlung)
    total_payment: Decimal  # EUR, rounded
    carry_in_used: Fraction
    allowed_carry_out: Fraction
    is_last: bool
    carry_in_may_roll: bool
    carry_in_from: Optional[int] = None  # contract year the carry-in comes from (None: first year)
    service_count: int = 0
    dropped_services: list[str] = field(default_factory=list)
    # unbillable hours per dropped service id (the money at stake of its findings, engine/audit/stake.py)
    dropped_by_service: dict[str, Fraction] = field(default_factory=dict)
    not_delivered_services: list[str] = field(default_factory=list)
    months: list[MonthLedger] = field(default_factory=list)
    file: str = ""
    line: int = 0
    # invoice.yaml claim for this year (None: not claimed / no invoice)
    has_claim: bool = False
    claimed_billed_hours: Optional[Fraction] = None
    claimed_carry_in: Optional[Fraction] = None
    claimed_carry_out: Optional[Fraction] = None
    claimed_settlement: Optional[Decimal] = None
    billed_hours_diff: Optional[Fraction] = None  # |claimed billed - payable|
    settlement_diff: Optional[Decimal] = None  # |claimed - computed settlement|, EUR
    carry_in_excess: Optional[Fraction] = None  # claimed - allowed carry-in
    carry_out_excess: Optional[Fraction] = None  # claimed - allowed carry-out
    claim_file: str = ""
    claim_line: int = 0

    @property
    def unused_hours(self) -> Fraction:
        return max(ZERO, self.available - self.payable_hours)

    @property
    def excess_hours(self) -> Fraction:
        """Billable hours beyond the available hours (not payable)."""
        return max(ZERO, self.billable_hours - self.available)


@dataclass
class PrePhaseMonth:
    month: str  # "YYYY-MM" of the billing month's first day
    first: date
    last: date
    occupancy: int
    peak_date: Optional[date]
    payable_places: Fraction
    amount: Decimal  # EUR, rounded


@dataclass
class PrePhaseLedger:
    index: int
    start: date
    end: date
    places: int
    price_per_place_month: Decimal
    minimum_share: Decimal
    minimum_places: Fraction
    monthly_installment: Decimal  # EUR, rounded
    months: list[PrePhaseMonth]
    minimum_total: Decimal  # EUR: installment x months, rounded at the end
    total_amount: Decimal  # EUR: sum of exact month amounts, rounded at the end
    file: str = ""
    line: int = 0

    @property
    def peak_occupancy(self) -> int:
        return max((m.occupancy for m in self.months), default=0)

    @property
    def months_over_places(self) -> list[str]:
        return [m.month for m in self.months if m.occupancy > self.places]


@dataclass
class Ledger:
    contract_id: str = ""
    years: list[YearLedger] = field(default_factory=list)
    prephases: list[PrePhaseLedger] = field(default_factory=list)
    unassigned_hours: Fraction = ZERO
    unassigned_services: list[str] = field(default_factory=list)
    group_hours: str = "per_service"
    carry_in_may_roll: bool = True
    # the ledger's parameters in force (rules/ledger.yaml), and every override applied to the bundle
    parameters: dict = field(default_factory=dict)
    overrides: list[Applied] = field(default_factory=list)
    # invoice.yaml names a contract year without a contingent
    unmatched_claim_year: Optional[int] = None
    term_end: Optional[date] = None

    def year(self, n: int) -> Optional[YearLedger]:
        return next((y for y in self.years if y.year == n), None)


# --- computation -------------------------------------------------------------------

def service_hours(minutes: int, participants: int, group_hours: str) -> Fraction:
    return Fraction(weighted_minutes(minutes, participants, group_hours), 60)


def compute_ledger(sub: Submission, dropped: dict[str, list[str]] | None, params: Parameters) -> Ledger:
    dropped = dropped or {}
    contract = sub.contract
    if contract is None:
        return Ledger()
    group_hours = params.value(LEDGER, "group_hours")
    may_roll = params.value(LEDGER, "carry_in_may_roll")
    share = params.value(LEDGER, "minimum_share")
    phase = contract.accompanying_phase
    ledger = Ledger(
        contract_id=contract.contract_id,
        group_hours=group_hours,
        carry_in_may_roll=may_roll,
        parameters={name: params.value(LEDGER, name) for name in params.names(LEDGER)},
        term_end=phase.term_end,
    )

    contingents = sorted(phase.contingents, key=lambda c: (c.start, c.year))
    # assign BP services to the first contingent year containing their date
    per_year: list[list] = [[] for _ in contingents]
    for svc in sub.services:
        if svc.phase != "BP":
            continue
        for i, c in enumerate(contingents):
            if c.start <= svc.date <= c.end:
                per_year[i].append(svc)
                break
        else:
            ledger.unassigned_hours += service_hours(svc.minutes, len(svc.participant_ids), group_hours)
            ledger.unassigned_services.append(svc.service_id)

    ctx = _YearContext(dropped, group_hours, Fraction(phase.price_per_hour), Fraction(share), share, may_roll,
                       set(params.value(LEDGER, "billable_attendance")), params.value(LEDGER, "contract_year_months"),
                       phase.price_per_hour)
    carry_in = ZERO
    for i, c in enumerate(contingents):
        is_last = i == len(contingents) - 1 or c.end >= phase.term_end
        y = _year(c, per_year[i], ctx, carry_in, is_last)
        if i:
            y.carry_in_from = contingents[i - 1].year
        ledger.years.append(y)
        carry_in = y.allowed_carry_out

    inv = sub.invoice
    if inv is not None:
        target = next((y for y in ledger.years if y.year == inv.contract_year), None)
        if target is None:
            ledger.unmatched_claim_year = inv.contract_year
        else:
            _apply_claim(target, inv)

    share_vp = params.value(LEDGER, "prephase_minimum_share")
    for pp in sorted(contract.pre_phases, key=lambda p: (p.start, p.index)):
        ledger.prephases.append(_prephase(pp, share_vp, sub))
    return ledger


@dataclass(frozen=True)
class _YearContext:
    dropped: dict
    group_hours: str
    price: Fraction
    share: Fraction
    share_decimal: Decimal
    may_roll: bool
    billable_attendance: set
    year_months: int
    price_per_hour: Decimal


@dataclass(frozen=True)
class YearFigures:
    """The hours of one contract year by the formulas above: A, P, M, P - M (at least 0), carry-out."""
    available: Fraction
    payable: Fraction
    minimum: Fraction
    settlement_hours: Fraction
    carry_out: Fraction


def year_figures(contingent: Fraction, carry_in: Fraction, billable: Fraction, share: Fraction,
                 is_last: bool = False, may_roll: bool = True) -> YearFigures:
    """The one place of the year arithmetic (the ledger; synth/ and fixtures/ write invoices with it)."""
    available = contingent + carry_in
    payable = min(billable, available)
    minimum = share * contingent
    if is_last:
        carry_out = ZERO
    elif may_roll:
        carry_out = max(ZERO, available - max(payable, minimum))
    else:
        carry_out = max(ZERO, contingent - max(payable - carry_in, minimum))
    return YearFigures(available, payable, minimum, max(ZERO, payable - minimum), carry_out)


def _year(c: Contingent, services, ctx: _YearContext, carry_in: Fraction, is_last: bool) -> YearLedger:
    contingent = Fraction(c.hours)
    months = {k: MonthLedger(k) for k in (month_key(a) for a, _ in month_range(c.start, c.end))}
    # summed in whole (weighted) minutes, turned into exact hours once: the loop runs per service
    documented_min = dropped_min = absent_min = 0
    by_rule_min: dict[str, int] = {}
    by_service_min: dict[str, int] = {}
    month_min: dict[str, list[int]] = {}  # month -> [documented, dropped, not delivered]
    dropped_ids: list[str] = []
    absent_ids: list[str] = []
    for svc in services:
        w = weighted_minutes(svc.minutes, len(svc.participant_ids), ctx.group_hours)
        documented_min += w
        mm = month_min.setdefault(month_key(svc.date), [0, 0, 0])
        mm[0] += w
        rules = ctx.dropped.get(svc.service_id)
        if svc.attendance not in ctx.billable_attendance:
            absent_min += w
            mm[2] += w
            absent_ids.append(svc.service_id)
        elif rules:
            dropped_min += w
            mm[1] += w
            dropped_ids.append(svc.service_id)
            by_service_min[svc.service_id] = by_service_min.get(svc.service_id, 0) + w
            for r in dict.fromkeys(rules):
                by_rule_min[r] = by_rule_min.get(r, 0) + w
    for key, (doc_min, drop_min, absent) in month_min.items():
        m = months.setdefault(key, MonthLedger(key))
        m.documented = Fraction(doc_min, 60)
        m.dropped = Fraction(drop_min, 60)
        m.not_delivered = Fraction(absent, 60)
        m.billable = Fraction(doc_min - drop_min - absent, 60)
    documented, dropped_total = Fraction(documented_min, 60), Fraction(dropped_min, 60)
    not_delivered = Fraction(absent_min, 60)
    by_rule = {r: Fraction(v, 60) for r, v in by_rule_min.items()}
    billable = documented - not_delivered - dropped_total
    figures = year_figures(contingent, carry_in, billable, ctx.share, is_last, ctx.may_roll)
    available, payable, minimum = figures.available, figures.payable, figures.minimum
    settlement_hours, carry_out = figures.settlement_hours, figures.carry_out
    n_months = months_counted(c.start, c.end) or ctx.year_months
    carry_in_used = min(carry_in, max(ZERO, payable))
    price = ctx.price
    return YearLedger(
        year=c.year,
        start=c.start,
        end=c.end,
        contingent=contingent,
        carry_in=carry_in,
        available=available,
        documented_hours=documented,
        not_delivered_hours=not_delivered,
        dropped_hours=dropped_total,
        billable_hours=billable,
        payable_hours=payable,
        dropped_hours_by_rule=dict(sorted(by_rule.items())),
        minimum_hours=minimum,
        price_per_hour=ctx.price_per_hour,
        minimum_share=ctx.share_decimal,
        installment_months=n_months,
        monthly_installment=to_cents(minimum * price / n_months),
        minimum_payment=to_cents(minimum * price),
        settlement_amount=to_cents(settlement_hours * price),
        total_payment=to_cents((minimum + settlement_hours) * price),
        carry_in_used=carry_in_used,
        allowed_carry_out=carry_out,
        is_last=is_last,
        carry_in_may_roll=ctx.may_roll,
        service_count=len(services),
        dropped_services=dropped_ids,
        dropped_by_service={s: Fraction(m, 60) for s, m in by_service_min.items()},
        not_delivered_services=absent_ids,
        months=[months[k] for k in sorted(months)],
        file=c.loc.file,
        line=c.loc.line,
    )


def _apply_claim(y: YearLedger, inv) -> None:
    y.has_claim = True
    y.claim_file, y.claim_line = inv.loc.file, inv.loc.line
    if inv.billed_hours is not None:
        y.claimed_billed_hours = Fraction(inv.billed_hours)
        y.billed_hours_diff = abs(y.claimed_billed_hours - y.payable_hours)
    if inv.carry_in_hours is not None:
        y.claimed_carry_in = Fraction(inv.carry_in_hours)
        y.carry_in_excess = y.claimed_carry_in - y.carry_in
    if inv.carry_out_hours is not None:
        y.claimed_carry_out = Fraction(inv.carry_out_hours)
        y.carry_out_excess = y.claimed_carry_out - y.allowed_carry_out
    if inv.settlement_amount is not None:
        y.claimed_settlement = to_cents(inv.settlement_amount)
        y.settlement_diff = abs(y.claimed_settlement - y.settlement_amount)


def _prephase(pp: PrePhase, share: Decimal, sub: Submission) -> PrePhaseLedger:
    price = Fraction(pp.price_per_place_month)
    places = Fraction(max(0, pp.places))
    min_places = places * Fraction(share)
    rows = [p for p in sub.participants if p.phase == "VP"]
    months: list[PrePhaseMonth] = []
    total = ZERO
    for first, last in _billing_months(pp.start, pp.end):
        occ, peak = occupancy_peak(rows, first, last)
        payable = min(max(Fraction(occ), min_places), places)
        amount = payable * price
        total += amount
        months.append(PrePhaseMonth(month_key(first), first, last, occ, peak, payable, to_cents(amount)))
    return PrePhaseLedger(
        index=pp.index,
        start=pp.start,
        end=pp.end,
        places=pp.places,
        price_per_place_month=pp.price_per_place_month,
        minimum_share=share,
        minimum_places=min_places,
        monthly_installment=to_cents(min_places * price),
        months=months,
        minimum_total=to_cents(min_places * price * len(months)),
        total_amount=to_cents(total),
        file=pp.loc.file,
        line=pp.loc.line,
    )


# --- facts ----------------------------------------------------------------------------

def year_facts(ledger: Ledger, sub: Submission) -> list[ContractYearFact]:
    """One ContractYearFact per contract year (floats from the exact figures).

    A claimed figure missing from invoice.yaml is given the computed value
    (nothing claimed, nothing to contest): its diff/excess is 0.
    """
    contract_id = sub.contract.contract_id if sub.contract else ledger.contract_id
    out = []
    for y in ledger.years:
        values = dict(
            contract_id=contract_id,
            year=y.year,
            start=y.start,
            end=y.end,
            contingent_hours=float(y.contingent),
            carry_in_hours=float(y.carry_in),
            available_hours=float(y.available),
            documented_hours=float(y.documented_hours),
            not_delivered_hours=float(y.not_delivered_hours),
            dropped_hours=float(y.dropped_hours),
            billable_hours=float(y.billable_hours),
            minimum_hours=float(y.minimum_hours),
            allowed_carry_out=float(y.allowed_carry_out),
            settlement_amount=float(y.settlement_amount),
            allowed_carry_in=float(y.carry_in),
            has_claim=y.has_claim,
            payable_hours=float(y.payable_hours),
            file=y.file,
            line=y.line,
        )
        if y.has_claim:
            values.update(
                claim_file=y.claim_file,
                claim_line=y.claim_line,
                claimed_billed_hours=float(y.claimed_billed_hours if y.claimed_billed_hours is not None else y.payable_hours),
                claimed_carry_in=float(y.claimed_carry_in if y.claimed_carry_in is not None else y.carry_in),
                claimed_carry_out=float(y.claimed_carry_out if y.claimed_carry_out is not None else y.allowed_carry_out),
                claimed_settlement=float(y.claimed_settlement if y.claimed_settlement is not None else y.settlement_amount),
                billed_hours_diff=float(y.billed_hours_diff or 0),
                settlement_diff=float(y.settlement_diff or 0),
                carry_out_excess=float(y.carry_out_excess or 0),
                carry_in_excess=float(y.carry_in_excess or 0),
            )
        out.append(ContractYearFact(**values))
    return number_repeats(out)
