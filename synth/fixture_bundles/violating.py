"""fixtures/violating: the compliant bundle with every rule broken deliberately, and PLANTED.md."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

from engine.dates import period_end
from engine.ledger import year_figures
from synth.fixture_bundles.common import Bundle, D, PROVIDER, exact_decimal, participant_rows, ref_at, year_hours
from synth.fixture_bundles.compliant import (
    CUTOFF, SUSPENSIONS_2021, contract_2021, people_2021, refpersons_2021, schedule_2021, staff_2021,
)
from synth.writers import PARTICIPANT_COLUMNS_V11, Raw, SERVICE_COLUMNS_V11


# --------------------------------------------------------------------------
# the violating bundle: the compliant one with every rule broken deliberately
# --------------------------------------------------------------------------

@dataclass
class Plant:
    rule: str
    entity: str  # "service LN-00042", "participant TN-007", ...
    file: str  # where the defect is planted
    tag: str  # row tag (or yaml tag) whose line is the place of the defect
    what: str
    reported: str = ""  # "file:tag" when the finding points elsewhere (contract/ledger facts)


VIOLATING_CONTINGENT_YEAR1 = 400  # planted: the year-1 contingent the documented hours exceed


def build_violating() -> tuple[Bundle, list[Plant]]:
    plants: list[Plant] = []

    def plant(rule, entity, file, tag, what, reported=""):
        plants.append(Plant(rule, entity, file, tag, what, reported))

    # --- staff: the compliant team, L02 leaves before the Vorphase ends, five more who break rules
    staff = staff_2021()
    l02 = next(x for x in staff if x["staff_id"] == "L02")
    l02["employed_to"], l02["_tag"] = D("2021-07-31"), "L02"
    plant("ASA-PREPHASE-STAFFING", "prephase 1 (2021-08, LK)", "staff.csv", "L02",
          "LK L02 leaves 2021-07-31: in August 2021 only L01 (0.5 fte x 24 = 12) for 19 Vorphase participants",
          reported="contract.yaml:pre_phase1")

    def extra_staff(sid, role, emp, employer, quals, youth, ref=""):
        row = {"staff_id": sid, "role": role, "employment": emp, "employer_id": employer,
               "employed_from": D("2023-09-01"), "employed_to": None, "fte": Decimal("0.5"),
               "qualifications": quals, "youth_experience_months": youth, "equivalence_ref": ref, "_tag": sid}
        staff.append(row)

    extra_staff("A07", "AB", "employee", "T-0099", ["studium_soziale_arbeit"], 24)
    plant("ASA-STAFF-EMPLOYMENT", "staff A07", "staff.csv", "A07", "AB employed by another organisation (T-0099)")
    extra_staff("S04", "SP", "agency", "ZA-7", ["studium_soziale_arbeit"], 24)
    plant("ASA-STAFF-EMPLOYMENT", "staff S04", "staff.csv", "S04", "SP agency worker (Leiharbeit)")
    extra_staff("A08", "AB", "employee", PROVIDER, ["fachwirt"], 36)
    plant("ASA-STAFF-QUALIFICATION", "staff A08", "staff.csv", "A08", "AB Fachwirt without aevo")
    extra_staff("A09", "AB", "employee", PROVIDER, ["meister", "aevo"], 11)
    plant("ASA-STAFF-QUALIFICATION", "staff A09", "staff.csv", "A09",
          "AB Meister with aevo but 11 months of youth experience (minimum 12)")
    extra_staff("A10", "AB", "employee", PROVIDER, ["studium_vergleichbar"], 20)
    plant("ASA-STAFF-QUALIFICATION", "staff A10", "staff.csv", "A10",
          "AB comparable degree without equivalence_ref")

    # --- participants
    people = people_2021()
    byid = {x.pid: x for x in people}
    # TN-024: training completed, employed from 2023-07-03; follow-up care documented beyond six months
    p = byid["TN-024"]
    p.completed, p.employment = D("2023-06-30"), D("2023-07-03")
    p.bp = (p.bp[0], D("2024-02-29"))
    p.services_until = period_end(p.employment, 6)  # 2024-01-02, the last eligible day
    suspensions = list(SUSPENSIONS_2021) + [
        ("TN-031", D("2023-06-01"), D("2023-12-01"), "parental_leave"),  # 7 months begun
        ("TN-033", D("2023-03-01"), D("2023-04-28"), "stay_abroad"),  # reason not accepted
    ]
    refs = refpersons_2021(people, staff)
    sch = schedule_2021(people, staff, refs, suspensions, CUTOFF)

    def active_bp(day: date) -> list[str]:
        return [x.pid for x in people if x.bp and x.bp[0] <= day <= (x.services_until or x.bp[1] or CUTOFF)
                and not any(q == x.pid and a <= day <= b for q, a, b, _ in suspensions)]

    def tagged(row: dict, tag: str) -> dict:
        row["_tag"] = tag
        return row

    # --- services
    first = D("2022-03-21")
    r = sch.book("SP", "BP", "S01", active_bp(first)[:9], first, first + timedelta(days=4), 90, "presence")
    tagged(r, "group9")
    plant("ASA-GROUP-SIZE", "service {group9}", "services.csv", "group9",
          "SP session with 9 participants (2021 cohort: at most 8)")
    r = sch.book("AB", "BP", "A03", ["TN-019", "TN-023"], D("2022-02-15"), D("2022-02-25"), 60, "presence")
    tagged(r, "ab2")
    plant("ASA-GROUP-INDIVIDUAL", "service {ab2}", "services.csv", "ab2", "AB session with 2 participants")
    r = sch.book("AB", "BP", "A01", ["TN-007"], D("2023-01-17"), D("2023-01-27"), 60, "phone")
    tagged(r, "suspended")
    plant("ASA-SUSPENSION-SERVICE", "service {suspended}", "services.csv", "suspended",
          "AB session with TN-007 during the parental leave (2022-11-01..2023-04-30)")
    r = sch.book("AB", "BP", "A01", ["TN-008"], D("2022-06-14"), D("2022-06-24"), 60, "presence")
    tagged(r, "after_exit")
    plant("ASA-SERVICE-PERIOD", "service {after_exit}", "services.csv", "after_exit",
          "AB session with TN-008 after the participation ended (2022-05-31)")
    day = D("2022-12-13")
    r = sch.book("SP", "BP", "S03", active_bp(day)[-4:], day, day + timedelta(days=3), 90, "presence")
    tagged(r, "not_employed")
    plant("ASA-SERVICE-PERIOD", "service {not_employed}", "services.csv", "not_employed",
          "SP session by S03 before the employment began (2023-01-02)")
    r = sch.book("AB", "VP", "A01", ["TN-042"], D("2021-09-14"), D("2021-09-24"), 60, "presence")
    tagged(r, "after_vp")
    plant("ASA-SERVICE-PERIOD", "service {after_vp}", "services.csv", "after_vp",
          "Vorphase session after the contract's Vorphase ended (2021-08-31)")
    r = sch.book("AB", "BP", "A04", ["TN-024"], D("2024-02-13"), D("2024-02-23"), 60, "company")
    tagged(r, "aftercare")
    plant("ASA-AFTERCARE-LIMIT", "service {aftercare}", "services.csv", "aftercare",
          "follow-up care of TN-024 seven months after the employment began 2023-07-03 (last day 2024-01-02)")
    # double bookings: a second session of the same staff member / participant at the same time
    base = sch.find(staff_id="A01", element="AB", phase="BP", date=lambda d: d >= D("2022-04-04"))
    other = next(q for q in active_bp(base["date"]) if ref_at(refs, q, base["date"]) == "A01"
                 and q not in base["participant_ids"] and sch.cal.free([q], base["date"], time(base["start"].hour,
                                                                                               base["start"].minute + 30), 60))
    start = (datetime.combine(base["date"], base["start"]) + timedelta(minutes=30)).time()
    tagged(sch.force(base["date"], start, 60, "AB", "BP", "A01", [other], "presence"), "staff_double")
    plant("ASA-DOUBLE-BOOKING", "service {staff_double}", "services.csv", "staff_double",
          f"A01 booked for a second AB session 30 minutes into another one on {base['date']}")
    base = sch.find(element="AB", phase="BP", staff_id="A04", date=lambda d: d >= D("2022-10-10"))
    pid = base["participant_ids"][0]
    start = (datetime.combine(base["date"], base["start"]) + timedelta(minutes=15)).time()
    assert sch.cal.free(["L01"], base["date"], start, 90)
    tagged(sch.force(base["date"], start, 90, "SFU", "BP", "L01", [pid], "presence"), "participant_double")
    plant("ASA-DOUBLE-BOOKING", "service {participant_double}", "services.csv", "participant_double",
          f"{pid} in SFU while in an AB session on {base['date']}")
    # attendance (v1.1): cancelled sessions are not billable; a no-show without notice is
    tagged(sch.find(element="AB", phase="BP", date=lambda d: d >= D("2022-05-16")), "absent_announced")["attendance"] = \
        "absent_announced"
    plant("ASA-ABSENCE-BILLING", "service {absent_announced}", "services.csv", "absent_announced",
          "(info) session the participant cancelled in time (absent_announced): not delivered, left out of billing")
    tagged(sch.find(element="SFU", phase="BP", date=lambda d: d >= D("2023-03-20")), "cancelled")["attendance"] = \
        "cancelled_by_provider"
    plant("ASA-ABSENCE-BILLING", "service {cancelled}", "services.csv", "cancelled",
          "(info) session the provider cancelled (cancelled_by_provider): not delivered, left out of billing")
    # remedial tuition is given in presence: one SFU session by video
    tagged(sch.find(element="SFU", phase="BP", date=lambda d: d >= D("2023-06-05")), "sfu_video")["mode"] = "video"
    plant("ASA-SFU-REMOTE", "service {sfu_video}", "services.csv", "sfu_video",
          "(warning) SFU session by video (the exception covers AB and SP only)")
    sch.find(element="AB", phase="BP", date=lambda d: d >= D("2022-06-20"))["attendance"] = "absent_unannounced"
    # bad input (ASA-INPUT): rows the reader cannot accept
    day = D("2022-11-08")
    pid = active_bp(day)[0]
    r = sch.book("AB", "BP", "A99", [pid], day, day + timedelta(days=5), 60, "presence")
    tagged(r, "unknown_staff")
    plant("ASA-INPUT", "service {unknown_staff}", "services.csv", "unknown_staff", "staff_id A99 not in staff.csv")
    tagged(sch.force(Raw("2022-02-30"), time(10, 0), 60, "AB", "BP", "A03", ["TN-019"], "presence",
                     sort_date="2022-02-28"), "bad_date")
    plant("ASA-INPUT", "service {bad_date}", "services.csv", "bad_date", "date 2022-02-30 does not exist")
    tagged(sch.force(D("2022-09-27"), time(17, 30), Raw("60 min"), "SP", "BP", "S02", ["TN-029"], "presence"),
           "bad_number")
    plant("ASA-INPUT", "service {bad_number}", "services.csv", "bad_number", "minutes '60 min' is not a number")
    tagged(sch.force(D("2022-10-18"), time(17, 30), 90, Raw("abH"), "BP", "L01", ["TN-022"], "presence"),
           "bad_code")
    plant("ASA-INPUT", "service {bad_code}", "services.csv", "bad_code",
          "element 'abH' (the former programme) is no element code")
    services = sch.rows()
    for row in services:
        row.setdefault("attendance", "present")
    ids = {row["_tag"]: row["service_id"] for row in services if row.get("_tag")}
    for pl in plants:
        pl.entity = pl.entity.format(**ids)

    # --- participant rows: four more Vorphase rows that break the Vorphase limits
    rows = participant_rows(people)
    for row in rows:
        if row["participant_id"] in ("TN-024", "TN-040", "TN-011") and row["phase"] == "BP":
            row["_tag"] = row["participant_id"] + ("-bp" if row["participant_id"] == "TN-011" else "")
    extra = [
        ("TN-041", D("2021-03-01"), D("2021-11-30"), "kein Ausbildungsplatz, Praktikum verlängert"),
        ("TN-042", D("2021-03-01"), D("2021-09-30"), ""),
        ("TN-043", D("2021-07-19"), D("2022-02-18"), "Ausbildungsbeginn 01.03.2022 zugesagt"),
        ("TN-044", D("2021-06-01"), D("2021-06-30"), ""),
    ]
    for pid, a, b_, why in extra:
        rows.append({"participant_id": pid, "phase": "VP", "from": a, "to": b_, "extension_reason": why,
                     "_tag": pid})
    # TN-045: the training began in the sixth month of the Vorphase, which still ran on for a seventh
    rows.append({"participant_id": "TN-045", "phase": "VP", "from": D("2021-09-01"), "to": D("2022-03-31"),
                 "training_start": D("2022-02-01"), "extension_reason": "Praktikum verlängert", "_tag": "TN-045"})
    plant("ASA-PREPHASE-PLACEMENT", "participant TN-045", "participants.csv", "TN-045",
          "Vorphase 2021-09-01..2022-03-31 continued although the training began 2022-02-01 (sixth month)")
    # TN-046: Vorphase and accompanying phase on the same days
    rows.append({"participant_id": "TN-046", "phase": "VP", "from": D("2021-09-01"), "to": D("2021-12-31"),
                 "_tag": "TN-046"})
    rows.append({"participant_id": "TN-046", "phase": "BP", "from": D("2021-12-01"), "to": D("2022-02-28"),
                 "training_start": D("2021-12-01"), "training_end": D("2024-11-30")})
    plant("ASA-PHASE-OVERLAP", "participant TN-046", "participants.csv", "TN-046",
          "Vorphase to 2021-12-31 and accompanying phase from 2021-12-01: 31 days in both")
    plant("ASA-PREPHASE-DURATION", "participant TN-041", "participants.csv", "TN-041",
          "Vorphase 2021-03-01..2021-11-30 = 9 months begun (at most 8)")
    plant("ASA-PREPHASE-EXTENSION-REASON", "participant TN-042", "participants.csv", "TN-042",
          "Vorphase of 7 months without extension_reason (TN-043: 7 months with a reason, no finding)")
    plant("ASA-PREPHASE-PLACES", "prephase 1", "participants.csv", "TN-044",
          "TN-044 makes 21 Vorphase participants at once in June 2021 (20 places)",
          reported="contract.yaml:pre_phase1")

    # --- reference persons
    for row in refs:
        if row["participant_id"] == "TN-040":
            row["from"], row["_tag"] = D("2023-12-01"), "TN-040"
        if row["participant_id"] == "TN-039":
            row["staff_id"], row["_tag"] = "S02", "TN-039"
        if row["participant_id"] == "TN-030" and row["change_reason"]:
            row["change_reason"], row["_tag"] = "", "TN-030"
        if row["participant_id"] == "TN-011" and row["staff_id"] == "A02":  # A02 left 2023-06-30
            row["to"], row["_tag"] = D("2023-09-30"), "TN-011"
        if row["participant_id"] == "TN-011" and row["staff_id"] == "A06":
            row["from"] = D("2023-10-01")
    # the Vorphase rows above have a reference person too (appended: the lines above stay)
    for pid, a, b_ in (("TN-041", D("2021-03-01"), D("2021-11-30")), ("TN-042", D("2021-03-01"), D("2021-09-30")),
                       ("TN-043", D("2021-07-19"), D("2022-02-18")), ("TN-044", D("2021-06-01"), D("2021-06-30")),
                       ("TN-045", D("2021-09-01"), D("2022-03-31")), ("TN-046", D("2021-09-01"), D("2022-02-28"))):
        refs.append({"participant_id": pid, "staff_id": "A01", "from": a, "to": b_, "change_reason": ""})
    plant("ASA-REFPERSON-MISSING", "participant TN-040", "reference_persons.csv", "TN-040",
          "reference person named only from 2023-12-01, participation from 2023-11-06 (25 days without)",
          reported="participants.csv:TN-040")
    plant("ASA-REFPERSON-MISSING", "participant TN-011", "reference_persons.csv", "TN-011",
          "reference person A02 named up to 2023-09-30, but A02 left the provider 2023-06-30 (92 days without)",
          reported="participants.csv:TN-011-bp")
    plant("ASA-REFPERSON-ROLE", "participant TN-039", "reference_persons.csv", "TN-039",
          "SP staff member S02 as reference person")
    plant("ASA-REFPERSON-CHANGE", "participant TN-030", "reference_persons.csv", "TN-030",
          "change of reference person without change_reason")

    susp_rows = [{"participant_id": q, "from": a, "to": t, "reason": why} for q, a, t, why in suspensions]
    susp_rows[2]["_tag"], susp_rows[3]["_tag"] = "TN-031", "TN-033"
    # TN-031's suspension written as two adjoining rows, each under six months: one suspension of seven
    susp_rows[2]["to"] = D("2023-08-31")
    susp_rows.append({"participant_id": "TN-031", "from": D("2023-09-01"), "to": D("2023-12-01"),
                      "reason": "parental_leave"})
    plant("ASA-SUSPENSION-LENGTH", "participant TN-031", "suspensions.csv", "TN-031",
          "adjoining rows 2023-06-01..2023-08-31 and 2023-09-01..2023-12-01: one suspension of 7 months begun "
          "(at most 6)")
    plant("ASA-SUSPENSION-REASON", "participant TN-033", "suspensions.csv", "TN-033",
          "suspension reason stay_abroad (accepted: parental_leave, sick_pay)")

    # --- contract: extension of three years, year-1 contingent of 400 hours
    contract = contract_2021()
    acc = contract["accompanying_phase"]
    acc["extension"] = {"start": D("2024-09-01"), "end": D("2027-08-31")}
    acc["contingents"][0]["hours"] = VIOLATING_CONTINGENT_YEAR1
    plant("ASA-CONTRACT-TERM", "contract 955-0042-21", "contract.yaml", "extension",
          "extension 2024-09-01..2027-08-31 = 36 months (at most 24)", reported="contract.yaml:contract")
    b = Bundle(contract=contract, staff=staff, participants=rows, reference_persons=refs, suspensions=susp_rows,
               services=services)
    b.participant_columns = PARTICIPANT_COLUMNS_V11
    b.service_columns = SERVICE_COLUMNS_V11

    # --- invoice for year 1: the provider bills every documented hour
    k = acc["contingents"][0]
    documented = year_hours(services, k["start"], k["end"])
    minimum = year_figures(Fraction(k["hours"]), Fraction(0), documented, Fraction(acc["minimum_share"])).minimum
    b.invoice = {"contract_year": 1, "billed_hours": exact_decimal(documented), "carry_in_hours": Decimal(0),
                 "carry_out_hours": Decimal(50),
                 "settlement_amount": exact_decimal((documented - minimum) * Fraction(acc["price_per_hour"]), 2)}
    plant("ASA-CONTINGENT-EXCEEDED", "contract_year 1", "contract.yaml", "contingent1",
          f"year 1: {exact_decimal(documented)} h documented, contingent {k['hours']} h, no carry-in",
          reported="contract.yaml:contingent1")
    plant("ASA-INVOICE-MISMATCH", "contract_year 1", "invoice.yaml", "billed_hours",
          "billed hours and settlement claim every documented hour instead of the payable ones",
          reported="invoice.yaml:invoice")
    plant("ASA-CARRYOVER-LIMIT", "contract_year 1", "invoice.yaml", "carry_out_hours",
          "50 h claimed to carry into year 2; the contingent is used up (allowed 0 h)",
          reported="invoice.yaml:invoice")
    return b, plants


def planted_md(plants: list[Plant], lines: dict[str, dict[str, int]]) -> str:
    def where(file: str, tag: str) -> str:
        return f"{file}:{lines[file][tag]}"

    out = [
        "# Planted violations (fixtures/violating)",
        "",
        "Generated by `fixtures/make_fixtures.py` together with the bundle; do not edit by hand.",
        "The bundle is the compliant one (fixtures/compliant) with the defects below planted",
        "deliberately: every rule of `rules/` is broken at least once, plus bad input (ASA-INPUT).",
        "*Planted at* is the line that carries the defect; *reported at* is where asa-check",
        "points (facts about a contract, a Vorphase or a contract year carry the line of the",
        "contingent year, the contract, the Vorphase or, for rules about the claim, the invoice).",
        "",
        "| # | rule | record | planted at | reported at | what |",
        "|---|---|---|---|---|---|",
    ]
    for n, p in enumerate(sorted(plants, key=lambda x: (x.rule, x.file, lines[x.file][x.tag])), 1):
        planted = where(p.file, p.tag)
        reported = where(*p.reported.split(":")) if p.reported else planted
        out.append(f"| {n} | {p.rule} | {p.entity} | {planted} | {reported} | {p.what} |")
    out += [
        "",
        "Controls (look like violations but are allowed, so they give no finding):",
        "TN-043's Vorphase of 7 months has an extension_reason and no training start within",
        "six months; one session with attendance `absent_unannounced` (not cancelled in time)",
        "is billable; reference-person changes with a change_reason (TN-010 ff. `staff_left`,",
        "TN-012 `participant_request`); suspension TN-007 of exactly 6 months; LK staff as",
        "freelancers; AB sessions by phone and video.",
        "",
    ]
    return "\n".join(out)
