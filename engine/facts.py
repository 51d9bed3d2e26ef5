"""Derive flat facts from a submission (read → validate → **derive** → evaluate).

Everything that needs more than one record (a service's participants'
suspensions, overlaps, phase coverage, occupancy …) is computed here in plain
Python, so each rule stays a simple declarative condition on one fact.
Contract-year (ledger) facts are built by ``engine/ledger.py``.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from engine.dates import add_months, month_key, month_range, months_begun, next_day, prev_day, whole_months
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
from schemas.submission import Contract, Service, Submission

TRADE = {"meister", "techniker", "fachwirt"}
SOCIAL_DEGREES = {"studium_soziale_arbeit", "studium_heilpaedagogik", "studium_rehapaedagogik", "studium_sonderpaedagogik"}


def record_facts(sub: Submission) -> list[Fact]:
    """All facts except the contract-year ledger facts, in a stable order."""
    facts: list[Fact] = []
    if sub.contract:
        facts.append(contract_fact(sub.contract))
        facts.extend(prephase_facts(sub))
    facts.extend(staff_facts(sub))
    facts.extend(participant_facts(sub))
    facts.extend(suspension_facts(sub))
    facts.extend(refperson_facts(sub))
    facts.extend(service_facts(sub))
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

def contract_fact(c: Contract) -> ContractFact:
    bp = c.accompanying_phase
    ext_months = max((months_begun(e.start, e.end) for e in bp.extensions), default=0)
    follows = all(e.start == next_day(bp.end) for e in bp.extensions[:1])
    tiles, gap = contingent_tiling(c)
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


def contingent_tiling(c: Contract) -> tuple[bool, str]:
    """Contingent years must be consecutive 12-month periods from the phase start.

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
        if k.end != prev_day(add_months(k.start, 12)):
            return False, f"year {k.year} is not twelve months ({k.start.isoformat()}–{k.end.isoformat()})"
        expected_start = next_day(k.end)
    last_end = years[-1].end
    if last_end < bp.end:
        return False, f"contingents end {last_end.isoformat()}, phase ends {bp.end.isoformat()}"
    if last_end > bp.term_end:
        return False, f"contingents run to {last_end.isoformat()}, past the term end {bp.term_end.isoformat()}"
    return True, ""


# --- staff -------------------------------------------------------------------

def staff_facts(sub: Submission) -> list[StaffFact]:
    provider = sub.contract.provider_id if sub.contract else None
    out = []
    for s in sub.staff:
        q = set(s.qualifications)
        out.append(StaffFact(
            file=s.loc.file, line=s.loc.line,
            staff_id=s.staff_id, role=s.role, employment=s.employment, employer_id=s.employer_id,
            employer_is_provider=s.employer_id == provider,
            has_trade_qualification=bool(q & TRADE),
            has_aevo="aevo" in q,
            youth_experience_months=s.youth_experience_months,
            has_social_degree=bool(q & SOCIAL_DEGREES),
            has_comparable_degree="studium_vergleichbar" in q,
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


def participant_facts(sub: Submission) -> list[ParticipantFact]:
    cutoff = check_date(sub)
    refs = defaultdict(list)
    for r in sub.reference_persons:
        refs[r.participant_id].append((r.from_, r.to or FAR_FUTURE))
    out = []
    for p in sub.participants:
        to = p.to or FAR_FUTURE
        days, first = 0, FAR_PAST
        if p.phase == "BP":
            end = min(to, cutoff)
            if end >= p.from_:
                days, first = _covered_days(refs.get(p.participant_id, []), p.from_, end)
        out.append(ParticipantFact(
            file=p.loc.file, line=p.loc.line,
            participant_id=p.participant_id, phase=p.phase,
            from_date=p.from_, to_date=to,
            days_without_refperson=days, first_day_without_refperson=first,
            phase_months=months_begun(p.from_, min(to, cutoff) if p.to is None else to) if p.phase == "VP" else 0,
            has_extension_reason=bool((p.extension_reason or "").strip()),
        ))
    return out


def suspension_facts(sub: Submission) -> list[SuspensionFact]:
    return [
        SuspensionFact(
            file=s.loc.file, line=s.loc.line,
            participant_id=s.participant_id, from_date=s.from_, to_date=s.to,
            length_months=months_begun(s.from_, s.to), reason=(s.reason or "").strip(),
        )
        for s in sub.suspensions
    ]


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


def _end_time(s: Service) -> str:
    end = _span(s)[1]
    return end.strftime("%H:%M") if end.date() == s.date else "24:00"


def _overlaps(services: list[Service], key) -> dict[int, tuple[str, str]]:
    """Position in ``services`` -> (earlier overlapping service_id, shared key) for each group.

    Only the later service of an overlapping pair is flagged, so one double
    booking gives one finding (and drops the hours once). Positions, not ids:
    two rows with one service_id are two services.
    """
    groups = defaultdict(list)
    for i, s in enumerate(services):
        for k in key(s):
            groups[k].append(i)
    found: dict[int, tuple[str, str]] = {}
    for k in sorted(groups):
        items = sorted(groups[k], key=lambda i: (services[i].date, services[i].start, services[i].service_id, i))
        latest_end, latest_id = None, None
        for i in items:
            begin, end = _span(services[i])
            if latest_end is not None and begin < latest_end and i not in found:
                found[i] = (latest_id, k)
            if latest_end is None or end > latest_end:
                latest_end, latest_id = end, services[i].service_id
    return found


def _aftercare_limits(sub: Submission) -> dict[str, list[tuple[str, date, date]]]:
    """Per participant: (id, last day after employment began, last day after training) of each BP row.

    employment_start + 6 months − 1 day; training_completed_on + 1 year;
    FAR_FUTURE where a limit does not apply. Rows without either are left out.
    """
    out: dict[str, list[tuple[str, date, date]]] = defaultdict(list)
    for row in sub.participants:
        if row.phase != "BP" or not (row.employment_start or row.training_completed_on):
            continue
        e = prev_day(add_months(row.employment_start, 6)) if row.employment_start else FAR_FUTURE
        t = add_months(row.training_completed_on, 12) if row.training_completed_on else FAR_FUTURE
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


def service_facts(sub: Submission) -> list[ServiceFact]:
    c = sub.contract
    staff = {s.staff_id: s for s in sub.staff}
    phases = defaultdict(list)  # (participant, phase) -> [(from, to)]
    for p in sub.participants:
        phases[(p.participant_id, p.phase)].append((p.from_, p.to or FAR_FUTURE))
    aftercare = _aftercare_limits(sub)
    term_end = c.accompanying_phase.term_end if c else None
    susp = defaultdict(list)
    for s in sub.suspensions:
        susp[s.participant_id].append((s.from_, s.to))
    staff_overlap = _overlaps(sub.services, lambda s: [s.staff_id])
    part_overlap = _overlaps(sub.services, lambda s: sorted(set(s.participant_ids)))
    cohort = c.accompanying_phase.start if c else ServiceFact.model_fields["cohort_start"].default
    group_hours = (c.parameters.get("group_hours") if c else None) or "per_service"

    out = []
    for i, s in enumerate(sub.services):
        ids = list(s.participant_ids)
        suspended = next((p for p in ids if any(a <= s.date <= b for a, b in susp.get(p, []))), "")
        outside = next((p for p in ids if not any(a <= s.date <= b for a, b in phases.get((p, s.phase), ()))), "")
        member = staff.get(s.staff_id)
        outside_employment = bool(member) and not (member.employed_from <= s.date <= (member.employed_to or FAR_FUTURE))
        aftercare_pid, emp_limit, train_limit = _aftercare(ids, s.date, aftercare) if aftercare else (
            "", FAR_FUTURE, FAR_FUTURE)
        hours = s.minutes / 60 * (len(ids) if group_hours == "per_participant" else 1)
        so = staff_overlap.get(i, ("", ""))
        po = part_overlap.get(i, ("", ""))
        out.append(ServiceFact(
            file=s.loc.file, line=s.loc.line,
            service_id=s.service_id, date=s.date, start=s.start.strftime("%H:%M"), end=_end_time(s),
            minutes=s.minutes, hours=hours, element=s.element, phase=s.phase,
            staff_id=s.staff_id, staff_role=member.role if member else "",
            participant_ids=", ".join(ids), participant_count=len(ids),
            attendance=s.attendance, mode=s.mode or "", cohort_start=cohort,
            suspended_participant=suspended,
            outside_participant_phase=bool(outside), period_participant=outside,
            outside_contract_phase=not _in_phase_of_contract(c, s, term_end),
            outside_employment=outside_employment,
            staff_overlap_with=so[0], participant_overlap_with=po[0], overlap_participant=po[1],
            aftercare_participant=aftercare_pid, employment_limit=emp_limit, training_limit=train_limit,
        ))
    return out


# --- Vorphase ----------------------------------------------------------------

def _daily_peak(intervals: list[tuple[date, date]], start: date, end: date) -> tuple[int, date]:
    """Most intervals active on one day of start..end, and the first such day."""
    events = defaultdict(int)
    for a, b in intervals:
        a, b = max(a, start), min(b, end)
        if a <= b:
            events[a] += 1
            if b < date.max:
                events[next_day(b)] -= 1
    peak, peak_day, cur = 0, start, 0
    for day in sorted(events):
        cur += events[day]
        if cur > peak and day <= end:
            peak, peak_day = cur, day
    return peak, peak_day


def prephase_facts(sub: Submission) -> list[Fact]:
    c = sub.contract
    assert c is not None
    vp = [(p.from_, p.to or FAR_FUTURE) for p in sub.participants if p.phase == "VP"]
    out: list[Fact] = []
    for pp in c.pre_phases:
        peak, day = _daily_peak(vp, pp.start, pp.end)
        out.append(PrePhaseFact(
            file=pp.loc.file, line=pp.loc.line, contract_id=c.contract_id, index=pp.index,
            start=pp.start, end=pp.end, places=pp.places, peak_occupancy=peak, peak_date=day,
        ))
        for first, last in month_range(pp.start, pp.end):
            participants, _ = _daily_peak(vp, first, last)
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
