"""Realistic synthetic submission bundles, with violations planted on request.

``generate(out_dir, contracts, participants_per_contract, seed)`` writes one
bundle directory per contract (``out_dir/contract-0001/`` …) to the data
contract (docs/submission-format.md, v1 and v1.1). The bundles look like what
providers hand in:

- contract.yaml: 2021–2025 cohorts (some from 2024-08-01 on, group limit 6),
  0, 1 or 2 Vorphasen, some with an extension and contingent years 4–5;
  contingents sized above the documented hours; a year-1 invoice.yaml
  sometimes, with the figures the ledger computes;
- staff.csv: AB, SP and LK staff, every employment kind, AB staff qualified on
  one of the three paths, part-time posts working on fixed weekdays, AB staff
  leaving and being replaced;
- participants.csv: VP and BP rows, training dates, early exits, completions
  with follow-up care (v1.1 ``training_completed_on``/``employment_start``);
- reference_persons.csv: every VP and BP day covered up to the last service
  day, by AB staff employed that day; changes with ``staff_left`` /
  ``participant_request``;
- suspensions.csv: up to six months, ``parental_leave`` / ``sick_pay``;
- services.csv: AB one-to-one sessions by the reference person, SP one-to-one
  and group sessions, SFU courses (weekly, groups up to the limit, in presence
  or at the company), spread over
  workdays (no weekends, public holidays or Christmas closure), inside the
  participation and employment periods, never double-booking a staff member or
  a participant (every session lies inside one 90-minute slot of a fixed grid).

Every fifth bundle is in the German spreadsheet dialect (``;``, Windows-1252,
TT.MM.JJJJ, H:MM, decimal comma, CRLF); some UTF-8 bundles carry a BOM; about
half are v1.1 (extra participant columns and ``attendance``).

``violations`` (0…1) plants violations at roughly that rate per record kind:
AB/SP staff (unqualified AB, not employed by the provider), BP participants
(days without reference person), suspensions (longer than six months, reason
not accepted), services (oversized groups, AB sessions for two, sessions during
a suspension, staff or participant double bookings, sessions after the
participation ended or outside the staff member's employment, cancelled
sessions (ASA-ABSENCE-BILLING, information), and now and then a bad value for
ASA-INPUT). Each planted violation is meant to
give exactly one finding of its rule; ``GenerateStats.planted`` counts them per
rule id.

Determinism: contract ``i`` draws from ``random.Random`` seeded with the seed
and ``i`` only, so contracts can be written in any order or in parallel and
the bytes are the same. The hot path is plain Python (ints for days, one
bytearray per person for the slot grid, strings joined directly); no pydantic.
Ids are pseudonyms: ``TN-0001-00042``, ``M-0001-07``, ``S-0001-0000123``.
"""
from __future__ import annotations

import functools
import gc
import random
import time as _time
from pathlib import Path

from synth.cohort import CohortCalendar
from synth.constants import DEFAULT_SERVICES_PER_PARTICIPANT, RULE_IDS
from synth.people import PeoplePlanner
from synth.services import ServiceScheduler
from synth.stats import GenerateStats, render_stats
from synth.violations import ViolationPlanter
from synth.writers import BundleWriter


__all__ = ["GenerateStats", "generate", "generate_contract", "render_stats", "RULE_IDS"]

# --- the generator of one contract ---------------------------------------------------

class ContractGenerator(CohortCalendar, PeoplePlanner, ServiceScheduler, ViolationPlanter, BundleWriter):
    """One contract's bundle: its parts live in synth/cohort.py (dates, days), synth/people.py (staff,
    participants, suspensions, reference persons), synth/services.py (the schedule), synth/violations.py
    (planted violations) and synth/writers.py (the files); they share the state set up here and in run()."""

    def __init__(self, index: int, seed: int, participants: int, services_per_participant: float,
                 rate: float):
        self.index = index
        self.rng = random.Random(f"asa-check-generate:{seed}:{index}")
        self.n_participants = max(1, participants)
        self.spp = services_per_participant
        self.rate = max(0.0, min(1.0, rate))
        self.planted: dict[str, int] = {}
        self.tag = f"{index:04d}"

    def plant(self, rule: str, n: int = 1) -> None:
        self.planted[rule] = self.planted.get(rule, 0) + n

    def hit(self) -> bool:
        return self.rate > 0 and self.rng.random() < self.rate

    # -- all ---------------------------------------------------------------------

    def run(self, out: Path) -> GenerateStats:
        self.plan_contract()
        self.plan_staff()
        self.plan_participants()
        self.plan_refs()
        self.plan_availability()
        self.plan_courses()
        self.schedule()
        self.plant_services()
        size = self.write(out)
        self.check_ref_gaps()
        return GenerateStats(contracts=1, participants=len(self.parts), staff=len(self.staff),
                             services=self.n_services, bytes=size, planted=dict(self.planted),
                             bundles=[str(out)])


# --- API ------------------------------------------------------------------------------

def _no_gc(fn):
    """Run without the cyclic garbage collector: the records hold no reference cycles, and
    rescanning hundreds of thousands of live lists again and again costs a fifth of the time."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
    return wrapper


@_no_gc
def generate_contract(out_dir: Path, index: int, participants_per_contract: int, seed: int,
                      violations: float = 0.0, services_per_participant: float | None = None) -> GenerateStats:
    """Write bundle ``out_dir/contract-{index:04d}`` (index from 1); independent of every other contract."""
    spp = DEFAULT_SERVICES_PER_PARTICIPANT if services_per_participant is None else services_per_participant
    gen = ContractGenerator(index, seed, participants_per_contract, spp, violations)
    return gen.run(Path(out_dir) / f"contract-{index:04d}")


def generate(out_dir: Path, contracts: int, participants_per_contract: int, seed: int, violations: float = 0.0,
             services_per_participant: int | None = None) -> GenerateStats:
    """Write ``contracts`` bundles into ``out_dir``; deterministic for ``seed``."""
    if not 0.0 <= violations <= 1.0:
        raise ValueError("violations must be a rate between 0 and 1")
    started = _time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stats = GenerateStats()
    for i in range(1, contracts + 1):
        stats.add(generate_contract(out_dir, i, participants_per_contract, seed, violations, services_per_participant))
    stats.seconds = _time.perf_counter() - started
    return stats
