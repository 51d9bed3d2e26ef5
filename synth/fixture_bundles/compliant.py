"""fixtures/compliant (and compliant-de): a realistic 2021-cohort bundle without findings."""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from engine.dates import month_range, period_end
from synth.constants import DAY
from synth.fixture_bundles.common import (
    Bundle, D, MINIMUM_SHARE, PROVIDER, Person, Schedule, employed_on, invoice_for, participant_rows, ref_at,
    workday,
)


# --------------------------------------------------------------------------
# the compliant 2021-cohort bundle
# --------------------------------------------------------------------------

VP_START, VP_END = D("2021-03-01"), D("2021-08-31")
BP_START, BP_END = D("2021-09-01"), D("2024-08-31")
CUTOFF = D("2024-06-28")  # last documented service day = check date of open periods


def contract_2021() -> dict:
    return {
        "contract_id": "955-0042-21",
        "provider_id": PROVIDER,
        "provider_name": "Bildungswerk Beispiel gGmbH",
        "agency": "Agentur für Arbeit Musterstadt",
        "pre_phases": [{
            "start": VP_START, "end": VP_END, "places": 20, "price_per_place_month": Decimal("480.00"),
            "staffing": {"AB": 12, "SP": 24, "LK": 24},
        }],
        "accompanying_phase": {
            "start": BP_START, "end": BP_END,
            "extension": {"start": D("2024-09-01"), "end": D("2026-08-31")},
            "price_per_hour": Decimal("62.50"), "minimum_share": MINIMUM_SHARE,
            "contingents": [
                {"year": 1, "start": D("2021-09-01"), "end": D("2022-08-31"), "hours": 4000},
                {"year": 2, "start": D("2022-09-01"), "end": D("2023-08-31"), "hours": 4000},
                {"year": 3, "start": D("2023-09-01"), "end": D("2024-08-31"), "hours": 4000},
            ],
        },
        "parameters": {},
    }


def staff_2021() -> list[dict]:
    def staff_row(sid, role, emp, employer, frm, to, fte, quals, youth, ref=""):
        return {"staff_id": sid, "role": role, "employment": emp, "employer_id": employer,
                "employed_from": D(frm), "employed_to": D(to) if to else None, "fte": Decimal(fte),
                "qualifications": quals, "youth_experience_months": youth, "equivalence_ref": ref}

    return [
        staff_row("A01", "AB", "employee", PROVIDER, "2021-02-01", None, "1.0", ["meister", "aevo"], 48),
        staff_row("A02", "AB", "employee", PROVIDER, "2021-02-01", "2023-06-30", "1.0", ["studium_soziale_arbeit"], 24),
        staff_row("A03", "AB", "employee", PROVIDER, "2021-08-01", None, "0.75", ["techniker", "aevo"], 30),
        staff_row("A04", "AB", "employee", PROVIDER, "2021-08-16", None, "1.0", ["studium_heilpaedagogik"], 0),
        staff_row("A05", "AB", "employee", PROVIDER, "2022-08-01", None, "0.5", ["studium_vergleichbar"], 18,
          "ZAB-Bescheid 117/2022 – Gleichwertigkeit Erziehungswiss."),
        staff_row("A06", "AB", "employee", PROVIDER, "2023-05-02", None, "1.0", ["fachwirt", "aevo"], 60),
        staff_row("S01", "SP", "employee", PROVIDER, "2021-02-01", None, "1.0", ["studium_soziale_arbeit"], 60),
        staff_row("S02", "SP", "employee", PROVIDER, "2021-09-01", None, "0.5", ["studium_soziale_arbeit"], 12),
        staff_row("S03", "SP", "employee", PROVIDER, "2023-01-02", None, "0.75", ["studium_sonderpaedagogik"], 24),
        staff_row("L01", "LK", "freelance", "L01", "2021-03-01", None, "0.5", ["lehramt"], 36),
        staff_row("L02", "LK", "employee", PROVIDER, "2021-02-01", None, "0.5", ["lehramt"], 24),
        staff_row("L03", "LK", "freelance", "L03", "2022-01-03", None, "0.25", ["lehramt", "meister"], 12),
    ]


def people_2021() -> list[Person]:
    rng = random.Random(42)
    out: list[Person] = []
    # TN-001..TN-018 start in the Vorphase (assignments March to May 2021)
    for i in range(1, 19):
        pid = f"TN-{i:03d}"
        vp_from = VP_START + timedelta(days=rng.choice([0, 0, 0, 7, 14, 21, 28, 35, 49, 63]))
        while not workday(vp_from):
            vp_from += DAY
        if i in (16, 17):  # leave during the Vorphase without a training place
            vp_to = D("2021-07-15") if i == 16 else D("2021-06-30")
            out.append(Person(pid, (vp_from, vp_to), None, sfu=i % 2 == 0))
            continue
        t_start = BP_START  # the training place found during the Vorphase starts with the accompanying phase
        out.append(Person(pid, (vp_from, VP_END), (BP_START, None),
                          (t_start, period_end(t_start, 42 if i % 3 == 0 else 36)), sfu=i % 2 == 0))
    # TN-019..TN-040 are assigned during the accompanying phase (any time, no cohort)
    joins = ["2021-09-01", "2021-09-01", "2021-09-15", "2021-10-04", "2021-11-02", "2022-01-10", "2022-02-01",
             "2022-03-14", "2022-05-02", "2022-08-01", "2022-09-01", "2022-09-19", "2022-10-04", "2022-11-14",
             "2023-01-09", "2023-02-01", "2023-03-06", "2023-05-08", "2023-08-01", "2023-09-04", "2023-10-16",
             "2023-11-06"]
    for n, j in enumerate(joins, start=19):
        pid = f"TN-{n:03d}"
        frm = D(j)
        t_start = date(frm.year if frm.month >= 8 else frm.year - 1, 8, 1)
        if n % 4 == 0:
            t_start = date(t_start.year - 1, 8, 1)
        out.append(Person(pid, None, (frm, None), (t_start, period_end(t_start, 36 if n % 5 else 42)),
                          sfu=n % 2 == 1))
    people = {p.pid: p for p in out}
    # the accompanying phase ends with the training (no follow-up care documented)
    for p in out:
        if p.bp and p.bp[1] is None and p.training and p.training[1] < CUTOFF:
            p.bp = (p.bp[0], p.training[1])
    # a two-year training completed early, follow-up care (v1.1 columns) for six months
    p = people["TN-003"]
    p.training = (D("2021-09-01"), D("2023-08-31"))
    p.completed, p.employment = D("2023-06-28"), D("2023-07-01")
    p.bp = (BP_START, D("2023-12-31"))
    # training dropped out / ended without follow-up care / changed to another provider
    people["TN-008"].bp = (BP_START, D("2022-05-31"))
    p = people["TN-021"]
    p.training = (D("2020-08-01"), D("2023-01-31"))
    p.bp = (p.bp[0], D("2023-01-31"))
    people["TN-025"].bp = (people["TN-025"].bp[0], D("2023-09-29"))
    return out


SUSPENSIONS_2021 = [
    # participant, from, to, reason  (6 calendar months begun is the allowed maximum)
    ("TN-007", D("2022-11-01"), D("2023-04-30"), "parental_leave"),
    ("TN-027", D("2023-02-06"), D("2023-04-14"), "sick_pay"),
]


def refpersons_2021(people: list[Person], staff: list[dict]) -> list[dict]:
    """Every participant gets an AB reference person from the first day; changes carry a reason."""
    employed = {s["staff_id"]: (s["employed_from"], s["employed_to"]) for s in staff if s["role"] == "AB"}
    rows = []
    bp_joiners = ["A03", "A04", "A01", "A02"]
    k = 0
    for p in people:
        first = p.vp[0] if p.vp else p.bp[0]
        last = p.bp[1] if p.bp else p.vp[1]
        n = int(p.pid[3:])
        if p.vp:
            ab = "A01" if n <= 9 else "A02"
        else:
            candidates = bp_joiners + (["A05"] if first >= D("2022-08-01") else []) + \
                (["A06"] if first >= D("2023-05-02") else [])
            candidates = [a for a in candidates if not (employed[a][1] and employed[a][1] < first + timedelta(days=400))]
            ab = candidates[k % len(candidates)]
            k += 1
        periods = [(ab, first, last, "")]
        if p.pid == "TN-012":  # the participant asked for another reference person
            periods = [("A02", first, D("2022-09-30"), ""), ("A03", D("2022-10-01"), last, "participant_request")]
        if p.pid == "TN-030":  # reference person on long leave: handed over for good
            periods = [(ab, first, D("2023-08-31"), ""),
                       ("A04" if ab != "A04" else "A03", D("2023-09-01"), last, "staff_long_absence")]
        final = []
        for a, f, t, reason in periods:
            left = employed[a][1]
            if left and (t is None or t > left) and f <= left:
                final.append((a, f, left, reason))
                final.append(("A06", left + DAY, t, "staff_left"))
            else:
                final.append((a, f, t, reason))
        for a, f, t, reason in final:
            rows.append({"participant_id": p.pid, "staff_id": a, "from": f, "to": t, "change_reason": reason})
    return rows


def schedule_2021(people: list[Person], staff: list[dict], refs: list[dict], suspensions, cutoff: date,
                  seed: int = 2021) -> Schedule:
    """Monthly individual AB sessions with the reference person, SP groups, SFU groups."""
    rng = random.Random(seed)
    sch = Schedule(staff, refs)

    def suspended(pid: str, day: date) -> bool:
        return any(p == pid and a <= day <= b for p, a, b, _ in suspensions)

    def active(p: Person, phase: str, day: date) -> bool:
        span = p.vp if phase == "VP" else p.bp
        if span is None:
            return False
        end = p.services_until or span[1] or cutoff
        return span[0] <= day <= min(end, cutoff) and not suspended(p.pid, day)

    # --- Vorphase: monthly individual AB session, monthly SP group, fortnightly SFU group
    for m, month_last in month_range(VP_START, VP_END):
        for idx, p in enumerate(people):
            if not p.vp:
                continue
            first = max(p.vp[0], m + timedelta(days=(idx * 3) % 15))
            last = min(p.vp[1], month_last)
            if first > last or not active(p, "VP", first):
                continue
            sch.book("AB", "VP", ref_at(refs, p.pid, first), [p.pid], first, last, rng.choice([45, 60, 60, 90]),
                     rng.choice(["presence", "presence", "company", "phone"]))
        day = m + timedelta(days=9)
        while not workday(day):
            day += DAY
        group = [p.pid for p in people if active(p, "VP", day)]
        for g in range(0, len(group), 7):
            sch.book("SP", "VP", "S01", group[g:g + 7], day, month_last, 90, "presence")
        for half in (4, 18):
            day = m + timedelta(days=half)
            while not workday(day):
                day += DAY
            group = [p.pid for p in people if p.sfu and active(p, "VP", day)]
            for g in range(0, len(group), 5):
                lk = "L02" if g == 0 else "L01"
                if employed_on(staff, lk, day):
                    sch.book("SFU", "VP", lk, group[g:g + 5], day, month_last, 90, "presence")

    # --- accompanying phase
    sps = ["S01", "S02", "S03"]
    lks = ["L02", "L01", "L03"]
    for m, month_last in month_range(BP_START, cutoff):
        for idx, p in enumerate(people):
            if not p.bp:
                continue
            first = max(p.bp[0], m + timedelta(days=(idx * 2 + m.month) % 17))
            last = min(p.services_until or p.bp[1] or cutoff, month_last, cutoff)
            day = first
            while day <= last and not active(p, "BP", day):
                day += DAY
            if day > last:
                continue
            stop = day
            while stop < last and active(p, "BP", stop + DAY):
                stop += DAY
            sch.book("AB", "BP", ref_at(refs, p.pid, day), [p.pid], day, stop, rng.choice([45, 60, 60, 60, 90]),
                     rng.choice(["presence", "presence", "presence", "company", "phone", "video"]))
        # SP groups in the second week (at most 6 per group; the limit is 8)
        day = m + timedelta(days=8)
        while not workday(day):
            day += DAY
        group = [p.pid for p in people if active(p, "BP", day)]
        on_duty = [x for x in sps if employed_on(staff, x, day)]
        for n, g in enumerate(range(0, len(group), 6)):
            sch.book("SP", "BP", on_duty[n % len(on_duty)], group[g:g + 6], day, day + timedelta(days=4), 90,
                     "presence")
        # SFU groups twice a month (at most 5)
        for half in (15, 22):
            day = m + timedelta(days=half)
            while not workday(day):
                day += DAY
            if day > cutoff:
                continue
            group = [p.pid for p in people if p.sfu and active(p, "BP", day)]
            on_duty = [x for x in lks if employed_on(staff, x, day)]
            for n, g in enumerate(range(0, len(group), 5)):
                sch.book("SFU", "BP", on_duty[n % len(on_duty)], group[g:g + 5], day, day + timedelta(days=4), 90,
                         "presence")
    # the last documented day (check date of open periods)
    sch.book("SP", "BP", "S01", [p.pid for p in people if active(p, "BP", cutoff)][:6], cutoff, cutoff, 60,
             "presence")
    return sch


def build_compliant() -> Bundle:
    staff = staff_2021()
    people = people_2021()
    refs = refpersons_2021(people, staff)
    services = schedule_2021(people, staff, refs, SUSPENSIONS_2021, CUTOFF).rows()
    b = Bundle(contract=contract_2021(), staff=staff, participants=participant_rows(people),
               reference_persons=refs,
               suspensions=[{"participant_id": p, "from": a, "to": t, "reason": r} for p, a, t, r in SUSPENSIONS_2021],
               services=services)
    b.participant_columns = b.participant_columns + ("training_completed_on", "employment_start")
    b.invoice = invoice_for(b.contract, services, 1)
    return b
