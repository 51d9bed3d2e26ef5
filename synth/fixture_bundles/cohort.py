"""fixtures/cohort-2024 and cohort-2021: a small provider whose accompanying phase starts 2024-08-01
(group limit 6) or 2021-09-01 (group limit 8)."""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from engine.dates import months_after, period_end
from synth.fixture_bundles.common import Bundle, MINIMUM_SHARE, Person, Schedule, participant_rows, ref_at
from synth.writers import SERVICE_COLUMNS_V11


# --------------------------------------------------------------------------
# cohort bundles: the same small provider with an accompanying phase starting
# 2024-08-01 (group limit 6) or 2021-09-01 (group limit 8)
# --------------------------------------------------------------------------

def build_cohort(start: date) -> Bundle:
    S = start
    yy = f"{S.year % 100:02d}"
    provider = "T-0077"
    contract = {
        "contract_id": f"955-0077-{yy}", "provider_id": provider, "provider_name": "Jugendwerkstatt Nord e.V.",
        "agency": "Agentur für Arbeit Nordstadt", "pre_phases": [],
        "accompanying_phase": {
            "start": S, "end": period_end(S, 36), "extension": None,
            "price_per_hour": Decimal("64.00"), "minimum_share": MINIMUM_SHARE,
            "contingents": [{"year": n, "start": months_after(S, 12 * (n - 1)), "end": period_end(S, 12 * n),
                             "hours": 1500} for n in (1, 2, 3)],
        },
        "parameters": {},
    }

    def staff_row(sid, role, emp, employer, quals, youth, fte):
        return {"staff_id": sid, "role": role, "employment": emp, "employer_id": employer,
                "employed_from": months_after(S, -3), "employed_to": None, "fte": Decimal(fte),
                "qualifications": quals, "youth_experience_months": youth, "equivalence_ref": ""}

    staff = [
        staff_row("B01", "AB", "employee", provider, ["meister", "aevo"], 24, "1.0"),
        staff_row("B02", "AB", "employee", provider, ["studium_soziale_arbeit"], 6, "0.5"),
        staff_row("P01", "SP", "employee", provider, ["studium_soziale_arbeit"], 36, "0.5"),
        staff_row("K01", "LK", "freelance", "K01", ["lehramt"], 12, "0.25"),
    ]
    people = []
    for n in range(101, 109):
        frm = S if n != 107 else months_after(S, 1)
        t_start = months_after(S, -12 if n % 2 else 0)
        people.append(Person(f"TN-{n}", None, (frm, None), (t_start, period_end(t_start, 36)), sfu=n % 2 == 0))
    # TN-108: training completed, employment from S + 6 months; the provider went on documenting
    # follow-up care for eight months (eligible: six)
    p = people[-1]
    p.training = (months_after(S, -30), period_end(S, 6))
    p.employment = months_after(S, 6)
    p.completed = p.employment - timedelta(days=12)
    p.bp = (S, period_end(p.employment, 8))
    p.services_until = period_end(p.employment, 6)
    refs = [{"participant_id": x.pid, "staff_id": "B01" if int(x.pid[3:]) <= 104 else "B02", "from": x.bp[0],
             "to": x.bp[1], "change_reason": ""} for x in people]

    sch = Schedule(staff, refs)
    rng = random.Random(7)
    end = months_after(S, 12) + timedelta(days=20)

    def active(x: Person, day: date) -> bool:
        last = x.services_until or x.bp[1] or end
        return x.bp[0] <= day <= last

    for k in range(13):
        m = months_after(S, k)
        for idx, x in enumerate(people):
            first = max(x.bp[0], m + timedelta(days=idx * 2))
            last = min(x.services_until or end, period_end(m, 1))
            if first > last or not active(x, first):
                continue
            row = sch.book("AB", "BP", ref_at(refs, x.pid, first), [x.pid], first, last, rng.choice([60, 60, 90]),
                           rng.choice(["presence", "company", "phone"]), attendance="present")
            if k == 4 and idx == 2:  # missed without notice: billable (v1.1 attendance)
                row["attendance"] = "absent_unannounced"
        day = m + timedelta(days=7)
        group = [x.pid for x in people if active(x, day)]
        if k == 2:
            # one SP session with 7 participants: allowed up to 8 (2021), a violation from 2024 (limit 6)
            row = sch.book("SP", "BP", "P01", group[:7], day, day + timedelta(days=6), 90, "presence",
                           attendance="present")
            row["_tag"] = "sp7"
            rest = [group[7:]] if group[7:] else []
        else:
            rest = [group[:4], group[4:]]
        for g in rest:
            if g:
                sch.book("SP", "BP", "P01", g, day, day + timedelta(days=6), 90, "presence", attendance="present")
        day = m + timedelta(days=14)
        group = [x.pid for x in people if x.sfu and active(x, day)]
        if group:
            sch.book("SFU", "BP", "K01", group, day, day + timedelta(days=6), 90, "presence", attendance="present")
    # follow-up care seven months after the employment began (limit: six months)
    row = sch.book("AB", "BP", "B02", ["TN-108"], months_after(p.employment, 7), months_after(p.employment, 7) + timedelta(days=7),
                   60, "company", attendance="present")
    row["_tag"] = "aftercare"
    b = Bundle(contract=contract, staff=staff, participants=participant_rows(people), reference_persons=refs,
               suspensions=[], services=sch.rows())
    b.participant_columns = b.participant_columns + ("training_completed_on", "employment_start")
    b.service_columns = SERVICE_COLUMNS_V11
    return b
