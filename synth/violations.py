"""Violations planted into the services of one synthetic contract, each meant to give one finding."""
from __future__ import annotations

from itertools import accumulate
from typing import Optional

from synth.constants import (
    AB_TIMES, AFTERNOON, ATTENDANCE_NOT_BILLABLE, NSLOT, R_ABSENCE, R_DOUBLE_BOOKING, R_GROUP_INDIVIDUAL,
    R_GROUP_SIZE, R_INPUT, R_SERVICE_PERIOD, R_SUSPENSION_SERVICE, SP_TIMES,
)
from synth.records import (
    KEY_SHIFT, S_ATT, S_BAD, S_DAY, S_EL, S_MIN, S_MODE, S_OFF, S_PH, S_PIDS, S_PLANTED, S_SLOT, S_STAFF,
)


class ViolationPlanter:
    """Part of ContractGenerator (synth/generate.py): planted service violations."""

    # -- planted service violations -----------------------------------------------

    def plant_services(self) -> None:
        if self.rate <= 0:
            return
        rng = self.rng
        self.pid_index = {p.pid: i for i, p in enumerate(self.parts)}
        self.ref_pool: dict[int, list[int]] = {}  # staff index -> participants it is ever reference person of
        for pi, p in enumerate(self.parts):
            for st in sorted({r[2] for r in p.refs}):
                self.ref_pool.setdefault(st, []).append(pi)
        self.suspended_cands = [(pi, a, min(b, self.cutoff)) for pi, p in enumerate(self.parts)
                                for a, b, _, _ in p.susp]
        self.after_cands = [pi for pi, p in enumerate(self.parts)
                            if p.bp_to is not None and p.bp_to < self.cutoff - 5 and p.aftercare_limit is None]
        self.leavers = [s for s in self.staff if s.role == "AB" and s.emp_to is not None and s.emp_to < self.cutoff - 3]
        # slots taken by planted sessions where the grid says "not available" (suspended, after the
        # participation, after the employment): (participant index or -1 - staff index, slot position)
        self.used: set[tuple[int, int]] = set()
        common = [("staff_overlap", 2), ("participant_overlap", 2), ("input", 1)]
        if self.suspended_cands:
            common.append(("suspended", 2))
        if self.after_cands:
            common.append(("after_end", 2))
        if self.leavers:
            common.append(("employment", 1))
        if self.v11:
            common.append(("absence", 2))
        menus = {}  # kind of service -> (planting methods, cumulative weights)
        for menu, own in (("group", [("group_size", 3)]), ("ab", [("individual", 2)]), ("other", [])):
            kinds = own + common
            menus[menu] = ([getattr(self, "plant_" + k) for k, _ in kinds], list(accumulate(w for _, w in kinds)))
        rate, random_ = self.rate, rng.random
        for svc in list(self.services):  # each scheduled session once; planted ones are appended
            if random_() >= rate:
                continue
            menu = "group" if svc[S_EL] != "AB" else "ab" if "|" not in svc[S_PIDS] else "other"
            methods, cum = menus[menu]
            first = rng.choices(methods, cum_weights=cum)[0]
            for plant in [first] + [m for m in methods if m is not first]:  # the drawn kind, else any that fits
                if plant(svc) is not False:
                    break

    def _free_participants(self, svc: list, n: int, prefer_staff: int = -1) -> list[int]:
        """Up to ``n`` participants not in ``svc``, free in its slot and in its phase that day.

        ``prefer_staff``: rather participants whose reference person that day is this staff member.
        Random probes first (cheap); a full scan only when they do not find enough.
        """
        d, ph, pos = svc[S_DAY], svc[S_PH], svc[S_DAY] * NSLOT + svc[S_SLOT]
        parts, random_ = self.parts, self.rng.random
        inside = set(svc[S_PIDS].split("|"))

        def ok(pi: int) -> bool:
            p = parts[pi]
            return not p.busy[pos] and p.pid not in inside and p.phase_on(d) == ph

        found: list[int] = []
        pools = [range(len(parts))]
        if prefer_staff >= 0:
            pools.insert(0, self.ref_pool.get(prefer_staff, ()))
        for k, pool in enumerate(pools):
            if not pool:
                continue
            for _ in range(8 * n + 8):
                pi = pool[int(random_() * len(pool))]
                if pi not in found and ok(pi) and (k or prefer_staff < 0 or parts[pi].ref_on(d) == prefer_staff):
                    found.append(pi)
                    if len(found) == n:
                        return found
        cands = [pi for pi in range(len(parts)) if pi not in found and ok(pi)]
        self.rng.shuffle(cands)
        return found + cands[:n - len(found)]

    def _new_service(self, d: int, slot: int, off: int, mins: int, el: str, ph: str, st: int, pids: list[int],
                     mode: str, rule: str) -> list:
        self.seq += 1
        pos = d * NSLOT + slot
        self.staff[st].busy[pos] = 1
        self.used.add((-1 - st, pos))
        for pi in pids:
            self.parts[pi].busy[pos] = 1
            self.used.add((pi, pos))
        pid_text = "|".join(self.parts[pi].pid for pi in pids)
        svc = [(pos << KEY_SHIFT) | self.seq, d, slot, off, mins, el, ph, st, pid_text, mode, "present", None, rule]
        self.services.append(svc)
        self.plant(rule)
        return svc

    def plant_group_size(self, svc):
        need = self.limit + 1 - len(svc[S_PIDS].split("|")) + self.rng.randint(0, 1)
        extra = self._free_participants(svc, need)
        if len(extra) < need:
            return False
        pos = svc[S_DAY] * NSLOT + svc[S_SLOT]
        for pi in extra:
            self.parts[pi].busy[pos] = 1
        svc[S_PIDS] = "|".join(sorted(svc[S_PIDS].split("|") + [self.parts[pi].pid for pi in extra]))
        svc[S_PLANTED] = R_GROUP_SIZE
        self.plant(R_GROUP_SIZE)
        return True

    def plant_individual(self, svc):
        extra = self._free_participants(svc, 1, prefer_staff=svc[S_STAFF])
        if not extra:
            return False
        self.parts[extra[0]].busy[svc[S_DAY] * NSLOT + svc[S_SLOT]] = 1
        svc[S_PIDS] = "|".join(sorted([svc[S_PIDS], self.parts[extra[0]].pid]))
        svc[S_PLANTED] = R_GROUP_INDIVIDUAL
        self.plant(R_GROUP_INDIVIDUAL)
        return True

    def plant_staff_overlap(self, svc):
        extra = self._free_participants(svc, 1, prefer_staff=svc[S_STAFF] if svc[S_EL] == "AB" else -1)
        if not extra:
            return False
        return self._new_service(svc[S_DAY], svc[S_SLOT], svc[S_OFF], svc[S_MIN], svc[S_EL], svc[S_PH], svc[S_STAFF],
                                 extra, svc[S_MODE], R_DOUBLE_BOOKING)

    def plant_participant_overlap(self, svc):
        pos = svc[S_DAY] * NSLOT + svc[S_SLOT]
        role_el = [("SP", "SP"), ("LK", "SFU")]
        self.rng.shuffle(role_el)
        for role, el in role_el:
            free = [s for s in self.staff if s.role == role and s.idx != svc[S_STAFF] and not s.busy[pos]]
            if free:
                st = self.rng.choice(free).idx
                pi = self.pid_index[self.rng.choice(svc[S_PIDS].split("|"))]
                return self._new_service(svc[S_DAY], svc[S_SLOT], svc[S_OFF], svc[S_MIN], el, svc[S_PH], st, [pi],
                                         "presence", R_DOUBLE_BOOKING)
        return False

    def _slot_for(self, st: int, pi: int, days: list[int], tries: int = 12) -> Optional[tuple[int, int]]:
        """A slot on one of ``days`` where staff ``st`` is free and participant ``pi`` has no planted session."""
        busy, used = self.staff[st].busy, self.used
        for _ in range(tries):
            d = self.rng.choice(days)
            if not self.workday[d]:
                continue
            for s in AFTERNOON:
                pos = d * NSLOT + s
                if not busy[pos] and (pi, pos) not in used:
                    return d, s
        return None

    def plant_suspended(self, svc):
        pi, a, b = self.rng.choice(self.suspended_cands)
        p = self.parts[pi]
        days = list(range(a, b + 1))
        for _ in range(3):
            d = self.rng.choice(days)
            st = p.ref_on(d)
            if st < 0 or not self.staff[st].employed(d):
                continue
            found = self._slot_for(st, pi, [d], 1)
            if found:
                off, mins = self.rng.choice(AB_TIMES)
                return self._new_service(found[0], found[1], off, mins, "AB", "BP", st, [pi], "presence",
                                         R_SUSPENSION_SERVICE)
        return False

    def plant_after_end(self, svc):
        pi = self.rng.choice(self.after_cands)
        p = self.parts[pi]
        days = list(range(p.bp_to + 1, min(p.bp_to + 40, self.cutoff) + 1))
        sp = [s for s in self.staff if s.role == "SP"]
        st = self.rng.choice(sp).idx
        found = self._slot_for(st, pi, days)
        if not found:
            return False
        off, mins = self.rng.choice(SP_TIMES)
        return self._new_service(found[0], found[1], off, mins, "SP", "BP", st, [pi], "presence", R_SERVICE_PERIOD)

    def plant_employment(self, svc):
        s = self.rng.choice(self.leavers)
        for _ in range(6):
            d = self.rng.randint(s.emp_to + 1, self.cutoff)
            if not self.workday[d]:
                continue
            for slot in AFTERNOON:
                if (-1 - s.idx, d * NSLOT + slot) in self.used:
                    continue
                probe = [0, d, slot, 0, 0, "AB", "BP", s.idx, "", "", "", None, ""]
                extra = self._free_participants(probe, 1)
                if extra and self.parts[extra[0]].bp_from is not None:
                    off, mins = self.rng.choice(AB_TIMES)
                    # the leaver is not in the slot grid any more: book the participant only
                    return self._new_service(d, slot, off, mins, "AB", "BP", s.idx, extra, "presence",
                                             R_SERVICE_PERIOD)
        return False

    def plant_absence(self, svc):
        svc[S_ATT] = self.rng.choice(ATTENDANCE_NOT_BILLABLE)
        svc[S_PLANTED] = R_ABSENCE
        self.plant(R_ABSENCE)
        return True

    def plant_input(self, svc):
        rng = self.rng
        year = self.date_of(svc[S_DAY]).year
        bad = rng.choice((
            ("minutes", "0"), ("minutes", f"{svc[S_MIN]} Min."), ("start", "25:00"), ("element", "AB/SP"),
            ("date", f"30.02.{year}" if self.dialect.german else f"{year}-02-30"), ("mode", "zoom"),
            ("phase", "VB"),
        ))
        svc[S_BAD] = bad
        svc[S_PLANTED] = R_INPUT
        self.plant(R_INPUT)
        return True
