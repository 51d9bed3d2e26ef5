"""The vectorised floor of the benchmark: the service rules over all bundles at once, with polars.

    python benchmarks/vector_floor.py benchmarks/data/national

What a columnar engine without per-record Python would need: every services.csv
of the data set read column-wise, the service facts' fields the rules read
derived with joins and sorted sweeps over whole tables (the same definitions as
engine/facts.py), and each service rule's YAML condition compiled to one polars
expression (parameters resolved as engine/compile.py does, dated ones per row).
Services are ~97 % of all facts; the other fact types (a few per participant and
contract) are left out, as are the ledger, findings and reports. Generated data
only (ISO dates, comma dialect): a lower bound, not a checker. Needs polars
(``pip install polars``; not a dependency of asa-check).
"""
from __future__ import annotations

import json
import os
import sys
import time
from datetime import date, datetime
from functools import reduce
from pathlib import Path

os.environ.setdefault("POLARS_MAX_THREADS", "2")
import polars as pl  # noqa: E402
import yaml  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.compile import param_periods  # noqa: E402
from engine.parameters import LEDGER  # noqa: E402
from engine.parameters import resolve  # noqa: E402
from engine.read.values import parse_date  # noqa: E402
from engine.rules import load_rules  # noqa: E402
from schemas.rule import All, AnyOf, Cmp, FieldRef, Not, ParamRef, Rule  # noqa: E402

FAR_FUTURE = date(9999, 12, 31)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present


def _frame(path: Path) -> pl.DataFrame:
    """One CSV file as text columns: UTF-8 or Windows-1252, the delimiter as the reader chooses it."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    header = text.split("\n", 1)[0]
    sep = "," if header.count(",") > header.count(";") else ";"
    df = pl.read_csv(text.encode(), separator=sep, infer_schema=False, truncate_ragged_lines=True)
    df = df.rename({c: c.strip().lower() for c in df.columns})
    return df.with_columns(pl.all().str.strip_chars())


def _day(column: str) -> pl.Expr:
    c = pl.col(column)
    return pl.coalesce(c.str.to_date("%Y-%m-%d", strict=False), c.str.to_date("%d.%m.%Y", strict=False))


def _csv(bundles: list[Path], name: str, dates: tuple[str, ...]) -> pl.DataFrame:
    frames = []
    for n, b in enumerate(bundles):
        if (b / name).exists():
            frames.append(_frame(b / name).with_columns(pl.lit(n, dtype=pl.Int32).alias("bundle")))
    df = pl.concat(frames, how="diagonal")
    return df.with_columns(_day(c).alias(c) for c in dates if c in df.columns)


def _contracts(bundles: list[Path]) -> tuple[pl.DataFrame, pl.DataFrame]:
    def day(v):  # the reader's parser: ISO or TT.MM.JJJJ
        return parse_date(v)

    rows, vp = [], []
    for n, b in enumerate(bundles):
        c = yaml.load((b / "contract.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
        bp = c["accompanying_phase"]
        ext = bp.get("extension") or bp.get("extensions") or []
        ends = [bp["end"]] + [e["end"] for e in (ext if isinstance(ext, list) else [ext])]
        rows.append({"bundle": n, "bp_start": day(bp["start"]), "term_end": max(map(day, ends))})
        vp.extend({"bundle": n, "vp_start": day(p["start"]), "vp_end": day(p["end"])}
                  for p in c.get("pre_phases") or [])
    schema = {"bundle": pl.Int32, "bp_start": pl.Date, "term_end": pl.Date, "vp_start": pl.Date, "vp_end": pl.Date}
    return (pl.DataFrame(rows, schema={k: schema[k] for k in ("bundle", "bp_start", "term_end")}),
            pl.DataFrame(vp, schema={k: schema[k] for k in ("bundle", "vp_start", "vp_end")}))


def _overlap(df: pl.DataFrame, key: str) -> pl.Series:
    """Per row: an earlier service of the same key (staff or participant) still running at its begin."""
    ordered = df.sort(["bundle", key, "begin", "service_id", "row"])
    before = pl.col("end").cum_max().shift(1).over(["bundle", key])
    flagged = ordered.with_columns((pl.col("begin") < before).fill_null(False).alias("hit"))
    return flagged.group_by("row").agg(pl.col("hit").any()).sort("row")["hit"]


def service_table(bundles: list[Path], billable: list[str], employment_months: int, training_months: int
                  ) -> pl.DataFrame:
    s = _csv(bundles, "services.csv", ("date",))
    s = s.with_columns(pl.col("start").str.to_time("%H:%M", strict=False),
                       pl.col("minutes").cast(pl.Int64, strict=False))
    # rows the reader refuses (ASA-INPUT findings) are not services
    s = s.filter(pl.all_horizontal(pl.col("date", "start", "minutes", "service_id", "participant_ids").is_not_null())
                 & pl.col("minutes").is_between(1, 1440))
    s = s.with_row_index("row").with_columns(
        pl.col("participant_ids").str.split("|").alias("ids"),
        pl.col("mode").fill_null(""), pl.col("attendance").fill_null("present"))
    s = s.with_columns(pl.col("date").dt.combine(pl.col("start")).alias("begin"))
    s = s.with_columns((pl.col("begin") + pl.duration(minutes=pl.col("minutes"))).alias("end"))
    contracts, prephases = _contracts(bundles)
    staff = _csv(bundles, "staff.csv", ("employed_from", "employed_to"))
    people = _csv(bundles, "participants.csv", ("from", "to", "employment_start", "training_completed_on"))
    pauses = _csv(bundles, "suspensions.csv", ("from", "to"))

    s = s.join(contracts, on="bundle", how="left").join(
        staff.select("bundle", "staff_id", "employed_from", "employed_to").unique(["bundle", "staff_id"], keep="last"),
        on=["bundle", "staff_id"], how="left")
    per_person = s.select("row", "bundle", "date", "phase", "begin", "end", "service_id",
                          pl.col("ids").list.unique(maintain_order=True).alias("pid")).explode("pid")

    def any_row(other: pl.DataFrame, on: list[str], covered: pl.Expr) -> pl.DataFrame:
        j = per_person.join(other, on=on, how="left").with_columns(covered.fill_null(False).alias("c"))
        return j.group_by(["row", "pid"]).agg(pl.col("c").any())

    people = people.rename({"participant_id": "pid"})
    in_phase = any_row(people.select("bundle", "pid", "phase", "from", "to"), ["bundle", "pid", "phase"],
                       (pl.col("from") <= pl.col("date")) & (pl.col("date") <= pl.col("to").fill_null(FAR_FUTURE)))
    paused = any_row(pauses.rename({"participant_id": "pid"}).select("bundle", "pid", "from", "to"),
                     ["bundle", "pid"], (pl.col("from") <= pl.col("date")) & (pl.col("date") <= pl.col("to")))
    limits = people.filter(pl.col("phase") == "BP").select(
        "bundle", "pid",
        (pl.col("employment_start").dt.offset_by(f"{employment_months}mo").dt.offset_by("-1d")
         ).fill_null(FAR_FUTURE).alias("e"),
        pl.col("training_completed_on").dt.offset_by(f"{training_months}mo").fill_null(FAR_FUTURE).alias("t"))
    beyond = any_row(limits, ["bundle", "pid"], pl.col("date") > pl.min_horizontal("e", "t"))
    vp_in = s.filter(pl.col("phase") == "VP").select("row", "bundle", "date").join(
        prephases, on="bundle", how="left").with_columns(
        ((pl.col("vp_start") <= pl.col("date")) & (pl.col("date") <= pl.col("vp_end"))).fill_null(False).alias("c")
    ).group_by("row").agg(pl.col("c").any().alias("in_vp"))

    per_row = (in_phase.group_by("row").agg((~pl.col("c")).any().alias("outside_participant_phase"))
               .join(paused.group_by("row").agg(pl.col("c").any().alias("suspended")), on="row")
               .join(beyond.group_by("row").agg(pl.col("c").any().alias("aftercare_beyond")), on="row"))
    s = s.join(per_row, on="row", how="left").join(vp_in, on="row", how="left").sort("row")
    s = s.with_columns(
        staff_overlap=_overlap(s.select("row", "bundle", "staff_id", "begin", "end", "service_id"), "staff_id"),
        participant_overlap=_overlap(per_person, "pid"))
    return s.with_columns(
        pl.col("ids").list.len().alias("participant_count"),
        pl.col("attendance").is_in(billable).alias("billable_attendance"),
        pl.col("bp_start").alias("cohort_start"),
        pl.when(pl.col("phase") == "VP").then(~pl.col("in_vp").fill_null(False))
        .otherwise(~((pl.col("bp_start") <= pl.col("date")) & (pl.col("date") <= pl.col("term_end"))))
        .alias("outside_contract_phase"),
        (pl.col("employed_from").is_not_null() & ~((pl.col("employed_from") <= pl.col("date")) & (
            pl.col("date") <= pl.col("employed_to").fill_null(FAR_FUTURE)))).alias("outside_employment"),
        pl.when(pl.col("suspended").fill_null(False)).then(pl.lit("x")).otherwise(pl.lit(""))
        .alias("suspended_participant"),
        pl.when(pl.col("staff_overlap")).then(pl.lit("x")).otherwise(pl.lit("")).alias("staff_overlap_with"),
        pl.when(pl.col("participant_overlap")).then(pl.lit("x")).otherwise(pl.lit(""))
        .alias("participant_overlap_with"),
        # the rule compares the date with the limits: "beyond" stands for date > min(limits)
        pl.when(pl.col("aftercare_beyond").fill_null(False)).then(pl.lit(date(1, 1, 1)))
        .otherwise(pl.lit(FAR_FUTURE)).alias("employment_limit"),
        pl.lit(FAR_FUTURE).alias("training_limit"),
        pl.col("outside_participant_phase").fill_null(False))


# --- rule conditions as polars expressions ---------------------------------------------

def _param(rule: Rule, name: str, overrides: dict) -> pl.Expr:
    periods = param_periods(rule, name, overrides)
    dated_by = rule.parameters[name].dated_by
    if not dated_by or len(periods) == 1:
        return pl.lit(next(v for a, b, v in periods if a is None and b is None))
    out = None
    for a, b, v in reversed(periods):  # the first matching period wins
        if a is None and b is None:
            out = pl.lit(v)
            continue
        bounds = ([pl.col(dated_by) >= a] if a is not None else []) + ([pl.col(dated_by) <= b] if b is not None else [])
        inside = reduce(lambda x, y: x & y, bounds)
        out = pl.when(inside).then(pl.lit(v)).otherwise(out)
    return out


def condition(rule: Rule, node, overrides: dict) -> pl.Expr:
    if isinstance(node, All):
        return reduce(lambda x, y: x & y, (condition(rule, c, overrides) for c in node.all))
    if isinstance(node, AnyOf):
        return reduce(lambda x, y: x | y, (condition(rule, c, overrides) for c in node.any))
    if isinstance(node, Not):
        return ~condition(rule, node.not_, overrides)
    assert isinstance(node, Cmp)
    col, operand = pl.col(node.field), node.operand
    if node.op in ("in", "not_in"):
        values = param_periods(rule, operand.param, overrides)[-1][2] if isinstance(operand, ParamRef) else operand
        return col.is_in(values) if node.op == "in" else ~col.is_in(values)
    right = (pl.col(operand.field) if isinstance(operand, FieldRef)
             else _param(rule, operand.param, overrides) if isinstance(operand, ParamRef) else pl.lit(operand))
    return {"eq": col == right, "ne": col != right, "gt": col > right, "gte": col >= right, "lt": col < right,
            "lte": col <= right}[node.op]


def run(data: Path) -> dict:
    ruleset = load_rules()
    params = resolve(ruleset, None)
    rules = [lr.rule for lr in ruleset.rules if lr.rule.applies_to == "service"]
    bundles = sorted(p for p in data.iterdir() if (p / "contract.yaml").exists())
    aftercare = next(r for r in rules if r.id == "ASA-AFTERCARE-LIMIT").parameters
    table = service_table(bundles, list(params.value(LEDGER, "billable_attendance")),
                          aftercare["employment_months"].default, aftercare["training_months"].default)
    hits = table.select(condition(r, r.condition, {}).fill_null(False).sum().alias(r.id) for r in rules)
    per_rule = {k: int(v[0]) for k, v in hits.to_dict(as_series=False).items()}
    return {"facts": table.height, "findings": sum(per_rule.values()), "per_rule": per_rule}


if __name__ == "__main__":
    start = time.monotonic()
    out = run(Path(sys.argv[1]))
    out["inner_seconds"] = round(time.monotonic() - start, 2)
    print(json.dumps(out))
