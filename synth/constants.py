"""Fixed numbers and vocabulary of the synthetic bundles: the rule ids planted, the 90-minute slot
grid, session lengths and modes drawn (repeated for weight), cohorts, qualifications, reasons."""
from __future__ import annotations

from datetime import date, timedelta

from engine.rules import INPUT_RULE


# --- rule ids of the planted kinds --------------------------------------------

R_GROUP_SIZE = "ASA-GROUP-SIZE"
R_GROUP_INDIVIDUAL = "ASA-GROUP-INDIVIDUAL"
R_SUSPENSION_SERVICE = "ASA-SUSPENSION-SERVICE"
R_SUSPENSION_LENGTH = "ASA-SUSPENSION-LENGTH"
R_SUSPENSION_REASON = "ASA-SUSPENSION-REASON"
R_STAFF_QUALIFICATION = "ASA-STAFF-QUALIFICATION"
R_STAFF_EMPLOYMENT = "ASA-STAFF-EMPLOYMENT"
R_DOUBLE_BOOKING = "ASA-DOUBLE-BOOKING"  # staff or participant booked twice at once
R_REFPERSON_MISSING = "ASA-REFPERSON-MISSING"
R_SERVICE_PERIOD = "ASA-SERVICE-PERIOD"  # outside the participation or the employment
R_ABSENCE = "ASA-ABSENCE-BILLING"
R_INPUT = INPUT_RULE

RULE_IDS: tuple[str, ...] = (
    R_GROUP_SIZE, R_GROUP_INDIVIDUAL, R_SUSPENSION_SERVICE, R_SUSPENSION_LENGTH, R_SUSPENSION_REASON,
    R_STAFF_QUALIFICATION, R_STAFF_EMPLOYMENT, R_DOUBLE_BOOKING, R_REFPERSON_MISSING, R_SERVICE_PERIOD,
    R_ABSENCE, R_INPUT,
)

DAY = timedelta(days=1)
DEFAULT_SERVICES_PER_PARTICIPANT = 50  # per participant and year of participation


# --- constants of the schedule -------------------------------------------------

NSLOT = 8  # 90-minute slots per day; a session lies inside one slot
SLOT_MINUTES = (450, 540, 630, 720, 810, 900, 990, 1080)  # 07:30, 09:00, …, 18:00
AFTERNOON = (4, 5, 6, 7, 3)

# (offset in the slot, minutes), repeated for weight
AB_TIMES = (((0, 60),) * 5 + ((0, 45),) * 3 + ((15, 60),) * 2 + ((0, 90),) * 2 + ((30, 45),) + ((0, 30),) * 2
            + ((15, 45),))
SP_TIMES = ((0, 60),) * 4 + ((0, 90),) * 2 + ((0, 45),) * 2 + ((15, 60),)
SFU_TIMES = ((0, 90),) * 5 + ((0, 45),) + ((45, 45),) + ((0, 60),)
SPG_TIMES = ((0, 90),) * 3 + ((0, 60),) * 2
AB_MODES = ("presence",) * 11 + ("company",) * 4 + ("phone",) * 3 + ("video",) * 2
SP_MODES = ("presence",) * 14 + ("video",) * 3 + ("phone",) * 3
SFU_MODES = ("presence",) * 9 + ("company",)  # remedial tuition is given in presence (ASA-SFU-REMOTE)

# one draw gives a one-to-one session's (element, offset, minutes, mode, attendance): 78 % AB, 22 % SP;
# 1 in 33 sessions is a billable no-show
_ATTENDANCE_MIX = ("present",) * 32 + ("absent_unannounced",)
ONE_TO_ONE_DRAW = (tuple(("AB", o, m, mode, a) for o, m in AB_TIMES for mode in AB_MODES for a in _ATTENDANCE_MIX) * 2
                   + tuple(("SP", o, m, mode, a) for o, m in SP_TIMES for mode in SP_MODES for a in _ATTENDANCE_MIX))

COHORTS = (date(2021, 9, 1),) * 4 + (date(2021, 10, 1), date(2022, 1, 1)) + (date(2022, 9, 1),) * 2 + (
    date(2023, 9, 1),) * 2 + (date(2024, 8, 1),) * 2 + (date(2024, 9, 1), date(2025, 2, 1))
GROUP_LIMIT_CHANGE = date(2024, 8, 1)
DATA_HORIZON = date(2026, 7, 31)  # no service is documented after this day

AB_TRADE = ("meister", "techniker", "fachwirt")
AB_SOCIAL = ("studium_soziale_arbeit", "studium_heilpaedagogik", "studium_rehapaedagogik", "studium_sonderpaedagogik")
SUSPENSION_REASONS = ("parental_leave", "sick_pay", "sick_pay")
BAD_SUSPENSION_REASONS = ("", "urlaub", "umzug", "Elternzeit", "krank")
ATTENDANCE_NOT_BILLABLE = ("absent_announced", "cancelled_by_provider")  # absent_unannounced is billable
ATTENDANCES_ALL = ("present", "absent_unannounced") + ATTENDANCE_NOT_BILLABLE

EXTENSION_REASONS = ("noch kein Ausbildungsplatz, Bewerbungen laufen", "Praktikum mit Übernahmeaussicht",
                     "Ausbildungsbeginn erst zum 01.10.", "Einstiegsqualifizierung beantragt")
