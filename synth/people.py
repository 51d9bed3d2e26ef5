"""Staff, participants, suspensions and reference persons of one synthetic contract."""
from __future__ import annotations

from datetime import date, timedelta

from engine.dates import months_after, period_end
from synth.cohort import and_bytes, slot_grid
from synth.constants import (
    AB_SOCIAL, AB_TRADE, BAD_SUSPENSION_REASONS, EXTENSION_REASONS, R_REFPERSON_MISSING, R_STAFF_EMPLOYMENT,
    R_STAFF_QUALIFICATION, R_SUSPENSION_LENGTH, R_SUSPENSION_REASON, SUSPENSION_REASONS,
)
from synth.records import Participant, Staff


class PeoplePlanner:
    """Part of ContractGenerator (synth/generate.py): who works and who takes part, when."""

    def plan_staff(self) -> None:
        rng, P = self.rng, self.n_participants
        n_ab = max(2, round(P / 17))
        n_sp = max(1, round(P / 45))
        n_lk = max(1, round(P / 35))
        staff: list[Staff] = []

        def hired() -> int:
            return -rng.randint(20, 2600)

        def weekdays(fte: float) -> tuple[int, ...]:
            n = max(2, min(5, round(fte * 5)))
            return tuple(sorted(rng.sample(range(5), n)))

        for _ in range(n_ab):
            fte = rng.choice((1.0, 1.0, 1.0, 0.75, 0.8, 0.5))
            quals, youth, ref = self.ab_qualification()
            staff.append(Staff(0, "AB", "employee", self.provider, hired(), None, fte_text(fte), quals, youth, ref,
                                weekdays(fte)))
        for _ in range(n_sp):
            fte = rng.choice((1.0, 1.0, 0.75, 0.5))
            quals = rng.choice(("studium_soziale_arbeit",) * 4 + ("studium_heilpaedagogik", "studium_sonderpaedagogik"))
            staff.append(Staff(0, "SP", "employee", self.provider, hired(), None, fte_text(fte), quals,
                                rng.randint(12, 240), "", weekdays(fte)))
        for k in range(n_lk):
            fte = rng.choice((0.25, 0.3, 0.5, 0.5, 0.75, 1.0))
            # the first four LK posts take each employment kind once (starting at a different kind per contract)
            emp = ("employee", "freelance", "subcontractor", "agency")[(k + self.index) % 4] if k < 4 else rng.choices(
                ("employee", "freelance", "subcontractor", "agency"), weights=(5, 3, 1, 1))[0]
            quals = rng.choice(("lehramt", "lehramt", "meister|aevo", "studium_vergleichbar", "techniker|aevo"))
            ref = f"GWB-{rng.randint(2010, 2020)}-{rng.randint(1, 9999):04d}" if quals == "studium_vergleichbar" else ""
            staff.append(Staff(0, "LK", emp, "", hired(), None, fte_text(fte), quals, rng.randint(0, 200), ref,
                                weekdays(fte)))
        rng.shuffle(staff)
        # AB staff leaving during the accompanying phase, each replaced by a new AB
        if self.cutoff - self.bp >= 240:
            for s in [s for s in staff if s.role == "AB"]:
                if rng.random() < 0.15:
                    leave = rng.randint(self.bp + 60, self.cutoff - 30)
                    s.emp_to = leave
                    fte = rng.choice((1.0, 0.75, 0.8))
                    quals, youth, ref = self.ab_qualification()
                    new = Staff(0, "AB", "employee", self.provider, leave - rng.randint(0, 21), None, fte_text(fte),
                                 quals, youth, ref, weekdays(fte))
                    staff.append(new)
                    s.replaced_by = len(staff) - 1
        for i, s in enumerate(staff):
            s.idx = i
            s.sid = f"M-{self.tag}-{i + 1:02d}"
            if s.role == "LK":
                s.employer = {"employee": self.provider, "freelance": s.sid,
                              "subcontractor": f"T-9{rng.randint(100, 999)}",
                              "agency": f"ZA-{rng.randint(10, 99)}"}[s.employment]
        if self.dialect.german:  # one comparable degree with a German reference: Windows-1252 bytes
            ab = next(s for s in staff if s.role == "AB")
            ab.quals = "studium_vergleichbar"
            ab.eq_ref = f"Gleichwertigkeitsprüfung Nr. {rng.randint(10, 999)}/{rng.randint(2012, 2020)}"
        self.staff = staff
        self.plant_staff()
        n = self.ndays
        for s in staff:  # slot grid: 0 = free, 1 = not working or booked
            works = bytearray(n)
            for wd in s.weekdays:
                first = (wd - self.weekday[0]) % 7
                works[first::7] = b"\x01" * len(range(first, n, 7))
            lo, hi = max(0, s.emp_from), self.cutoff if s.emp_to is None else min(s.emp_to, self.cutoff)
            works[:lo] = bytes(min(lo, n))
            if hi + 1 < n:
                works[hi + 1:] = bytes(n - hi - 1)
            s.busy = slot_grid(and_bytes(works, self.workday_b))

    def ab_qualification(self) -> tuple[str, int, str]:
        rng = self.rng
        path = rng.choices(("trade", "social", "comparable"), weights=(45, 40, 15))[0]
        if path == "trade":
            return f"{rng.choice(AB_TRADE)}|aevo", rng.randint(24, 240), ""
        if path == "social":
            q = rng.choice(AB_SOCIAL)
            return (q + "|aevo" if rng.random() < 0.2 else q), rng.randint(0, 180), ""
        return "studium_vergleichbar", rng.randint(6, 120), f"GWB-{rng.randint(2008, 2020)}-{rng.randint(1, 9999):04d}"

    def plant_staff(self) -> None:
        rng = self.rng
        for s in self.staff:
            if s.role not in ("AB", "SP") or not self.hit():
                continue
            if s.role == "AB" and rng.random() < 0.5:
                s.eq_ref = ""
                s.quals, s.youth = rng.choice((
                    (f"{rng.choice(AB_TRADE)}", rng.randint(24, 200)),  # no aevo
                    (f"{rng.choice(AB_TRADE)}|aevo", rng.randint(0, 11)),  # too little experience
                    ("aevo", rng.randint(24, 200)),  # aevo alone
                    ("studium_vergleichbar", rng.randint(12, 100)),  # no equivalence reference
                    ("", rng.randint(0, 60)),
                ))
                self.plant(R_STAFF_QUALIFICATION)
            else:
                s.employment, s.employer = rng.choice((
                    ("freelance", s.sid), ("agency", f"ZA-{rng.randint(10, 99)}"),
                    ("subcontractor", f"T-9{rng.randint(100, 999)}"), ("employee", f"T-8{rng.randint(100, 999)}"),
                ))
                self.plant(R_STAFF_EMPLOYMENT)

    # -- participants ------------------------------------------------------------

    def plan_participants(self) -> None:
        rng, P = self.rng, self.n_participants
        parts: list[Participant] = []
        n_vp_total = round(P * 0.22) if self.pre_phases else 0
        self.places = []
        if n_vp_total:
            capacity = {}
            self.staffing = {"AB": rng.choice((12, 12, 10, 15)), "SP": rng.choice((24, 24, 20)),
                             "LK": rng.choice((24, 24, 30))}
            for role, ratio in self.staffing.items():
                fte = sum(float(s.fte) for s in self.staff if s.role == role and s.emp_from <= 0)
                capacity[role] = int(fte * ratio + 1e-9)
            cap = max(1, min(capacity.values()))
            per_vp = [n_vp_total // len(self.pre_phases) + (1 if k < n_vp_total % len(self.pre_phases) else 0)
                      for k in range(len(self.pre_phases))]
            carried = 0  # Vorphase participants continued (7-8 months) into the next Vorphase
            for k, (start, end) in enumerate(self.pre_phases):
                places = min(cap, max(per_vp[k] + carried + rng.randint(0, 6), rng.randint(8, 24)))
                self.places.append(places)
                a, b = self.day_index(start), self.day_index(end)
                last_vp = k == len(self.pre_phases) - 1
                n_new = max(0, min(per_vp[k], places - carried))
                carried = 0
                for _ in range(n_new):
                    f = a + rng.randint(0, min(75, b - a - 50))
                    t = b if rng.random() < 0.6 else rng.randint(f + 45, b)
                    p = Participant(key=f + rng.random(), vp=(f, t))
                    if not last_vp and self.v11 and rng.random() < 0.15:
                        # continuation beyond six months, documented in extension_reason (v1.1 bundles)
                        t = self.day_index(period_end(self.date_of(f), rng.choice((7, 8)))) - rng.randint(0, 20)
                        p.vp = (f, t)
                        p.extension_reason = rng.choice(EXTENSION_REASONS)
                        carried += 1
                    elif rng.random() < (0.7 if last_vp else 0.45):
                        self.plan_bp(p, self.bp + (0 if rng.random() < 0.6 else rng.randint(0, 30)))
                    parts.append(p)
        span = max(1, self.cutoff - 45 - self.bp)
        while len(parts) < P:
            f = self.bp + (rng.randint(0, 45) if rng.random() < 0.35 else rng.randint(0, span))
            p = Participant(key=f + rng.random())
            self.plan_bp(p, min(f, self.cutoff - 20))
            parts.append(p)
        parts.sort(key=lambda p: p.key)
        for n, p in enumerate(parts, 1):
            p.pid = f"TN-{self.tag}-{n:05d}"
        self.parts = parts
        self.plan_suspensions()

    def plan_bp(self, p: Participant, f: int) -> None:
        rng = self.rng
        p.bp_from = f
        fd = self.date_of(f)
        year = fd.year if fd >= date(fd.year, 8, 1) else fd.year - 1
        month = rng.choice((8, 8, 9))
        length = rng.choices((36, 42, 24), weights=(6, 2, 2))[0]
        for back in (rng.choices((0, 1, 2), weights=(5, 3, 2))[0], 0, -1):
            ts = date(year - back, month, 1)
            if ts > fd:
                ts = date(year - back - 1, month, 1)
            te = period_end(ts, length)
            if te >= fd + timedelta(days=150):
                break
        p.training_start, p.training_end = self.day_index(ts), self.day_index(te)
        if p.training_end <= self.cutoff - 10 and rng.random() < 0.85:
            completed = max(f + 30, p.training_end - rng.randint(0, 45))
            p.completed = completed
            if rng.random() < 0.7:
                es = completed + rng.randint(1, 30)
                p.employment_start = es
                limit = min(self.day_index(period_end(self.date_of(es), 6)), self.day_index(months_after(self.date_of(completed), 12)))
                p.bp_to = min(self.day_index(period_end(self.date_of(es), rng.randint(1, 6))), limit)
            else:
                limit = self.day_index(months_after(self.date_of(completed), 12))
                p.bp_to = min(completed + rng.randint(0, 60), limit)
            p.aftercare_limit = limit
        elif rng.random() < 0.15:
            t = f + rng.randint(60, 540)
            p.bp_to = t if t <= self.cutoff - 5 and t < p.training_end else None
        if p.bp_to is not None and p.bp_to < f + 14:
            p.bp_to = f + 14

    def bp_last(self, p: Participant) -> int:
        """Last day of the BP participation inside the window."""
        return self.cutoff if p.bp_to is None else min(p.bp_to, self.cutoff)

    def plan_suspensions(self) -> None:
        rng = self.rng
        for p in self.parts:
            if p.bp_from is None:
                continue
            a, b = p.bp_from, self.bp_last(p)
            if b - a < 240 or rng.random() >= 0.08:
                continue
            start = rng.randint(a + 45, b - 120)
            rule = ""
            if self.hit():
                if rng.random() < 0.5 and self.day_index(period_end(self.date_of(start), 10)) < b - 14:
                    rule = R_SUSPENSION_LENGTH
                else:
                    rule = R_SUSPENSION_REASON
            months = rng.randint(7, 9) if rule == R_SUSPENSION_LENGTH else rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6))
            end = self.day_index(period_end(self.date_of(start), months))
            if rule != R_SUSPENSION_LENGTH:
                end -= rng.randint(0, 15)
            while end > b - 14 and months > 1:
                months -= 1
                end = self.day_index(period_end(self.date_of(start), months))
            if end > b - 14 or end < start:
                continue
            reasons = BAD_SUSPENSION_REASONS if rule == R_SUSPENSION_REASON else SUSPENSION_REASONS
            reason = rng.choice(reasons)
            p.susp.append([start, end, reason, rule])
            if rule:
                self.plant(rule)

    # -- reference persons -----------------------------------------------------

    def plan_refs(self) -> None:
        rng = self.rng
        ab = [s for s in self.staff if s.role == "AB"]

        def pick(d: int, exclude: int = -1) -> int:
            ok = [s for s in ab if s.employed(d) and s.idx != exclude and (s.emp_to is None or s.emp_to >= d + 20)]
            if not ok:
                ok = [s for s in ab if s.employed(d) and s.idx != exclude] or [s for s in ab if s.employed(d)]
            best = min(ok, key=lambda s: (s.load, s.idx))
            best.load += 1
            return best.idx

        for p in self.parts:
            segments = []
            if p.vp is not None:
                segments.append([p.vp[0], p.vp[1]])
            if p.bp_from is not None:
                if segments and p.bp_from == segments[-1][1] + 1:
                    segments[-1][1] = p.bp_to
                else:
                    segments.append([p.bp_from, p.bp_to])
            request = None
            if p.bp_from is not None and self.bp_last(p) - p.bp_from > 150 and rng.random() < 0.06:
                request = rng.randint(p.bp_from + 40, self.bp_last(p) - 40)
            cur = -1
            for a, b in segments:
                reason = ""
                if cur < 0:
                    cur = pick(a)
                elif not self.staff[cur].employed(a):
                    cur, reason = self.successor(cur, a, pick), "staff_left"
                t = a
                while True:
                    s = self.staff[cur]
                    stop, why = None, ""
                    if s.emp_to is not None and (b is None or s.emp_to < b):
                        stop, why = s.emp_to, "staff_left"
                    if request is not None and t < request and (b is None or request <= b) and (
                            stop is None or request - 1 < stop):
                        stop, why = request - 1, "participant_request"
                    if stop is None or stop >= self.cutoff and b is None:
                        p.refs.append([t, b, cur, reason])
                        break
                    p.refs.append([t, stop, cur, reason])
                    t = stop + 1
                    if why == "participant_request":
                        request = None
                        cur = pick(t, exclude=cur)
                    else:
                        cur = self.successor(cur, t, pick)
                    reason = why
        self.plant_ref_gaps()

    def successor(self, cur: int, d: int, pick) -> int:
        nxt = self.staff[cur].replaced_by
        if nxt is not None and self.staff[nxt].employed(d):
            self.staff[nxt].load += 1
            return nxt
        return pick(d, exclude=cur)

    def plant_ref_gaps(self) -> None:
        rng = self.rng
        for p in self.parts:
            if p.bp_from is None or not self.hit():
                continue
            a, b = p.bp_from, self.bp_last(p)
            if b - a < 40:
                continue
            g = rng.randint(1, min(30, (b - a) // 3))
            d = rng.randint(a, a + (b - a) // 2 - g)
            for k, (ra, rb, s, reason) in enumerate(p.refs):
                if ra <= d and (rb is None or d + g - 1 <= rb):
                    rest = [d + g, rb, s, ""] if rb is None or d + g <= rb else None
                    if d == ra:
                        p.refs[k:k + 1] = [[d + g, rb, s, reason]] if rest else []
                    else:
                        p.refs[k:k + 1] = [[ra, d - 1, s, reason]] + ([rest] if rest else [])
                    p.ref_gap = (d, d + g - 1)
                    self.plant(R_REFPERSON_MISSING)
                    break

    def check_ref_gaps(self) -> None:
        """A gap after the last service day is not visible to the checker: do not count it."""
        for p in self.parts:
            if p.ref_gap is not None and p.ref_gap[0] > min(self.bp_last(p), self.last_day):
                self.planted[R_REFPERSON_MISSING] -= 1
        if self.planted.get(R_REFPERSON_MISSING) == 0:
            del self.planted[R_REFPERSON_MISSING]


def fte_text(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != 1.0 else "1.0"
