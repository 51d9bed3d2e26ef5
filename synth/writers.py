"""Writers of a synthetic bundle: the CSV dialects (plain, German spreadsheet), the column lists of
the data contract, the tables, contract.yaml and invoice.yaml. fixtures/make_fixtures.py uses them too."""
from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from fractions import Fraction
from operator import itemgetter
from pathlib import Path
from typing import Optional

from engine.dates import period_end
from engine.ledger import ZERO, to_decimal, to_fraction, year_figures
from engine.rules import ledger_defaults
from synth.constants import ATTENDANCES_ALL, DAY, NSLOT, SLOT_MINUTES
from synth.records import S_DAY, S_KEY, S_MIN, S_PH, S_PLANTED

STAFF_COLUMNS = ("staff_id", "role", "employment", "employer_id", "employed_from", "employed_to", "fte",
                 "qualifications", "youth_experience_months", "equivalence_ref")
PARTICIPANT_COLUMNS = ("participant_id", "phase", "from", "to", "training_start", "training_end")
PARTICIPANT_COLUMNS_V11 = PARTICIPANT_COLUMNS + ("training_completed_on", "employment_start", "extension_reason")
REFPERSON_COLUMNS = ("participant_id", "staff_id", "from", "to", "change_reason")
SUSPENSION_COLUMNS = ("participant_id", "from", "to", "reason")
SERVICE_COLUMNS = ("service_id", "date", "start", "minutes", "element", "phase", "staff_id", "participant_ids", "mode")
SERVICE_COLUMNS_V11 = SERVICE_COLUMNS + ("attendance",)


class Raw(str):
    """A cell written verbatim in every dialect (fixtures plant bad input with it)."""


class Dialect:
    """How a bundle's files spell values: plain (``,``, UTF-8, ISO dates) or the German spreadsheet
    dialect (``;``, Windows-1252, TT.MM.JJJJ, H:MM, decimal comma, CRLF)."""

    def __init__(self, german: bool, bom: bool = False):
        self.german = german
        self.sep = ";" if german else ","
        self.nl = "\r\n" if german else "\n"
        self.encoding = "cp1252" if german else ("utf-8-sig" if bom else "utf-8")

    def date(self, d: date) -> str:
        return f"{d.day:02d}.{d.month:02d}.{d.year:04d}" if self.german else d.isoformat()

    def time(self, minutes: int) -> str:
        h, m = divmod(minutes, 60)
        return f"{h}:{m:02d}" if self.german else f"{h:02d}:{m:02d}"

    def dec(self, text: str) -> str:
        return text.replace(".", ",") if self.german else text

    def cell(self, v) -> str:
        """A value of any type as the text of one CSV cell (lists joined with ``|``)."""
        if v is None:
            return ""
        if isinstance(v, Raw):
            return str(v)
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, date):
            return self.date(v)
        if isinstance(v, time):
            return self.time(v.hour * 60 + v.minute)
        if isinstance(v, Decimal):
            return self.dec(str(v))
        if isinstance(v, (list, tuple)):
            return "|".join(self.cell(x) for x in v)
        return str(v)

    def yaml_date(self, d: date) -> str:
        return f'"{self.date(d)}"' if self.german else d.isoformat()

    def yaml_number(self, v) -> str:
        """A decimal (Decimal or its text) for YAML: quoted with a decimal comma in the German dialect."""
        text = str(v)
        if self.german and isinstance(v, (Decimal, str)) and not isinstance(v, Raw) and "." in text:
            return f'"{self.dec(text)}"'
        return text


def csv_line(cells, sep: str) -> str:
    """One CSV line (no line end); a cell holding the delimiter, a quote or a line break is quoted."""
    return sep.join('"' + c.replace('"', '""') + '"' if (sep in c or '"' in c or "\n" in c or "\r" in c) else c
                    for c in cells)


class BundleWriter:
    """Part of ContractGenerator (synth/generate.py): the files of the bundle."""

    # -- writing ------------------------------------------------------------------

    def write(self, out: Path) -> int:
        out.mkdir(parents=True, exist_ok=True)
        written = 0
        written += self.write_services(out / "services.csv")
        written += self.write_table(out / "staff.csv", STAFF_COLUMNS, self.staff_rows())
        cols = PARTICIPANT_COLUMNS_V11 if self.v11 else PARTICIPANT_COLUMNS
        written += self.write_table(out / "participants.csv", cols, self.participant_rows())
        written += self.write_table(out / "reference_persons.csv", REFPERSON_COLUMNS, self.ref_rows())
        written += self.write_table(out / "suspensions.csv", SUSPENSION_COLUMNS, self.suspension_rows())
        written += self.write_text(out / "contract.yaml", self.contract_yaml())
        invoice = self.invoice_yaml()
        inv_path = out / "invoice.yaml"
        if invoice is None:
            if inv_path.exists():
                inv_path.unlink()
        else:
            written += self.write_text(inv_path, invoice)
        return written

    def write_text(self, path: Path, text: str) -> int:
        data = text.encode("utf-8")
        path.write_bytes(data)
        return len(data)

    def write_table(self, path: Path, columns, rows) -> int:
        """A small table; free text (reasons, references) is quoted when it holds the delimiter."""
        d = self.dialect
        text = csv_line(columns, d.sep) + d.nl + "".join(csv_line(r, d.sep) + d.nl for r in rows)
        data = text.encode(d.encoding)
        path.write_bytes(data)
        return len(data)

    def staff_rows(self):
        for s in self.staff:
            yield (s.sid, s.role, s.employment, s.employer, self.date_text(s.emp_from), self.date_text(s.emp_to),
                   self.dialect.dec(s.fte), s.quals, str(s.youth), s.eq_ref)

    def participant_rows(self):
        f = self.date_text
        for p in self.parts:
            if p.vp is not None:
                row = [p.pid, "VP", f(p.vp[0]), f(p.vp[1]), "", ""]
                if self.v11:
                    row += ["", "", p.extension_reason]
                yield row
            if p.bp_from is not None:
                row = [p.pid, "BP", f(p.bp_from), f(p.bp_to), f(p.training_start), f(p.training_end)]
                if self.v11:
                    row += [f(p.completed), f(p.employment_start), ""]
                yield row

    def ref_rows(self):
        for p in self.parts:
            for a, b, s, reason in p.refs:
                yield (p.pid, self.staff[s].sid, self.date_text(a), self.date_text(b), reason)

    def suspension_rows(self):
        for p in self.parts:
            for a, b, reason, _ in p.susp:
                yield (p.pid, self.date_text(a), self.date_text(b), reason)

    def write_services(self, path: Path) -> int:
        d = self.dialect
        sep, nl = d.sep, d.nl
        cols = SERVICE_COLUMNS_V11 if self.v11 else SERVICE_COLUMNS
        services = self.services
        services.sort(key=itemgetter(S_KEY))
        times = [[d.time(SLOT_MINUTES[s] + off) for off in range(0, 90, 15)] for s in range(NSLOT)]
        ds = self.date_str
        sids = [s.sid for s in self.staff]
        prefix = f"S-{self.tag}-"
        tails = {a: (f"{sep}{a}{nl}" if self.v11 else nl) for a in ("present",) + ATTENDANCES_ALL}

        def bad_row(k: int, s: list) -> str:
            _k, day, slot, off, mins, el, ph, st, pids, mode, att, bad, _p = s
            cells = dict(zip(cols, (f"{prefix}{k:07d}", ds[day], times[slot][off // 15], str(mins), el, ph,
                                    sids[st], pids, mode, att)))
            cells[bad[0]] = bad[1]
            return sep.join(cells[c] for c in cols) + nl

        total = 0
        batch = 20000
        with open(path, "wb") as fh:
            data = (sep.join(cols) + nl).encode(d.encoding)
            fh.write(data)
            total += len(data)
            for first in range(0, len(services), batch):
                rows = [
                    f"{prefix}{k:07d}{sep}{ds[day]}{sep}{times[slot][off // 15]}{sep}{mins}{sep}{el}{sep}{ph}{sep}"
                    f"{sids[st]}{sep}{pids}{sep}{mode}{tails[att]}"
                    if bad is None else bad_row(k, svc)
                    for k, svc in enumerate(services[first:first + batch], first + 1)
                    for _k, day, slot, off, mins, el, ph, st, pids, mode, att, bad, _p in (svc,)
                ]
                data = "".join(rows).encode(d.encoding)
                fh.write(data)
                total += len(data)
        # documented minutes per day (accompanying phase); "clean" leaves out planted sessions
        year_minutes = [0] * self.ndays
        clean_minutes = [0] * self.ndays
        for svc in services:
            if svc[S_PH] == "BP":
                year_minutes[svc[S_DAY]] += svc[S_MIN]
                if not svc[S_PLANTED]:
                    clean_minutes[svc[S_DAY]] += svc[S_MIN]
        self.year_minutes, self.clean_minutes = year_minutes, clean_minutes
        self.n_services = len(services)
        self.last_day = services[-1][S_DAY] if services else self.bp
        return total

    # -- contract.yaml / invoice.yaml ------------------------------------------------

    def contingent_years(self) -> list[tuple[int, date, date]]:
        years = 3 + (0 if self.extension is None else round(((self.extension[1] - self.extension[0]).days + 1) / 365))
        out = []
        start = self.bp_start
        for y in range(years):
            end = period_end(start, 12)
            out.append((y + 1, start, end))
            start = end + DAY
        return out

    def year_hours(self, minutes_by_day: list[int], start: date, end: date) -> Fraction:
        a, b = max(0, self.day_index(start)), self.day_index(end)
        return Fraction(sum(minutes_by_day[a:b + 1]), 60)

    def contract_yaml(self) -> str:
        rng = self.rng
        d = self.dialect
        dt, num = d.yaml_date, d.yaml_number
        share = ledger_defaults()["minimum_share"]

        years = self.contingent_years()
        documented = [self.year_hours(self.year_minutes, s, e) for _, s, e in years]
        top = max(documented) if documented else Fraction(0)
        if top == 0:
            top = Fraction(self.n_participants * 40)
        self.contingents = []
        for (y, s, e), h in zip(years, documented):
            base = max(h, top if h == 0 or e > self.cutoff_date else h)
            hours = max(100, int(base * Fraction(rng.randint(108, 135), 100) / 50 + 1) * 50)
            self.contingents.append((y, s, e, hours))
        names = ("Bildungswerk", "Jugendberufshilfe", "Ausbildungsverbund", "Berufsbildungszentrum", "Lernwerkstatt")
        towns = ("Nord", "Süd", "Ost", "West", "Mitte", "am Main", "an der Ruhr")
        lines = [
            f'contract_id: "{self.contract_id}"',
            f'provider_id: "{self.provider}"',
            f'provider_name: "{rng.choice(names)} {rng.choice(towns)} {self.tag} gGmbH"',
            f'agency: "Agentur für Arbeit {self.tag}"',
        ]
        if self.pre_phases:
            lines.append("pre_phases:")
            for (start, end), places in zip(self.pre_phases, self.places or [0] * len(self.pre_phases)):
                lines += [
                    f"  - start: {dt(start)}",
                    f"    end: {dt(end)}",
                    f"    places: {places}",
                    f"    price_per_place_month: {num(rng.choice(('455.00', '480.00', '512.50', '530.00')))}",
                    "    staffing:",
                ] + [f"      {role}: {ratio}" for role, ratio in getattr(self, "staffing", {"AB": 12, "SP": 24,
                                                                                             "LK": 24}).items()]
        lines += [
            "accompanying_phase:",
            f"  start: {dt(self.bp_start)}",
            f"  end: {dt(self.bp_end)}",
        ]
        if self.extension:
            lines += ["  extension:", f"    start: {dt(self.extension[0])}", f"    end: {dt(self.extension[1])}"]
        lines += [
            f"  price_per_hour: {num(self.price)}",
            f"  minimum_share: {num(f'{share:.2f}')}",
            "  contingents:",
        ]
        for y, s, e, h in self.contingents:
            lines.append(f"    - {{year: {y}, start: {dt(s)}, end: {dt(e)}, hours: {h}}}")
        lines.append("parameters: {}")
        return "\n".join(lines) + "\n"

    def invoice_yaml(self) -> Optional[str]:
        """Year-1 claim with the figures the ledger computes (planted services not billed)."""
        y, s, e, hours = self.contingents[0]
        if self.last_day < self.day_index(e) or self.rng.random() >= 0.5:
            return None
        billed = self.year_hours(self.clean_minutes, s, e)
        share = to_fraction(ledger_defaults()["minimum_share"])
        year = year_figures(Fraction(hours), ZERO, billed, share, is_last=len(self.contingents) == 1)
        settlement = year.settlement_hours * Fraction(Decimal(self.price))
        num = self.dialect.yaml_number
        return "\n".join([
            f"contract_year: {y}",
            f"billed_hours: {num(to_decimal(year.payable))}",
            "carry_in_hours: 0",
            f"carry_out_hours: {num(to_decimal(year.carry_out))}",
            f"settlement_amount: {num(to_decimal(settlement))}",
        ]) + "\n"
