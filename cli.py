"""asa-check command line: parses arguments and calls the engine, nothing more."""
from __future__ import annotations

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


def _fail(message: str) -> None:
    from engine.report.safe import printable

    click.echo(f"asa-check: {printable(message)}", err=True)
    sys.exit(2)


def _load(rules_dir: Path | None):
    from engine.rules import load_rules

    if rules_dir is not None and not rules_dir.is_dir():
        _fail(f"rules directory not found: {rules_dir}")
    ruleset = load_rules(rules_dir)
    if not ruleset.rules and not ruleset.problems:
        _fail(f"no rule files (*.yaml) in {ruleset.directory}")
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


def _write(text: str) -> None:
    """The report in one piece: an interrupt arriving while it is written takes effect after it."""
    blocked = set(INTERRUPT_EXIT) if threading.current_thread() is threading.main_thread() else set()
    old = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        click.echo(text, nl=False)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@main.command()
@click.argument("bundles", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "junit", "sarif"]), default="text",
              show_default=True, help="html: a self-contained report to file or print")
@LANG
@RULES
@PARAMETERS
@click.option("--fail-on", type=click.Choice(list(SEVERITIES)), default="error", show_default=True,
              help="exit 1 when a finding of this severity or worse exists")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="worker processes for several bundles (default: all cores)")
@click.option("--color/--no-color", default=None, help="force or suppress colours (default: when a terminal)")
@click.option("--max-file-mb", type=click.IntRange(min=1), default=100, show_default=True,
              help="largest file (or zip member) read, MB")
@click.option("--max-rows", type=click.IntRange(min=1), default=500_000, show_default=True,
              help="most data rows read per submission (all files together)")
@click.option("--max-memory-mb", type=click.IntRange(min=256), default=3072, show_default=True,
              help="memory per worker process, MB; a bundle needing more is reported as failed (exit 2)")
@click.option("--max-findings", type=click.IntRange(min=1), default=1000, show_default=True,
              help="findings listed per rule and bundle; the report counts the rest")
@click.option("--waivers", "waivers_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Ausnahmen des Prüfers (YAML) / auditor's waivers: accepted findings with reason and expiry")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="JSON-Bericht eines früheren Laufs / JSON report of an earlier run: marks findings new or "
                   "persisting, lists resolved ones")
@click.option("--fail-on-new", is_flag=True, help="exit 1 only for new findings (needs --baseline)")
def check(bundles, fmt, lang, rules_dir, parameters_file, fail_on, jobs, color, max_file_mb, max_rows, max_memory_mb,
          max_findings, waivers_file, baseline_file, fail_on_new):
    """Prüft Einreichung(en) BUNDLE: Verzeichnis, .zip, .xlsx, Ordner von Einreichungen oder Muster (*)."""
    from engine.report import text as report
    from engine.batch import check_many, expand
    from engine.report.safe import printable

    if any(not b.strip() for b in bundles):
        _fail("empty bundle path")
    if fail_on_new and baseline_file is None:
        _fail("--fail-on-new braucht --baseline / --fail-on-new needs --baseline")
    ruleset = _load(rules_dir)
    auditor = _auditor_parameters(parameters_file, ruleset, lang)
    waivers = _waivers(waivers_file, lang)  # a bad file is a usage error before any bundle is read
    baseline = _baseline(baseline_file, lang)
    links: list[Path] = []
    paths = expand(list(bundles), links)
    for link in links:
        click.echo(f"asa-check: {t('link_skipped', lang)}: {printable(str(link))}", err=True)
    if waivers_file is not None:
        _waivers_outside(waivers_file, paths)
    with _progress(len(paths), enabled=fmt == "text" and len(paths) > 1 and sys.stderr.isatty()) as tick:
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
    # bundles not checked are named in the report too, not only on stderr
    failed = [(o.path, o.error_de if lang == "de" else o.error_en) for o in unreadable]
    from engine.audit import fails, prepare

    info = prepare(results, waivers, baseline, waivers_file=waivers_file)
    if fmt == "json":
        out = report.render_json(results, lang, failed, info)
    elif fmt == "junit":
        from engine.report.pipeline import render_junit

        out = render_junit(results, lang, failed, info)
    elif fmt == "sarif":
        from engine.report.pipeline import render_sarif

        out = render_sarif(results, ruleset, lang, failed, info)
    elif fmt == "html":
        from engine.report.html import render_html

        out = render_html(results, lang, _titles(ruleset), failed, info)
    else:
        titles = _titles(ruleset)
        use_color = sys.stdout.isatty() if color is None else color
        out = report.render_text(results, lang, titles, color=use_color, info=info)
        if len(results) > 1 or failed:
            out += report.render_overview(results, lang, failed)
    _write(out)
    if unreadable:
        sys.exit(2)
    # waived findings do not count; with --fail-on-new only new ones do
    sys.exit(1 if fails(results, fail_on, only_new=fail_on_new) else 0)


def _waivers(path: Path | None, lang: str):
    from engine.waivers import WaiverFileError, read_waivers

    if path is None:
        return None
    try:
        return read_waivers(path)
    except WaiverFileError as exc:
        _fail(exc.text(lang).replace("\n", "\nasa-check: "))


def _waivers_outside(waivers_file: Path, paths: list[Path]) -> None:
    """Waivers are the auditor's decisions: a waivers file inside a checked bundle is refused."""
    real = waivers_file.resolve()
    for bundle in paths:
        if bundle.is_dir() and real.is_relative_to(bundle.resolve()):
            _fail(f"Ausnahmedatei {waivers_file} liegt in der geprüften Einreichung {bundle}: Ausnahmen kommen vom "
                  f"Prüfer, nie aus der Einreichung / waivers file {waivers_file} lies inside the checked submission "
                  f"{bundle}: waivers come from the auditor, never from the submission")


def _baseline(path: Path | None, lang: str):
    from engine.baseline import BaselineError, read_baseline

    if path is None:
        return None
    try:
        return read_baseline(path)
    except BaselineError as exc:
        _fail(exc.text(lang))


def _titles(ruleset) -> dict[str, dict[str, str]]:
    from engine.rules import BUILTIN_RULES

    titles = {lr.rule.id: {"de": lr.rule.title.de, "en": lr.rule.title.en} for lr in ruleset.rules}
    titles.update({b.id: b.title for b in BUILTIN_RULES})
    return titles


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
              help="memory of the worker process, MB")
def ledger(bundle, year, months, fmt, lang, rules_dir, parameters_file, max_memory_mb):
    """Stundenkontingent, Mindestabnahme, Übertrag und Ausgleichszahlung je Vertragsjahr."""
    from engine.batch import check_many
    from engine.report.ledger import render_ledger

    ruleset = _load(rules_dir)
    auditor = _auditor_parameters(parameters_file, ruleset, lang)
    if ruleset.ledger is None:
        _fail(f"rules/ledger.yaml fehlt in {ruleset.directory}" if lang == "de"
              else f"ledger.yaml missing in {ruleset.directory}")
    # in a worker like check: a crash or memory exhaustion is a clear error, exit 2
    [outcome] = check_many([bundle], ruleset, 1, limits={"parameters": auditor}, memory_mb=max_memory_mb)
    result = outcome.result
    if result is None:
        _fail(f"{t('bundle_error', lang)}: {bundle}: {outcome.error_de if lang == 'de' else outcome.error_en}")
    if result.ledger is None:
        _fail("kein Vertrag in der Einreichung" if lang == "de" else "no contract in bundle")
    if year is not None and year not in [y.year for y in result.ledger.years]:
        _fail(f"Vertragsjahr {year} gibt es im Vertrag nicht" if lang == "de" else f"contract year {year} not in contract")
    _write(render_ledger(result.ledger, fmt, lang, months, year))


@main.group()
def rules() -> None:
    """Regeln anzeigen, prüfen und testen / list, lint and test rules."""


@rules.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@LANG
@RULES
@click.option("--update", "update", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="embed the Markdown catalog between <!-- catalog --> markers of this file")
def rules_list(fmt, lang, rules_dir, update):
    """Regelkatalog: id, Schwere, Titel, Quelle."""
    from engine.report.catalog import embed_catalog, render_catalog

    if update is not None:
        text = embed_catalog(update.read_text(encoding="utf-8"), render_catalog(_load(rules_dir), "markdown", lang))
        update.write_text(text, encoding="utf-8")
        click.echo(f"catalog written to {update}")
        return
    click.echo(render_catalog(_load(rules_dir), fmt, lang), nl=False)


@rules.command("lint")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
def rules_lint(directory):
    """Prüft Regeldateien auf Form- und Inhaltsfehler (exit 1 bei Problemen)."""
    from engine.authoring.lint import lint

    ruleset = _load(directory)
    problems = lint(ruleset)
    from engine.report.safe import printable

    for p in problems:
        click.echo(printable(str(p)))  # rule files come in pull requests
    click.echo(f"{len(problems)} problem(s) in {len(ruleset.rules)} rule(s)", err=True)
    sys.exit(1 if problems else 0)


@rules.command("test")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "junit"]), default="text", show_default=True)
def rules_test(directory, fmt):
    """Führt die Beispiele jeder Regel durch die echte Engine aus."""
    from engine.authoring.examples import render_results, run_all

    ruleset = _load(directory)
    results, boundary = run_all([lr.rule for lr in ruleset.rules])
    # a rule file that does not load cannot run its examples: a failure, named
    boundary = [f"{p.file}:{p.line}: rule file not loaded: {p.message}" for p in ruleset.problems] + boundary
    click.echo(render_results(results, boundary, fmt), nl=False)
    failed = [r for r in results if not r.passed] + boundary
    sys.exit(1 if failed or ruleset.problems else 0)


@rules.command("coverage")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--corpus", "corpus", multiple=True, required=True, type=click.Path(exists=True, path_type=Path),
              help="bundle(s) or folder(s) of bundles; repeatable")
def rules_coverage(directory, corpus):
    """Welche Regeln auf dem Korpus wie oft anschlagen, welche nie."""
    from engine.authoring.impact import corpus_bundles, coverage, render_coverage

    ruleset = _load(directory)
    bundles = corpus_bundles(list(corpus))
    if not bundles:
        _fail("no bundles found in the corpus")
    counts, run = coverage(ruleset, bundles)
    click.echo(render_coverage(counts, run, ruleset), nl=False)


@rules.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--corpus", "corpus", multiple=True, required=True, type=click.Path(exists=True, path_type=Path),
              help="bundle(s) or folder(s) of bundles; repeatable")
@click.option("--fail-on-change", is_flag=True, help="exit 1 when any finding is added or removed")
@LANG
def rules_diff(old, new, corpus, fail_on_change, lang):
    """Was eine Regeländerung an den Befunden ändert (OLD/NEW: Verzeichnis oder git-Revision)."""
    from engine.authoring.impact import corpus_bundles, diff, render_diff, rules_from
    from engine.report.safe import printable

    try:
        old_rules, _old_tmp = rules_from(old)
        new_rules, _new_tmp = rules_from(new)
    except ValueError as exc:
        _fail(str(exc))
    for label, rs in (("OLD", old_rules), ("NEW", new_rules)):
        for p in rs.problems:
            click.echo(f"{label}: {printable(str(p))}", err=True)
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


if __name__ == "__main__":
    main()
