"""asa-check command line: parses arguments and calls the engine, nothing more."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from engine.i18n import t

LANG = click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True,
                    help="Sprache der Ausgabe / output language")
RULES = click.option("--rules", "rules_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Regelverzeichnis / rules directory (default: bundled rules/)")
SEVERITIES = ["error", "warning", "info"]


def _fail(message: str) -> None:
    click.echo(f"asa-check: {message}", err=True)
    sys.exit(2)


def _load(rules_dir: Path | None):
    from engine.rules import load_rules

    if rules_dir is not None and not rules_dir.is_dir():
        _fail(f"rules directory not found: {rules_dir}")
    ruleset = load_rules(rules_dir)
    if not ruleset.rules and not ruleset.problems:
        _fail(f"no rule files (*.yaml) in {ruleset.directory}")
    return ruleset


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="asa-check")
def main() -> None:
    """Prüft Einreichungen von Maßnahmeträgern der AsA flex (§§ 74–75a SGB III).

    Checks AsA flex provider submissions against the documented conditions.
    """


@main.command()
@click.argument("bundles", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "junit", "sarif"]), default="text",
              show_default=True, help="html: a self-contained report to file or print")
@LANG
@RULES
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="error", show_default=True,
              help="exit 1 when a finding of this severity or worse exists")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="worker processes for several bundles (default: all cores)")
@click.option("--color/--no-color", default=None, help="force or suppress colours (default: when a terminal)")
@click.option("--max-file-mb", type=click.IntRange(min=1), default=100, show_default=True,
              help="largest file (or zip member) read, MB")
@click.option("--max-rows", type=click.IntRange(min=1), default=500_000, show_default=True,
              help="most data rows read per submission (all files together)")
def check(bundles, fmt, lang, rules_dir, fail_on, jobs, color, max_file_mb, max_rows):
    """Prüft Einreichung(en) BUNDLE: Verzeichnis, .zip, .xlsx, Ordner von Einreichungen oder Muster (*)."""
    from engine import report
    from engine.batch import check_many, expand

    if any(not b.strip() for b in bundles):
        _fail("empty bundle path")
    ruleset = _load(rules_dir)
    links: list[Path] = []
    paths = expand(list(bundles), links)
    for link in links:
        click.echo(f"asa-check: {t('link_skipped', lang)}: {link}", err=True)
    with _progress(len(paths), enabled=fmt == "text" and len(paths) > 1 and sys.stderr.isatty()) as tick:
        limits = {"max_file_bytes": max_file_mb * 1024 * 1024, "max_rows": max_rows}
        outcomes = check_many(paths, str(rules_dir) if rules_dir else None, ruleset, jobs, on_done=tick,
                              limits=limits)
    unreadable = [o for o in outcomes if o.result is None]
    for o in unreadable:
        click.echo(f"asa-check: {t('bundle_error', lang)}: {o.path}: {o.error_de if lang == 'de' else o.error_en}",
                   err=True)
    results = [o.result for o in outcomes if o.result is not None]
    if not results:
        sys.exit(2)
    if fmt == "json":
        click.echo(report.render_json(results, lang), nl=False)
    elif fmt == "junit":
        from engine.pipeline_formats import render_junit

        click.echo(render_junit(results, lang), nl=False)
    elif fmt == "sarif":
        from engine.pipeline_formats import render_sarif

        click.echo(render_sarif(results, ruleset, lang), nl=False)
    elif fmt == "html":
        from engine.report_html import render_html

        click.echo(render_html(results, lang, _titles(ruleset)), nl=False)
    else:
        titles = _titles(ruleset)
        use_color = sys.stdout.isatty() if color is None else color
        click.echo(report.render_text(results, lang, titles, color=use_color), nl=False)
        if len(results) > 1:
            click.echo(report.render_overview(results, lang), nl=False)
    if unreadable:
        sys.exit(2)
    limit = SEVERITIES.index(fail_on)
    worst = [SEVERITIES.index(f.severity) for r in results for f in r.findings]
    sys.exit(1 if worst and min(worst) <= limit else 0)


def _titles(ruleset) -> dict[str, dict[str, str]]:
    from engine.catalog import BUILTIN

    titles = {lr.rule.id: {"de": lr.rule.title.de, "en": lr.rule.title.en} for lr in ruleset.rules}
    titles.update({rid: title for rid, _, title, _ in BUILTIN})
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
def ledger(bundle, year, months, fmt, lang, rules_dir):
    """Stundenkontingent, Mindestabnahme, Übertrag und Ausgleichszahlung je Vertragsjahr."""
    from engine.check import check_bundle
    from engine.ledger_report import render_ledger
    from engine.read import BundleError

    ruleset = _load(rules_dir)
    try:
        result = check_bundle(bundle, ruleset)
    except BundleError as exc:
        _fail(f"{t('bundle_error', lang)}: {bundle}: {exc.de if lang == 'de' else exc.en}")
    if result.ledger is None:
        _fail("kein Vertrag in der Einreichung" if lang == "de" else "no contract in bundle")
    if year is not None and year not in [y.year for y in result.ledger.years]:
        _fail(f"Vertragsjahr {year} gibt es im Vertrag nicht" if lang == "de" else f"contract year {year} not in contract")
    click.echo(render_ledger(result.ledger, fmt, lang, months, year), nl=False)


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
    from engine.catalog import embed_catalog, render_catalog

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
    from engine.lint import lint

    ruleset = _load(directory)
    problems = lint(ruleset)
    for p in problems:
        click.echo(str(p))
    click.echo(f"{len(problems)} problem(s) in {len(ruleset.rules)} rule(s)", err=True)
    sys.exit(1 if problems else 0)


@rules.command("test")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "junit"]), default="text", show_default=True)
def rules_test(directory, fmt):
    """Führt die Beispiele jeder Regel durch die echte Engine aus."""
    from engine.examples import render_results, run_all

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
    from engine.impact import corpus_bundles, coverage, render_coverage

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
    from engine.impact import corpus_bundles, diff, render_diff, rules_from

    try:
        old_rules, _old_tmp = rules_from(old)
        new_rules, _new_tmp = rules_from(new)
    except ValueError as exc:
        _fail(str(exc))
    for label, rs in (("OLD", old_rules), ("NEW", new_rules)):
        for p in rs.problems:
            click.echo(f"{label}: {p}", err=True)
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
    from engine.generate import generate, render_stats

    stats = generate(out, contracts, participants_per_contract, seed, violations, services_per_participant)
    click.echo(render_stats(stats, lang), nl=False)


if __name__ == "__main__":
    main()
