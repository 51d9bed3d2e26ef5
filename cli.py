"""asa-check command line: parses arguments and calls the engine, nothing more."""
from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

import click

from engine.report.words import t
from schemas.finding import SEVERITIES

LANG = click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True,
                    help="Sprache der Ausgabe / output language")
RULES = click.option("--rules", "rules_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Regelverzeichnis / rules directory (default: bundled rules/)")
PARAMETERS = click.option("--parameters", "parameters_file", type=click.Path(dir_okay=False, path_type=Path),
                          default=None, help="Parameterdatei des Prüfers (Ausschreibung, Vertrag) / "
                                             "auditor's parameters file: parameters: {name: value}")
CORPUS_HELP = "Einreichung(en) oder Ordner davon; wiederholbar / bundle(s) or folder(s) of bundles; repeatable"


class DayParam(click.ParamType):
    """A calendar day: JJJJ-MM-TT or TT.MM.JJJJ (a TOML date in the configuration file too)."""

    name = "DATUM"

    def convert(self, value, param, ctx):
        import datetime as dt
        import re

        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        iso = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
        german = re.fullmatch(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})", text)
        try:
            if iso:
                return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
            if german:
                return dt.date(int(german[3]), int(german[2]), int(german[1]))
        except ValueError:
            pass
        self.fail(f"{text!r}: kein Datum (JJJJ-MM-TT oder TT.MM.JJJJ) / not a date (YYYY-MM-DD or DD.MM.YYYY)",
                  param, ctx)


def _fail(message: str) -> None:
    from engine.report.safe import printable

    # line by line: a file's several problems stay on their own lines (printable would show "\x0a")
    click.echo("\n".join(printable(line) for line in f"asa-check: {message}".split("\n")), err=True)
    sys.exit(2)


def _load(rules_dir: Path | None, lang: str = "de"):
    from engine.rules import load_rules

    if rules_dir is not None and not rules_dir.is_dir():
        _fail(f"{t('rules_dir_missing', lang)}: {rules_dir}")
    ruleset = load_rules(rules_dir)
    if not ruleset.rules and not ruleset.problems:
        _fail(f"{t('no_rule_files', lang)}: {ruleset.directory}")
    return ruleset


def _auditor_parameters(path: Path | None, ruleset, lang: str):
    """The auditor's parameters file, checked against the rules; a bad file is a usage error."""
    from engine.parameters import ParameterFileError, read_parameter_file

    if path is None:
        return None
    try:
        return read_parameter_file(path, ruleset)
    except ParameterFileError as exc:
        _fail(exc.text(lang).replace("\n", "\nasa-check: "))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="asa-check")
@click.pass_context
def main(ctx) -> None:
    """Prüft Einreichungen von Maßnahmeträgern der AsA flex (§§ 74–75a SGB III).

    Checks AsA flex provider submissions against the documented conditions.
    """
    _exit_on_signals(ctx)
    _read_config(ctx)


def _default(param: click.Option):
    """An option's own default; click 8.2 marks "none given" with a sentinel."""
    value = param.default
    if type(value).__name__ == "Sentinel":
        return [] if param.multiple else (False if param.is_flag else None)
    return list(value) if isinstance(value, tuple) else value


def _read_config(ctx) -> None:
    """asa-check.toml (or [tool.asa-check] in pyproject.toml) gives the defaults; flags win."""
    from engine.config import ConfigError, default_map, find

    try:
        config = find()
        ctx.meta["asa_check_config"] = config.path  # checked against the bundles: never from a submission
        ctx.default_map = default_map(config, main)
    except ConfigError as exc:
        # the language is not known yet: both
        from engine.report.safe import printable

        for text in dict.fromkeys([exc.text("de"), exc.text("en")]):
            click.echo(f"asa-check: {printable(text)}", err=True)
        sys.exit(2)


INTERRUPT_EXIT = {signal.SIGINT: 130, signal.SIGTERM: 143}


def _exit_on_signals(ctx) -> None:
    """SIGINT exits 130, SIGTERM 143 (not 1 like "findings found"); workers are killed on the way out."""
    if threading.current_thread() is not threading.main_thread():
        return

    def interrupted(signum, _frame):
        name = signal.Signals(signum).name
        click.echo(f"asa-check: abgebrochen / interrupted ({name}); kein Bericht / no report", err=True)
        raise SystemExit(INTERRUPT_EXIT[signum])

    previous = {s: signal.signal(s, interrupted) for s in INTERRUPT_EXIT}
    ctx.call_on_close(lambda: [signal.signal(s, h) for s, h in previous.items()])


def _write(text) -> None:
    """The report in one piece: an interrupt arriving while it is written takes effect after it.

    ``text``: str, bytes, or a report's pieces (engine/report/outputs.py ``Pieces``), written one by one.
    """
    from engine.report.outputs import Pieces

    blocked = set(INTERRUPT_EXIT) if threading.current_thread() is threading.main_thread() else set()
    old = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        for piece in (text if isinstance(text, Pieces) else [text]):
            click.echo(piece, nl=False)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@main.command()
@click.argument("bundles", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "junit", "sarif", "csv", "markdown"]),
              default="text", show_default=True,
              help="Format auf der Standardausgabe (xlsx nur mit -o) / format on stdout (xlsx: only with -o)")
@click.option("--output", "-o", "outputs", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Bericht in Datei, Format aus der Endung (.json .html .sarif .xml .csv .xlsx .md .txt); "
                   "wiederholbar / report to file, format from the extension; repeatable")
@LANG
@RULES
@PARAMETERS
@click.option("--fail-on", type=click.Choice(list(SEVERITIES)), default="error", show_default=True,
              help="Exit 1 ab einem Befund dieser Schwere / exit 1 when a finding of this severity or worse exists")
@click.option("--rule", "only_rules", multiple=True,
              help="nur diese Regel(n), Kennung oder Muster (ASA-GROUP-*); wiederholbar / only these rules")
@click.option("--skip-rule", "skip_rules", multiple=True,
              help="diese Regel(n) auslassen, Kennung oder Muster; wiederholbar / leave these rules out")
@click.option("--min-severity", type=click.Choice(list(SEVERITIES)), default=None,
              help="nur Befunde ab dieser Schwere auflisten (Zusammenfassung und --fail-on zählen alle) / "
                   "list only findings of this severity or worse")
@click.option("--quiet", "-q", is_flag=True, help="nur die Zusammenfassung / summary only")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker-Prozesse für mehrere Einreichungen (Vorgabe: alle Kerne) / worker processes")
@click.option("--color/--no-color", default=None,
              help="Farben erzwingen oder abschalten (Vorgabe: am Terminal, außer NO_COLOR ist gesetzt) / "
                   "force or suppress colours")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Fortschrittsbalken am Terminal / progress bar on a terminal")
@click.option("--max-depth", type=click.IntRange(min=1), default=2, show_default=True,
              help="so tief werden Ordner nach Einreichungen durchsucht / folder levels searched for bundles")
@click.option("--max-file-mb", type=click.IntRange(min=1), default=100, show_default=True,
              help="größte gelesene Datei (oder Zip-Eintrag), MB / largest file (or zip member) read, MB")
@click.option("--max-rows", type=click.IntRange(min=1), default=500_000, show_default=True,
              help="höchstens so viele Datenzeilen je Einreichung / most data rows read per submission")
@click.option("--max-memory-mb", type=click.IntRange(min=256), default=3072, show_default=True,
              help="Speicher je Worker-Prozess, MB; braucht eine Einreichung mehr, gilt sie als nicht geprüft "
                   "(Exit 2) / memory per worker process, MB")
@click.option("--max-findings", type=click.IntRange(min=1), default=1000, show_default=True,
              help="aufgeführte Befunde je Regel und Einreichung; der Bericht zählt den Rest / "
                   "findings listed per rule and bundle")
@click.option("--waivers", "waivers_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Ausnahmen des Prüfers (YAML) / auditor's waivers: accepted findings with reason and expiry")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="JSON-Bericht eines früheren Laufs / JSON report of an earlier run: marks findings new or "
                   "persisting, lists resolved ones")
@click.option("--fail-on-new", is_flag=True,
              help="Exit 1 nur bei neuen Befunden (braucht --baseline) / exit 1 only for new findings "
                   "(needs --baseline)")
@click.option("--as-of", "as_of", type=DayParam(), default=None,
              help="Prüfdatum für den Bericht und den Ablauf der Ausnahmen, JJJJ-MM-TT oder TT.MM.JJJJ "
                   "(Vorgabe: heute) / check date for the report and waiver expiry (default: today)")
def check(bundles, fmt, outputs, lang, rules_dir, parameters_file, fail_on, only_rules, skip_rules, min_severity,
          quiet, jobs, color, progress, max_depth, max_file_mb, max_rows, max_memory_mb, max_findings, waivers_file,
          baseline_file, fail_on_new, as_of):
    """Prüft Einreichung(en) BUNDLE: Verzeichnis, .zip, .xlsx, Ordner von Einreichungen oder Muster (*)."""
    from engine.audit import selection
    from engine.batch import Discovery, check_many, expand
    from engine.report import outputs as out_files
    from engine.report.safe import printable

    if any(not b.strip() for b in bundles):
        _fail(t("empty_bundle_path", lang))
    if fail_on_new and baseline_file is None:
        _fail(t("fail_on_new_needs_baseline", lang))
    try:
        targets = out_files.plan(list(outputs))
    except out_files.OutputError as exc:
        _fail(exc.text(lang))
    ruleset = _load(rules_dir, lang)
    known = [lr.rule.id for lr in ruleset.rules] + ["ASA-INPUT", "ASA-ENGINE"]
    for pattern in selection.unmatched(list(only_rules) + list(skip_rules), known):
        _fail(f"{t('no_rule_matches', lang)}: {pattern}")
    auditor = _auditor_parameters(parameters_file, ruleset, lang)
    waivers = _waivers(waivers_file, lang)  # a bad file is a usage error before any bundle is read
    baseline = _baseline(baseline_file, lang)
    found = Discovery()
    paths = expand(list(bundles), max_depth=max_depth, found=found)
    _discovery_notes(found, max_depth, lang)
    for folder in found.empty:
        _fail(f"{folder}: {t('folder_without_bundle', lang)}")
    _auditor_files_outside(paths, lang, config=click.get_current_context().meta.get("asa_check_config"),
                           waivers=waivers_file, parameters=parameters_file, baseline=baseline_file, rules=rules_dir)
    show_bar = progress and len(paths) > 1 and sys.stderr.isatty() and not quiet  # rich honours NO_COLOR
    with _progress(len(paths), enabled=show_bar and fmt == "text") as tick:
        # passed on to check_bundle for every bundle, in every worker
        limits = {"max_file_bytes": max_file_mb * 1024 * 1024, "max_rows": max_rows, "max_findings": max_findings,
                  "parameters": auditor}
        outcomes = check_many(paths, ruleset, jobs, on_done=tick, limits=limits, memory_mb=max_memory_mb)
    unreadable = [o for o in outcomes if o.result is None]
    for o in unreadable:
        why = o.error_de if lang == "de" else o.error_en
        click.echo(f"asa-check: {t('bundle_not_checked', lang)}: {printable(o.path)}: {printable(why)}", err=True)
    results = [o.result for o in outcomes if o.result is not None]
    if not results:
        sys.exit(2)
    from engine.audit.run import fails, prepare

    # waivers, then the baseline, on every finding; then the rules selected (their waived and resolved too)
    info = prepare(results, waivers, baseline, today=as_of, waivers_file=waivers_file)
    results = [selection.select_rules(r, list(only_rules), list(skip_rules)) for r in results]
    if only_rules or skip_rules:
        info.rule_selection = {"rule": list(only_rules), "skip_rule": list(skip_rules)}
    # bundles not checked are named in the report too, not only on stderr
    failed = [(o.path, o.error_de if lang == "de" else o.error_en) for o in unreadable]
    shown = [selection.at_least(r, min_severity) for r in results]
    # every report rendered before any is written: a failure leaves no file half-written
    files = [(path, out_files.encoded(out_files.render(f, shown, ruleset, lang, failed, info=info)))
             for path, f in targets]
    use_color = _use_color(color)
    out = out_files.render(fmt, shown, ruleset, lang, failed, color=use_color, quiet=quiet, info=info)
    out_files.write_all(files)
    _write(out)
    if unreadable:
        sys.exit(2)
    # waived findings do not count; with --fail-on-new only new ones do
    sys.exit(1 if fails(results, fail_on, only_new=fail_on_new) else 0)


def _waivers(path: Path | None, lang: str):
    from engine.audit.waivers import WaiverFileError, read_waivers

    if path is None:
        return None
    try:
        return read_waivers(path)
    except WaiverFileError as exc:
        _fail(exc.text(lang).replace("\n", "\nasa-check: "))


AUDITOR_FILES = {  # what the auditor brings to a check, never the audited provider
    "config": ("Konfigurationsdatei", "configuration file"), "waivers": ("Ausnahmedatei", "waivers file"),
    "parameters": ("Parameterdatei", "parameters file"), "baseline": ("Vergleichsbasis", "baseline file"),
    "rules": ("Regelverzeichnis", "rules directory"),
}


def _auditor_files_outside(paths: list[Path], lang: str, **files: Path | None) -> None:
    """Configuration, rules, parameters, waivers and baseline come from the auditor: one inside a checked bundle
    (written by the provider being audited, e.g. an ``asa-check.toml`` that skips every rule) is refused."""
    for kind, file in files.items():
        if file is None:
            continue
        real = Path(file).resolve()
        for bundle in paths:
            if bundle.is_dir() and real.is_relative_to(bundle.resolve()):
                de, en = AUDITOR_FILES[kind]
                _fail(f"{de} {file} liegt in der geprüften Einreichung {bundle}: sie kommt vom Prüfer, nie aus der "
                      f"Einreichung" if lang == "de" else
                      f"{en} {file} lies inside the checked submission {bundle}: it comes from the auditor, never "
                      f"from the submission")


def _baseline(path: Path | None, lang: str):
    from engine.audit.baseline import BaselineError, read_baseline

    if path is None:
        return None
    try:
        return read_baseline(path)
    except BaselineError as exc:
        _fail(exc.text(lang))


def _use_color(color: bool | None) -> bool:
    """--color/--no-color win; else colours on a terminal unless NO_COLOR is set (https://no-color.org)."""
    if color is not None:
        return color
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _discovery_notes(found, max_depth: int, lang: str) -> None:
    """One line on stderr for each folder or link passed over while searching for bundles."""
    from engine.report.safe import printable

    for key, paths in (("link_skipped", found.links), ("hidden_skipped", found.hidden),
                       ("unreadable_skipped", found.unreadable)):
        for p in paths:
            click.echo(f"asa-check: {t(key, lang)}: {printable(str(p))}", err=True)
    if found.too_deep:
        click.echo(f"asa-check: {t('too_deep', lang).format(n=len(found.too_deep), depth=max_depth)}: "
                   f"{printable(str(found.too_deep[0]))}" + (", …" if len(found.too_deep) > 1 else ""), err=True)


class _progress:
    """A progress bar on a terminal; nothing otherwise."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled, self.bar = total, enabled, None

    def __enter__(self):
        if not self.enabled:
            return lambda outcome: None
        from rich.console import Console
        from rich.progress import Progress

        self.bar = Progress(console=Console(stderr=True), transient=True)  # never into the report on stdout
        self.bar.start()
        task = self.bar.add_task("asa-check", total=self.total)
        return lambda outcome: self.bar.advance(task)

    def __exit__(self, *exc):
        if self.bar:
            self.bar.stop()
        return False


@main.command()
@click.argument("bundle", type=click.Path(path_type=Path))
@click.option("--year", type=int, default=None, help="nur dieses Vertragsjahr / only this contract year")
@click.option("--months", is_flag=True, help="auch je Monat / also per month")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@LANG
@RULES
@PARAMETERS
@click.option("--max-memory-mb", type=click.IntRange(min=256), default=3072, show_default=True,
              help="Speicher des Worker-Prozesses, MB / memory of the worker process, MB")
def ledger(bundle, year, months, fmt, lang, rules_dir, parameters_file, max_memory_mb):
    """Stundenkontingent, Mindestabnahme, Übertrag und Ausgleichszahlung je Vertragsjahr."""
    from engine.batch import check_many
    from engine.report.ledger import render_ledger

    _auditor_files_outside([Path(bundle)], lang, config=click.get_current_context().meta.get("asa_check_config"),
                           parameters=parameters_file, rules=rules_dir)
    ruleset = _load(rules_dir, lang)
    auditor = _auditor_parameters(parameters_file, ruleset, lang)
    if ruleset.ledger is None:
        _fail(f"{t('ledger_missing', lang)} {ruleset.directory}")
    # in a worker like check: a crash or memory exhaustion is a clear error, exit 2
    [outcome] = check_many([bundle], ruleset, 1, limits={"parameters": auditor}, memory_mb=max_memory_mb)
    result = outcome.result
    if result is None:
        _fail(f"{t('bundle_error', lang)}: {bundle}: {outcome.error_de if lang == 'de' else outcome.error_en}")
    if result.ledger is None:
        _fail(t("no_contract", lang))
    if year is not None and year not in [y.year for y in result.ledger.years]:
        _fail(t("no_such_year", lang).format(year=year))
    _write(render_ledger(result.ledger, fmt, lang, months, year))


@main.group()
def rules() -> None:
    """Regeln anzeigen, prüfen und testen / list, lint and test rules."""


@rules.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@LANG
@RULES
@click.option("--update", "update", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Markdown-Katalog zwischen die Marken <!-- catalog --> dieser Datei schreiben / "
                   "embed the Markdown catalog between <!-- catalog --> markers of this file")
def rules_list(fmt, lang, rules_dir, update):
    """Regelkatalog: id, Schwere, Titel, Quelle."""
    from engine.report.catalog import embed_catalog, render_catalog

    if update is not None:
        text = embed_catalog(update.read_text(encoding="utf-8"), render_catalog(_load(rules_dir, lang), "markdown",
                                                                                lang))
        update.write_text(text, encoding="utf-8")
        click.echo(f"{t('catalog_written', lang)} {update}")
        return
    click.echo(render_catalog(_load(rules_dir, lang), fmt, lang), nl=False)


@rules.command("lint")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@LANG
def rules_lint(directory, lang):
    """Prüft Regeldateien auf Form- und Inhaltsfehler (exit 1 bei Problemen)."""
    from engine.authoring.lint import lint

    ruleset = _load(directory, lang)
    problems = lint(ruleset)
    from engine.report.safe import printable

    for p in problems:
        click.echo(printable(p.shown(lang)))  # rule files come in pull requests
    click.echo(t("lint_summary", lang).format(problems=len(problems), rules=len(ruleset.rules)), err=True)
    sys.exit(1 if problems else 0)


@rules.command("test")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "junit"]), default="text", show_default=True)
@LANG
def rules_test(directory, fmt, lang):
    """Führt die Beispiele jeder Regel durch die echte Engine aus."""
    from engine.authoring.examples import render_results, run_all

    ruleset = _load(directory, lang)
    results, boundary = run_all([lr.rule for lr in ruleset.rules], lang)
    # a rule file that does not load cannot run its examples: a failure, named
    boundary = [f"{p.file}:{p.line}: {t('rule_file_not_loaded', lang)}: {p.text(lang)}"
                for p in ruleset.problems] + boundary
    click.echo(render_results(results, boundary, fmt, lang), nl=False)
    failed = [r for r in results if not r.passed] + boundary
    sys.exit(1 if failed or ruleset.problems else 0)


@rules.command("coverage")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--corpus", "corpus", multiple=True, required=True, type=click.Path(exists=True, path_type=Path),
              help=CORPUS_HELP)
@LANG
def rules_coverage(directory, corpus, lang):
    """Welche Regeln auf dem Korpus wie oft anschlagen, welche nie."""
    from engine.authoring.impact import corpus_bundles, coverage, render_coverage

    ruleset = _load(directory, lang)
    bundles = corpus_bundles(list(corpus))
    if not bundles:
        _fail(t("no_corpus_bundles", lang))
    counts, run = coverage(ruleset, bundles)
    click.echo(render_coverage(counts, run, ruleset, lang), nl=False)


@rules.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--corpus", "corpus", multiple=True, required=True, type=click.Path(exists=True, path_type=Path),
              help=CORPUS_HELP)
@click.option("--fail-on-change", is_flag=True,
              help="Exit 1, wenn ein Befund hinzukommt oder wegfällt / exit 1 when any finding is added or removed")
@LANG
def rules_diff(old, new, corpus, fail_on_change, lang):
    """Was eine Regeländerung an den Befunden ändert (OLD/NEW: Verzeichnis oder git-Revision)."""
    from engine.authoring.impact import corpus_bundles, diff, render_diff, rules_from
    from engine.report.safe import printable

    try:
        old_rules, _old_tmp = rules_from(old)
        new_rules, _new_tmp = rules_from(new)
    except ValueError:
        _fail(t("not_rules_or_revision", lang).format(spec=old if not Path(old).is_dir() else new))
    for label, rs in ((t("old_rules", lang), old_rules), (t("new_rules", lang), new_rules)):
        for p in rs.problems:
            click.echo(f"{label}: {printable(p.shown(lang))}", err=True)
    changes = diff(old_rules, new_rules, corpus_bundles(list(corpus)))
    click.echo(render_diff(changes, lang), nl=False)
    changed = any(c.added or c.removed for c in changes)
    sys.exit(1 if changed and fail_on_change else 0)


@main.command("generate")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--contracts", type=click.IntRange(min=1), required=True, help="Anzahl Verträge / number of contracts")
@click.option("--participants-per-contract", type=click.IntRange(min=1), required=True,
              help="Teilnehmende je Vertrag / participants per contract")
@click.option("--seed", type=int, required=True, help="Startwert (gleicher Wert, gleiche Dateien) / random seed")
@click.option("--violations", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Anteil eingebauter Verstöße je Satzart / rate of planted violations per record kind")
@click.option("--services-per-participant", type=click.IntRange(min=1), default=None,
              help="Leistungen je Teilnehmende/r und Jahr (Vorgabe 50) / services per participant and year")
@LANG
def generate_cmd(out, contracts, participants_per_contract, seed, violations, services_per_participant, lang):
    """Erzeugt synthetische Einreichungen (ein Verzeichnis je Vertrag) in OUT."""
    from synth.generate import generate, render_stats

    stats = generate(out, contracts, participants_per_contract, seed, violations, services_per_participant)
    click.echo(render_stats(stats, lang), nl=False)


@main.command("schema")
@click.argument("name", type=click.Choice(["report", "submission", "rule"]))
def schema_cmd(name):
    """Gibt ein JSON Schema aus: report (JSON-Bericht), submission (Einreichung), rule (Regeldatei)."""
    import json

    from schemas.published import SCHEMAS

    click.echo(json.dumps(SCHEMAS[name](), ensure_ascii=False, indent=2))


@main.command("template")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="eine vorhandene Datei überschreiben / overwrite an existing file")
@LANG
def template_cmd(target, force, lang):
    """Schreibt eine leere Arbeitsmappe (.xlsx) zum Datenvertrag, zum Ausfüllen durch den Träger."""
    from engine.report import outputs as out_files
    from engine.template import render_template

    if target.suffix.lower() != ".xlsx":
        _fail(t("template_xlsx", lang))
    if target.exists() and not force:
        _fail(f"{target}: {t('exists_use_force', lang)}")
    try:
        out_files.plan([target] if not target.exists() else [])
    except out_files.OutputError as exc:
        _fail(exc.text(lang))
    out_files.write_all([(target, render_template())])
    click.echo(f"{t('template_written', lang)}: {target}")


@main.command("config")
@click.argument("command", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@LANG
@click.pass_context
def config_cmd(ctx, command, fmt, lang):
    """Zeigt, welche Einstellungen gelten und woher (asa-check.toml, pyproject.toml, Vorgabe)."""
    import json

    from engine.config import ConfigError, commands, find, settings

    try:
        config = find()
        given = settings(config, main)
    except ConfigError as exc:
        _fail(exc.text(lang))
    paths = commands(main)
    wanted = [tuple(command)] if command else [("check",)] + sorted({s.command for s in given} - {("check",)})
    rows = []
    for path in wanted:
        cmd = paths.get(path)
        if cmd is None:
            _fail(f"{t('unknown_command', lang)}: {' '.join(path)}")
        by_option = {s.option.name: s for s in given if s.command == path}  # the last one wins
        for param in cmd.params:
            if not isinstance(param, click.Option) or param.name in ("help",):
                continue
            s = by_option.get(param.name)
            value = s.value if s else _default(param)
            origin = f"{config.label}: {s.key}" if s else t("default", lang)
            rows.append({"command": " ".join(path), "option": max(param.opts, key=len), "value": value,
                         "from": origin})
    if fmt == "json":
        click.echo(json.dumps({"file": str(config.path) if config.path else None, "settings": rows},
                              ensure_ascii=False, indent=2, default=str))
        return
    click.echo(f"{t('config_file', lang)}: {config.path or t('none', lang)}")
    for row in rows:
        value = row["value"]
        if isinstance(value, bool):
            shown = "true" if value else "false"  # as in the file
        elif isinstance(value, (list, tuple)):
            shown = ", ".join(map(str, value)) or "–"
        else:
            shown = "–" if value is None else str(value)
        click.echo(f"{row['command']} {row['option']} = {shown}   ({row['from']})")


if __name__ == "__main__":
    main()
