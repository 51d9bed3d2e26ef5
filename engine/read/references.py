"""Checks across the files of a bundle: duplicate ids, unknown references, periods ending before they start."""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Mapping, Optional

from engine.read.limits import Problems
from engine.read.values import quote
from schemas.submission import InputProblem, Record, Submission

def _de_date(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def validate_references(sub: Submission, *, unread: Iterable[str] = (),
                        extra_ids: Optional[Mapping[str, Iterable[str]]] = None,
                        problems: Optional[Problems] = None) -> list[InputProblem]:
    """Duplicate ids, references to unknown staff/participants and periods that end before they start.

    ``unread``: tables (``"staff"``, ``"participants"``) that could not be read;
    references into them are not checked, since every one would be reported.
    ``extra_ids``: ids of rows that exist but were dropped for bad values
    (per table), so references to them are not reported as unknown.
    ``problems``: the bundle's list to add to (with its per-file cap); the
    problems found are returned too.
    """
    problems = Problems() if problems is None else problems
    already = len(problems)
    unread = set(unread)
    extra = {k: set(v) for k, v in (extra_ids or {}).items()}

    def duplicates(records, key, label, entity_type):
        first: dict[Any, Record] = {}
        for r in records:
            k = key(r)
            if k in first:
                shown = k if isinstance(k, str) else " / ".join(k)
                problems.add(r.loc.file, r.loc.line, label, f"{label} {quote(shown)} kommt mehrfach vor "
                             f"(zuerst in Zeile {first[k].loc.line})",
                             f"{label} {quote(shown)} appears more than once (first on line {first[k].loc.line})",
                             entity=(entity_type, k if isinstance(k, str) else k[0]))
            else:
                first[k] = r

    duplicates(sub.staff, lambda r: r.staff_id, "staff_id", "staff")
    duplicates(sub.services, lambda r: r.service_id, "service_id", "service")
    duplicates(sub.participants, lambda r: (r.participant_id, r.phase), "participant_id/phase", "participant")

    staff_ids = {s.staff_id for s in sub.staff} | extra.get("staff", set())
    participant_ids = {p.participant_id for p in sub.participants} | extra.get("participants", set())
    staff_file = sub.staff[0].loc.file if sub.staff else "staff.csv"
    participants_file = sub.participants[0].loc.file if sub.participants else "participants.csv"

    def unknown(r, column, value, known, table, target_file, entity):
        if table in unread or value in known:
            return
        problems.add(r.loc.file, r.loc.line, column, f"{column} {quote(value)} nicht in {target_file}",
                     f"{column} {quote(value)} not found in {target_file}", entity=entity)

    for s in sub.services:
        entity = ("service", s.service_id)
        unknown(s, "staff_id", s.staff_id, staff_ids, "staff", staff_file, entity)
        for pid in s.participant_ids:
            unknown(s, "participant_ids", pid, participant_ids, "participants", participants_file, entity)
    for rp in sub.reference_persons:
        entity = ("participant", rp.participant_id)
        unknown(rp, "participant_id", rp.participant_id, participant_ids, "participants", participants_file, entity)
        unknown(rp, "staff_id", rp.staff_id, staff_ids, "staff", staff_file, entity)
    for su in sub.suspensions:
        unknown(su, "participant_id", su.participant_id, participant_ids, "participants", participants_file,
                ("participant", su.participant_id))

    def period(r, start, end, column, entity):
        if start is not None and end is not None and end < start:
            problems.add(r.loc.file, r.loc.line, column,
                         f"Ende {_de_date(end)} liegt vor Beginn {_de_date(start)}",
                         f"end {end.isoformat()} is before start {start.isoformat()}", entity=entity)

    for s in sub.staff:
        period(s, s.employed_from, s.employed_to, "employed_to", ("staff", s.staff_id))
    for p in sub.participants:
        period(p, p.from_, p.to, "to", ("participant", p.participant_id))
        period(p, p.training_start, p.training_end, "training_end", ("participant", p.participant_id))
    for rp in sub.reference_persons:
        period(rp, rp.from_, rp.to, "to", ("participant", rp.participant_id))
    for su in sub.suspensions:
        period(su, su.from_, su.to, "to", ("participant", su.participant_id))
    c = sub.contract
    if c is not None:
        entity = ("contract", c.contract_id)
        for pp in c.pre_phases:
            period(pp, pp.start, pp.end, f"pre_phases[{pp.index}].end", entity)
        acc = c.accompanying_phase
        period(acc, acc.start, acc.end, "accompanying_phase.end", entity)
        for i, e in enumerate(acc.extensions, 1):
            period(e, e.start, e.end, "accompanying_phase.extension.end", entity)
        for i, ct in enumerate(acc.contingents, 1):
            period(ct, ct.start, ct.end, f"accompanying_phase.contingents[{i}].end", entity)
    return list(problems[already:])
