"""The services of one synthetic contract: availability, SFU/SP courses and one-to-one sessions on a
slot grid that never double-books a staff member or a participant."""
from __future__ import annotations

from itertools import compress
from typing import Optional

from synth.cohort import and_bytes, slot_grid
from synth.constants import AFTERNOON, NSLOT, ONE_TO_ONE_DRAW, SFU_MODES, SFU_TIMES, SPG_TIMES, SP_MODES
from synth.records import Course, KEY_SHIFT, Staff


class ServiceScheduler:
    """Part of ContractGenerator (synth/generate.py): the sessions on the slot grid."""

    # -- availability -----------------------------------------------------------

    def plan_availability(self) -> None:
        rng = self.rng
        sp = [s.idx for s in self.staff if s.role == "SP"]
        for p in self.parts:
            avail = bytearray(self.ndays)
            spans = []
            if p.vp is not None:
                spans.append((p.vp[0], min(p.vp[1], self.cutoff)))
            if p.bp_from is not None:
                spans.append((p.bp_from, self.bp_last(p)))
            for a, b in spans:
                avail[a:b + 1] = b"\x01" * (b - a + 1)
            for a, b, _, _ in p.susp:
                avail[a:b + 1] = bytes(b - a + 1)
            p.active_days = avail.count(1)
            open_days = and_bytes(avail, self.workday_b)
            p.days = list(compress(range(self.ndays), open_days))
            p.busy = slot_grid(open_days)
            p.sp_staff = rng.choice(sp)

    # -- groups ----------------------------------------------------------------

    def plan_courses(self) -> None:
        rng = self.rng
        self.courses: list[Course] = []
        lk = [s for s in self.staff if s.role == "LK"]
        sp = [s for s in self.staff if s.role == "SP"]
        for pi, p in enumerate(self.parts):
            spans = []
            if p.vp is not None:  # a course stays inside one Vorphase
                end = next(self.day_index(e) for s, e in self.pre_phases if self.day_index(s) <= p.vp[0] <= self.day_index(e))
                spans.append(("VP", p.vp[0], min(p.vp[1], end, self.cutoff)))
            if p.bp_from is not None and p.bp_from <= self.cutoff:
                spans.append(("BP", p.bp_from, self.bp_last(p)))
            for phase, a, b in spans:
                if b - a < 28:
                    continue
                joined = set()
                for element, chance, pool in (("SFU", 0.55 if phase == "BP" else 0.4, lk), ("SP", 0.25, sp)):
                    if rng.random() >= chance:
                        continue
                    f = a + rng.randint(0, min(60, (b - a) // 3))
                    t = b if rng.random() < 0.6 else rng.randint(f + (b - f) // 2, b)
                    self.join_course(element, phase, pi, f, t, pool, joined)

    def join_course(self, element: str, phase: str, pi: int, f: int, t: int, pool: list[Staff], joined: set) -> None:
        wa, wb = f // 7, t // 7
        for c in self.courses:
            if (c.element == element and c.phase == phase and c.first <= f and t <= c.last
                    and (c.weekday, c.slot) not in joined and max(c.weeks[wa:wb + 1]) < c.cap):
                break
        else:
            c = self.new_course(element, phase, pool, f, t, joined)
            if c is None:
                return
        for w in range(wa, wb + 1):
            c.weeks[w] += 1
        c.members.append((f, t, pi))
        joined.add((c.weekday, c.slot))

    def new_course(self, element, phase, pool, f, t, joined) -> Optional[Course]:
        rng = self.rng
        if phase == "VP":
            pp = next(((self.day_index(a), self.day_index(b)) for a, b in self.pre_phases if self.day_index(a) <= f <= self.day_index(b)), None)
            if pp is None:
                return None
            first, last = pp
        else:
            first, last = self.bp, self.cutoff
        for s in rng.sample(pool, len(pool)):
            if not (s.employed(f) and (s.emp_to is None or s.emp_to >= last)):
                continue
            options = [(wd, slot) for wd in s.weekdays for slot in AFTERNOON
                       if (wd, slot) not in s.courses and (wd, slot) not in joined]
            if not options:
                continue
            wd, slot = rng.choice(options)
            s.courses.add((wd, slot))
            cap = rng.randint(max(2, self.limit - 3), self.limit)
            c = Course(element, phase, s.idx, wd, slot, first, last, 7 if element == "SFU" else 14, cap,
                        bytearray(last // 7 + 2))
            self.courses.append(c)
            return c
        return None

    # -- services ---------------------------------------------------------------

    def schedule(self) -> None:
        rng = self.rng
        services: list[list] = []
        self.services = services
        seq = 0
        parts, staff = self.parts, self.staff
        # group sessions first: fixed weekly (SFU) or fortnightly (SP) meetings
        for c in self.courses:
            sb = staff[c.staff].busy
            d = c.first + (c.weekday - self.weekday[c.first]) % 7
            times = SFU_TIMES if c.element == "SFU" else SPG_TIMES
            modes = SFU_MODES if c.element == "SFU" else SP_MODES
            minimum = 1 if c.element == "SFU" else 2
            while d <= c.last:
                pos = d * NSLOT + c.slot
                if not sb[pos]:
                    present = [pi for a, b, pi in c.members if a <= d <= b and not parts[pi].busy[pos]]
                    if len(present) >= minimum:
                        sb[pos] = 1
                        share = 1.0 / len(present)
                        for pi in present:
                            parts[pi].busy[pos] = 1
                            parts[pi].group_share += share
                        off, mins = rng.choice(times)
                        seq += 1
                        services.append([(pos << KEY_SHIFT) | seq, d, c.slot, off, mins, c.element, c.phase, c.staff,
                                         "|".join(parts[pi].pid for pi in present), rng.choice(modes),
                                         "present", None, ""])
                d += c.every
        # one-to-one sessions: AB with the reference person, SP with the participant's social pedagogue
        sp_pool = [s.idx for s in staff if s.role == "SP"]
        n_sp_pool = len(sp_pool)
        orders = ((4, 5, 6, 7, 3, 2, 1, 0), (5, 6, 7, 4, 3, 2, 1, 0), (6, 7, 5, 4, 3, 2, 1, 0),
                  (2, 3, 1, 4, 5, 0, 6, 7), (1, 2, 3, 0, 4, 5, 6, 7))
        n_draw = len(ONE_TO_ONE_DRAW)
        spp = self.spp
        random_ = rng.random
        append = services.append
        busy = [s.busy for s in staff]
        for p in parts:
            days = p.days
            if not days:
                continue
            target = spp * p.active_days / 365.25 - p.group_share
            n = int(target) + (1 if random_() < target - int(target) else 0)
            if n <= 0:
                continue
            nd = len(days)
            step = nd / n
            pb = p.busy
            pid = p.pid
            vp_end = p.vp[1] if p.vp is not None else -1
            refs = p.refs
            one = refs[0] if len(refs) == 1 else None  # the usual case: one reference person throughout
            order = orders[int(random_() * 5)]  # the participant's usual times of day
            for k in range(n):
                j = int((k + random_()) * step)
                el, off, mins, mode, att = ONE_TO_ONE_DRAW[int(random_() * n_draw)]
                for attempt in range(4):  # the drawn day, else the next ones
                    if j >= nd:
                        break
                    d = days[j]
                    j += 1
                    if el == "AB":
                        if one is not None and one[0] <= d and (one[1] is None or d <= one[1]):
                            st = one[2]
                        else:
                            st = p.ref_on(d)
                            if st < 0:
                                continue
                    else:
                        st = p.sp_staff if attempt < 2 else sp_pool[int(random_() * n_sp_pool)]
                    sb = busy[st]
                    base = d * NSLOT
                    for s in order:
                        pos = base + s
                        if not sb[pos] and not pb[pos]:
                            sb[pos] = 1
                            pb[pos] = 1
                            seq += 1
                            append([(pos << KEY_SHIFT) | seq, d, s, off, mins, el,
                                    "VP" if d <= vp_end else "BP", st, pid, mode, att, None, ""])
                            break
                    else:
                        continue
                    break
        self.seq = seq
