"""Derive flat facts from a submission (read → validate → **derive** → evaluate).

Everything that needs more than one record (a service's participants'
suspensions, overlaps, phase coverage, occupancy …) is computed here in plain
Python, so each rule stays a simple declarative condition on one fact.
Contract-year (ledger) facts are built by ``engine/ledger.py``. Legal numbers
and lists come from the bundle's ``Parameters`` (engine/parameters.py), never
from this module.
"""
from __future__ import annotations

from collections import defaultdict
from itertools import repeat
from operator import attrgetter
from datetime import date, datetime, timedelta

from engine.dates import month_key, month_range, months_after, months_counted, next_day, period_end, whole_months
from engine.parameters import LEDGER, Parameters
from schemas.facts import (
    FAR_FUTURE,
    FAR_PAST,
    ContractFact,
    Fact,
    ParticipantFact,
    PrePhaseFact,
    PrePhaseStaffingFact,
    RefPersonFact,
    ServiceFact,
    StaffFact,
    SuspensionFact,
    number_repeats,
)
from schemas.submission import Contract, Participant, Service, Submission

QUALIFICATION = "ASA-STAFF-QUALIFICATION"
AFTERCARE = "ASA-AFTERCARE-LIMIT"


def record_facts(sub: Submission, params: Parameters) -> list[Fact]:
    """All facts except the contract-year ledger facts, in a stable order."""
    facts: list[Fact] = []
    if sub.contract:
        facts.append(contract_fact(sub.contract, params))
        facts.extend(prephase_facts(sub))
    facts.extend(staff_facts(sub, params))
    facts.extend(participant_facts(sub))
    facts.extend(suspension_facts(sub))
    facts.extend(refperson_facts(sub))
    facts.extend(service_facts(sub, params))
    return number_repeats(facts)


def check_date(sub: Submission) -> date:
    """The data cut-off: the last documented service day (deterministic, not 'today')."""
    days = [s.date for s in sub.services]
    if days:
        return max(days)
    if sub.contract:
        return sub.contract.accompanying_phase.start
    return date(2000, 1, 1)


# --- contract ----------------------------------------------------------------

def contract_fact(c: Contract, params: Parameters) -> ContractFact:
    bp = c.accompanying_phase
    ext_months = max((months_counted(e.start, e.end) for e in bp.extensions), default=0)
    follows = all(e.start == next_day(bp.end) for e in bp.extensions[:1])
    tiles, gap = contingent_tiling(c, params.value(LEDGER, "contract_year_months"))
    return ContractFact(
        file=c.loc.file, line=c.loc.line,
        contract_id=c.contract_id,
        bp_start=bp.start, bp_end=bp.end,
        bp_months=whole_months(bp.start, bp.end),
        extension_count=len(bp.extensions),
        extension_months=ext_months,
        extension_follows_phase=follows,
        prephase_count=len(c.pre_phases),
        prephases_before_bp=all(p.end < bp.start and p.start <= p.end for p in c.pre_phases),
        contingents_tile_term=tiles,
        contingent_gap=gap,
    )


def contingent_tiling(c: Contract, months: int) -> tuple[bool, str]:
    """Contingent years must be consecutive periods of ``months`` (12) from the phase start.

    They must cover the accompanying phase; years inside a listed extension are
    allowed (an extension's years may be added when it is agreed).
    """
    bp = c.accompanying_phase
    years = sorted(bp.contingents, key=lambda k: k.start)
    if not years:
        return False, "no contingents"
    expected_start = bp.start
    for n, k in enumerate(years, start=1):
        if k.year != n:
            return False, f"year {k.year} listed as number {n}"
        if k.start != expected_start:
            return False, f"year {k.year} starts {k.start.isoformat()}, expected {expected_start.isoformat()}"
        if k.end != period_end(k.start, months):
            return False, f"year {k.year} is not {months} months ({k.start.isoformat()}–{k.end.isoformat()})"
        expected_start = next_day(k.end)
    last_end = years[-1].end
    if last_end < bp.end:
        return False, f"contingents end {last_end.isoformat()}, phase ends {bp.end.isoformat()}"
    if last_end > bp.term_end:
        return False, f"contingents run to {last_end.isoformat()}, past the term end {bp.term_end.isoformat()}"
    return True, ""


# --- staff -------------------------------------------------------------------

def staff_facts(sub: Submission, params: Parameters) -> list[StaffFact]:
    provider = sub.contract.provider_id if sub.contract else None
    codes = {name: set(params.get(QUALIFICATION, name, ()))
             for name in ("trade_qualifications", "trainer_aptitude", "social_degrees", "comparable_degrees")}
    out = []
    for s in sub.staff:
        q = set(s.qualifications)
        out.append(StaffFact(
            file=s.loc.file, line=s.loc.line,
            staff_id=s.staff_id, role=s.role, employment=s.employment, employer_id=s.employer_id,
            employer_is_provider=s.employer_id == provider,
            has_trade_qualification=bool(q & codes["trade_qualifications"]),
            has_aevo=bool(q & codes["trainer_aptitude"]),
            youth_experience_months=s.youth_experience_months,
            has_social_degree=bool(q & codes["social_degrees"]),
            has_comparable_degree=bool(q & codes["comparable_degrees"]),
            has_equivalence_ref=bool((s.equivalence_ref or "").strip()),
            qualifications=", ".join(s.qualifications),
            employed_from=s.employed_from,
            employed_to=s.employed_to or FAR_FUTURE,
        ))
    return out


# --- participants, suspensions, reference persons -----------------------------

def _covered_days(periods: list[tuple[date, date]], start: date, end: date) -> tuple[int, date]:
    """Days of start..end not covered by any period; and the first such day."""
    uncovered, first = 0, FAR_PAST
    merged = sorted((max(a, start), min(b, end)) for a, b in periods if b >= start and a <= end)
    cur = start
    for a, b in merged:
        if a > cur:
            uncovered += (a - cur).days
            if first == FAR_PAST:
                first = cur
        cur = max(cur, next_day(b))
        if b == date.max:
            return uncovered, first
    if cur <= end:
        uncovered += (end - cur).days + 1
        if first == FAR_PAST:
            first = cur
    return uncovered, first


def _refperson_periods(sub: Submission) -> dict[str, list[tuple[date, date, str]]]:
    """Per participant: (from, to, staff id) of each reference person, cut to the staff member's employment.

    A reference person covers a day only while that staff member is employed
    by the provider (staff.csv employed_from..employed_to); one not in
    staff.csv covers no day (ASA-INPUT reports the unknown reference).
    """
    employed = {s.staff_id: (s.employed_from, s.employed_to or FAR_FUTURE) for s in sub.staff}
    out: dict[str, list[tuple[date, date, str]]] = defaultdict(list)
    for r in sub.reference_persons:
        a, b = r.from_, r.to or FAR_FUTURE
        if r.staff_id in employed:
            e0, e1 = employed[r.staff_id]
            if max(a, e0) <= min(b, e1):
                out[r.participant_id].append((max(a, e0), min(b, e1), r.staff_id))
    return out


def _named_but_gone(sub: Submission, participant_id: str, day: date) -> str:
    """A reference person named for ``day`` whose staff member is not employed that day ("" = none)."""
    employed = {s.staff_id: (s.employed_from, s.employed_to or FAR_FUTURE) for s in sub.staff}
    for r in sub.reference_persons:
        if r.participant_id == participant_id and r.from_ <= day <= (r.to or FAR_FUTURE):
            e0, e1 = employed.get(r.staff_id, (FAR_FUTURE, FAR_PAST))
            if not e0 <= day <= e1:
                return r.staff_id
    return ""


def _placement(rows: list[Participant], vp_from: date) -> date:
    """First day on or after the Vorphase start on which the training or the accompanying phase began."""
    days = [r.from_ for r in rows if r.phase == "BP"] + [r.training_start for r in rows if r.training_start]
    return min((d for d in days if d >= vp_from), default=FAR_FUTURE)


def _other_phase_overlap(row: Participant, rows: list[Participant]) -> tuple[int, date, int]:
    """(days, first day, line of the other row) a row shares with a row of the other phase."""
    a, b = row.from_, row.to or FAR_FUTURE
    for other in sorted(rows, key=lambda r: (r.from_, r.loc.line)):
        if other.phase == row.phase:
            continue
        lo, hi = max(a, other.from_), min(b, other.to or FAR_FUTURE)
        if lo <= hi:
            return (hi - lo).days + 1, lo, other.loc.line
    return 0, FAR_PAST, 0


def participant_facts(sub: Submission) -> list[ParticipantFact]:
    """One fact per participants.csv row (phase VP or BP).

    The reference person is checked over the whole participation, Vorphase
    included, up to the row's end or the check date.
    """
    cutoff = check_date(sub)
    refs = _refperson_periods(sub)
    rows_of: dict[str, list[Participant]] = defaultdict(list)
    for p in sub.participants:
        rows_of[p.participant_id].append(p)
    out = []
    for p in sub.participants:
        to = p.to or FAR_FUTURE
        days, first, gone = 0, FAR_PAST, ""
        end = min(to, cutoff)
        if end >= p.from_:
            days, first = _covered_days([(a, b) for a, b, _ in refs.get(p.participant_id, [])], p.from_, end)
            if days:
                gone = _named_but_gone(sub, p.participant_id, first)
        placement, to_placement = FAR_FUTURE, 0
        overlap = (0, FAR_PAST, 0)
        if p.phase == "VP":
            placement = _placement(rows_of[p.participant_id], p.from_)
            to_placement = months_counted(p.from_, placement) if placement != FAR_FUTURE else 0
            overlap = _other_phase_overlap(p, rows_of[p.participant_id])
        out.append(ParticipantFact(
            file=p.loc.file, line=p.loc.line,
            participant_id=p.participant_id, phase=p.phase,
            from_date=p.from_, to_date=to,
            days_without_refperson=days, first_day_without_refperson=first,
            refperson_not_employed=gone,
            phase_months=months_counted(p.from_, min(to, cutoff) if p.to is None else to) if p.phase == "VP" else 0,
            has_extension_reason=bool((p.extension_reason or "").strip()),
            placement_date=placement, months_to_placement=to_placement,
            other_phase_overlap_days=overlap[0], other_phase_overlap_from=overlap[1],
            other_phase_line=overlap[2],
        ))
    return out


def suspension_facts(sub: Submission) -> list[SuspensionFact]:
    """One fact per suspensions.csv row; rows of one participant that overlap or adjoin are one suspension.

    The length of that merged suspension is on each of its rows; the first row
    (``first_of_suspension``) speaks for it and names all its rows.
    """
    by_participant = defaultdict(list)
    for s in sub.suspensions:
        by_participant[s.participant_id].append(s)
    merged: dict[int, tuple[date, date, list]] = {}  # id(row) -> (from, to, rows) of its suspension
    for rows in by_participant.values():
        group: list = []
        for s in sorted(rows, key=lambda r: (r.from_, r.to, r.loc.line)):
            if group and s.from_ <= next_day(max(r.to for r in group)):
                group.append(s)
            else:
                group = [s]
            for member in group:
                merged[id(member)] = (group[0].from_, max(r.to for r in group), group)
    out = []
    for s in sub.suspensions:
        a, b, group = merged[id(s)]
        first = min(group, key=lambda r: (r.from_, r.to, r.loc.line))
        out.append(SuspensionFact(
            file=s.loc.file, line=s.loc.line,
            participant_id=s.participant_id, from_date=s.from_, to_date=s.to,
            length_months=months_counted(a, b), reason=(s.reason or "").strip(),
            suspension_from=a, suspension_to=b, first_of_suspension=s is first,
            suspension_rows=", ".join(f"{r.loc.file}:{r.loc.line}" for r in sorted(group, key=lambda r: r.loc.line)),
        ))
    return out


def refperson_facts(sub: Submission) -> list[RefPersonFact]:
    roles = {s.staff_id: s.role for s in sub.staff}
    by_participant = defaultdict(list)
    for r in sub.reference_persons:
        by_participant[r.participant_id].append(r)
    out = []
    for r in sub.reference_persons:
        earlier = [e for e in by_participant[r.participant_id] if e.from_ < r.from_]
        previous = max(earlier, key=lambda e: e.from_) if earlier else None
        out.append(RefPersonFact(
            file=r.loc.file, line=r.loc.line,
            participant_id=r.participant_id, staff_id=r.staff_id,
            from_date=r.from_, to_date=r.to or FAR_FUTURE,
            staff_role=roles.get(r.staff_id, ""),
            is_change=previous is not None and previous.staff_id != r.staff_id,
            previous_staff_id=previous.staff_id if previous else "",
            change_reason=(r.change_reason or "").strip(),
        ))
    return out


# --- services ----------------------------------------------------------------

def _span(s: Service) -> tuple[datetime, datetime]:
    begin = datetime.combine(s.date, s.start)
    try:
        return begin, begin + timedelta(minutes=s.minutes)
    except OverflowError:  # a session on 9999-12-31 running past midnight
        return begin, datetime.max


def _overlaps(services: list[Service], key, spans: list[tuple[datetime, datetime]] | None = None
              ) -> dict[int, tuple[str, str]]:
    """Position in ``services`` -> (earlier overlapping service_id, shared key) for each group.

    Only the later service of an overlapping pair is flagged, so one double
    booking gives one finding (and drops the hours once). Positions, not ids:
    two rows with one service_id are two services. ``spans``: ``_span`` of each
    service, when already computed.
    """
    spans = spans if spans is not None else [_span(s) for s in services]
    groups = defaultdict(list)
    for i, s in enumerate(services):
        for k in key(s):
            groups[k].append(i)
    found: dict[int, tuple[str, str]] = {}
    for k in sorted(groups):
        # (begin, id, i) orders as (date, start, id, i): begin is date and start combined
        items = sorted(groups[k], key=lambda i: (spans[i][0], services[i].service_id, i))
        latest_end, latest_id = None, None
        for i in items:
            begin, end = spans[i]
            if latest_end is not None and begin < latest_end and i not in found:
                found[i] = (latest_id, k)
            if latest_end is None or end > latest_end:
                latest_end, latest_id = end, services[i].service_id
    return found


def _aftercare_limits(sub: Submission, params: Parameters) -> dict[str, list[tuple[str, date, date]]]:
    """Per participant: (id, last day after employment began, last day after training) of each BP row.

    employment_start: first day counted (§ 187 Abs. 2 BGB), ``employment_months``
    (6) later; training_completed_on: an event (§ 187 Abs. 1 BGB),
    ``training_months`` (12) later (parameters of ASA-AFTERCARE-LIMIT).
    FAR_FUTURE where a limit does not apply. Rows without either are left out.
    """
    out: dict[str, list[tuple[str, date, date]]] = defaultdict(list)
    employment_months = params.get(AFTERCARE, "employment_months")
    training_months = params.get(AFTERCARE, "training_months")
    if employment_months is None or training_months is None:  # the rule is not loaded
        return out
    for row in sub.participants:
        if row.phase != "BP" or not (row.employment_start or row.training_completed_on):
            continue
        e = period_end(row.employment_start, employment_months) if row.employment_start else FAR_FUTURE
        t = months_after(row.training_completed_on, training_months) if row.training_completed_on else FAR_FUTURE
        out[row.participant_id].append((row.participant_id, e, t))
    return out


def _aftercare(ids: list[str], day: date, limits) -> tuple[str, date, date]:
    """The follow-up care limits that matter for a service on ``day``.

    The first participant whose limit ``day`` exceeds is reported, else the
    first with any limit, else none (FAR_FUTURE).
    """
    candidates = [c for p in ids for c in limits.get(p, ())]
    for p, e, t in candidates:
        if day > min(e, t):
            return p, e, t
    return candidates[0] if candidates else ("", FAR_FUTURE, FAR_FUTURE)


def _in_phase_of_contract(c: Contract | None, s: Service, term_end: date | None) -> bool:
    if c is None:
        return True
    if s.phase == "VP":
        return any(p.start <= s.date <= p.end for p in c.pre_phases)
    return c.accompanying_phase.start <= s.date <= term_end


def weighted_minutes(minutes: int, participants: int, group_hours: str) -> int:
    """Minutes a session draws on the contingent (``group_hours``: per_service | per_participant)."""
    return minutes * max(1, participants) if group_hours == "per_participant" else minutes


def _first_covered(ids: tuple[str, ...], periods_of: dict, day: date) -> str:
    """The first participant with a period (from, to) around ``day`` ("" = none)."""
    for p in ids:
        for a, b in periods_of.get(p, ()):
            if a <= day <= b:
                return p
    return ""


def _first_uncovered(ids: tuple[str, ...], phase: str, periods_of: dict, day: date) -> str:
    """The first participant without a row of ``phase`` around ``day`` ("" = none)."""
    for p in ids:
        for a, b in periods_of.get((p, phase), ()):
            if a <= day <= b:
                break
        else:
            return p
    return ""


def service_facts(sub: Submission, params: Parameters) -> list[ServiceFact]:
    """One fact per service, derived column by column (one list per field, then one dict per service).

    Built without validation (``trusted``): every value below has its field's type
    (tests/test_facts.py compares with validated facts).
    """
    c = sub.contract
    services = sub.services
    n = len(services)
    staff = {s.staff_id: s for s in sub.staff}
    phases = defaultdict(list)  # (participant, phase) -> [(from, to)]
    for p in sub.participants:
        phases[(p.participant_id, p.phase)].append((p.from_, p.to or FAR_FUTURE))
    aftercare = _aftercare_limits(sub, params)
    term_end = c.accompanying_phase.term_end if c else None
    susp = defaultdict(list)
    for s in sub.suspensions:
        susp[s.participant_id].append((s.from_, s.to))
    spans = [_span(s) for s in services]
    cohort = c.accompanying_phase.start if c else ServiceFact.model_fields["cohort_start"].default
    group_hours = params.value(LEDGER, "group_hours")
    billable = set(params.value(LEDGER, "billable_attendance"))

    def column(name: str) -> list:
        return list(map(attrgetter(name), services))

    days, ids, minutes, staff_ids, attendance = (column(name) for name in (
        "date", "participant_ids", "minutes", "staff_id", "attendance"))
    starts = column("start")
    start_text = {t: t.strftime("%H:%M") for t in set(starts)}
    employed = {k: (m.employed_from, m.employed_to or FAR_FUTURE) for k, m in staff.items()}
    outside = [_first_uncovered(i, s.phase, phases, d) for i, s, d in zip(ids, services, days)]
    overlaps = []
    for found in (_overlaps(services, lambda s: [s.staff_id], spans),
                  _overlaps(services, lambda s: sorted(set(s.participant_ids)), spans)):
        with_id, shared = [""] * n, [""] * n
        for i, (other, key) in found.items():
            with_id[i], shared[i] = other, key
        overlaps.append((with_id, shared))
    if aftercare:
        limits = [_aftercare(list(i), d, aftercare) for i, d in zip(ids, days)]
        after_pid, emp_limit, train_limit = (list(x) for x in zip(*limits)) if limits else ([], [], [])
    else:
        after_pid, emp_limit, train_limit = [""] * n, [FAR_FUTURE] * n, [FAR_FUTURE] * n
    # weighted_minutes(m, len(ids), group_hours) / 60
    counts = list(map(len, ids))
    if group_hours == "per_participant":
        hours = [m * max(1, k) / 60 for m, k in zip(minutes, counts)]
    else:
        hours = [m / 60 for m in minutes]
    columns = {
        "file": column("loc.file"), "line": column("loc.line"),
        "service_id": column("service_id"), "date": days,
        "start": list(map(start_text.__getitem__, starts)),
        # as strftime("%H:%M"); a session running past midnight ends "24:00"
        "end": [f"{e.hour:02d}:{e.minute:02d}" if e.date() == d else "24:00" for (_, e), d in zip(spans, days)],
        "minutes": minutes, "hours": hours,
        "element": column("element"), "phase": column("phase"),
        "staff_id": staff_ids, "staff_role": [staff[k].role if k in staff else "" for k in staff_ids],
        "participant_ids": list(map(", ".join, ids)), "participant_count": counts,
        "attendance": attendance, "billable_attendance": [a in billable for a in attendance],
        "mode": [m or "" for m in column("mode")], "cohort_start": [cohort] * n,
        "suspended_participant": [_first_covered(i, susp, d) for i, d in zip(ids, days)] if susp else [""] * n,
        "outside_participant_phase": list(map(bool, outside)), "period_participant": outside,
        "outside_contract_phase": [not _in_phase_of_contract(c, s, term_end) for s in services],
        "outside_employment": [k in employed and not (employed[k][0] <= d <= employed[k][1])
                               for k, d in zip(staff_ids, days)],
        "staff_overlap_with": overlaps[0][0], "participant_overlap_with": overlaps[1][0],
        "overlap_participant": overlaps[1][1],
        "aftercare_participant": after_pid, "employment_limit": emp_limit, "training_limit": train_limit,
    }
    names = tuple(columns)
    return list(map(ServiceFact.trusted, map(dict, map(zip, repeat(names), zip(*columns.values())))))


# --- Vorphase ----------------------------------------------------------------

def occupancy_peak(rows: list[Participant], start: date, end: date) -> tuple[int, date | None]:
    """Most distinct participants with an active Vorphase row on one day of start..end, and the first such day.

    People, not rows: a participant with two overlapping rows occupies one place.
    Used by ASA-PREPHASE-PLACES, ASA-PREPHASE-STAFFING and the ledger alike.
    """
    spans = defaultdict(list)
    for p in rows:
        a, b = max(p.from_, start), min(p.to or FAR_FUTURE, end)
        if a <= b:
            spans[p.participant_id].append((a, b))
    events: dict[date, int] = defaultdict(int)
    for periods in spans.values():
        periods.sort()
        merged = [list(periods[0])]
        for a, b in periods[1:]:
            if a <= next_day(merged[-1][1]):
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        for a, b in merged:
            events[a] += 1
            if b < date.max:
                events[next_day(b)] -= 1
    peak, peak_day, cur = 0, None, 0
    for day in sorted(events):
        cur += events[day]
        if cur > peak and day <= end:
            peak, peak_day = cur, day
    return peak, peak_day


def prephase_facts(sub: Submission) -> list[Fact]:
    c = sub.contract
    assert c is not None
    vp = [p for p in sub.participants if p.phase == "VP"]
    out: list[Fact] = []
    for pp in c.pre_phases:
        peak, day = occupancy_peak(vp, pp.start, pp.end)
        out.append(PrePhaseFact(
            file=pp.loc.file, line=pp.loc.line, contract_id=c.contract_id, index=pp.index,
            start=pp.start, end=pp.end, places=pp.places, peak_occupancy=peak, peak_date=day or pp.start,
        ))
        for first, last in month_range(pp.start, pp.end):
            participants, _ = occupancy_peak(vp, first, last)
            for role in sorted(pp.staffing):
                ratio = float(pp.staffing[role])
                fte = sum(
                    float(s.fte) for s in sub.staff
                    if s.role == role and s.employed_from <= last and (s.employed_to or FAR_FUTURE) >= first
                )
                out.append(PrePhaseStaffingFact(
                    file=pp.loc.file, line=pp.loc.line, contract_id=c.contract_id, index=pp.index,
                    role=role, month=month_key(first), participants=participants,
                    fte=round(fte, 4), ratio=ratio, max_participants=round(fte * ratio, 4),
                ))
    return out
