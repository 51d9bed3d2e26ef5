"""The HTML report in a real browser: printed to PDF by headless Chromium, read back with poppler.

Skips (with the reason) only when Chromium or poppler-utils is not installed; .ci/run installs both.
"""
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")

needs_browser = pytest.mark.skipif(
    not (CHROMIUM and POPPLER),
    reason="Chromium or poppler-utils missing: apt-get install -y chromium poppler-utils (.ci/run does)")


def html_report(tmp_path: Path, *bundles, args=()) -> Path:
    r = CliRunner().invoke(main, ["check", *map(str, bundles), "--format", "html", *args])
    assert r.exit_code in (0, 1), r.output
    out = tmp_path / "report.html"
    out.write_text(r.output, encoding="utf-8")
    return out


def to_pdf(html: Path) -> Path:
    pdf = html.with_suffix(".pdf")
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--user-data-dir={html.parent / 'chromium-profile'}", f"--print-to-pdf={pdf}", html.as_uri()],
                   check=True, capture_output=True, timeout=120)
    return pdf


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")


def border_columns(pdf: Path, page: int) -> tuple[int, int]:
    """Rows (pixels, at 70 dpi) crossed by a thin vertical line near the content's left edge, and near its right
    edge: a table's borders (a quote's thick bar and horizontal lines are not thin vertical lines)."""
    out = subprocess.run(["pdftoppm", "-r", "70", "-gray", "-f", str(page), "-l", str(page), str(pdf)],
                         check=True, capture_output=True).stdout
    magic, w, h, _max, px = out.split(maxsplit=4)
    assert magic == b"P5"
    w, h = int(w), int(h)

    def dark(x: int, y: int) -> bool:
        return px[y * w + x] < 240

    def thin_line(xs: range, y: int) -> bool:
        return any(dark(x, y) and not dark(x - 2, y) and not dark(x + 2, y) for x in xs)

    margin = round(14 / 25.4 * 70)  # @page margin 14 mm
    left, right = range(margin - 3, margin + 4), range(w - margin - 5, w - margin + 3)
    return sum(thin_line(left, y) for y in range(h)), sum(thin_line(right, y) for y in range(h))


def test_german_header_rules_version_and_prephase_months(tmp_path):
    text = html_report(tmp_path, FIX / "violating").read_text(encoding="utf-8")
    assert "25 Regeln, sha256:" in text and "25 rules" not in text
    english = html_report(tmp_path, FIX / "violating", args=("--lang", "en")).read_text(encoding="utf-8")
    assert "25 rules, sha256:" in english
    # the Vorphase by month: occupancy above the places purchased is marked
    assert "vergütete Plätze" in text and "01.06.2021 – 30.06.2021" in text
    assert "Belegung über den eingekauften Plätzen (nicht vergütet) in" in text


def test_report_has_header_summary_ledger_and_charts(tmp_path):
    text = html_report(tmp_path, FIX / "violating").read_text(encoding="utf-8")
    for needle in ("955-0042-21", "Bildungswerk Beispiel gGmbH", "Begleitende Phase", "Datenstand", "Prüfdatum",
                   "Stundenkonto", "Mindestabnahme", "<svg", "@page", "size:A4", "Ausgleichszahlung"):
        assert needle in text, needle
    assert "<script" not in text and "http://" not in text and "https://" not in text


@needs_browser
def test_pdf_is_a4_with_repeated_headers_page_numbers_and_totals(tmp_path):
    html = html_report(tmp_path, FIX / "violating")
    pdf = to_pdf(html)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+59[45]\.\d+ x 84[12]\.\d+ pts \(A4\)", info), info
    texts = pages(pdf)
    n = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert n >= 3
    assert f"Seite 1 von {n}" in texts[0] and f"Seite {n} von {n}" in texts[n - 1]
    whole = "\n".join(texts)
    # the totals: value of the unbillable hours and the ledger's settlement figure
    assert "Wert zum Stundenpreis" in whole and "Ausgleichszahlung" in whole
    # a ledger table that runs over a page break repeats its header row on the next page: a page with the
    # header "Position Wert Berechnung" but without the heading that starts such a table
    continued = [i for i, t in enumerate(texts) if re.search(r"Position\s+Wert\s+Berechnung", t)
                 and not re.search(r"(Vertragsjahr|Vorphase) \d+: \d\d\.", t)]
    assert continued, "no ledger table continued over a page break"
    # tables fit the page: their right border is drawn, on every page (cut off at the page's edge it was
    # missing entirely: a few pixels against hundreds on the left, where headings and quotes count too)
    for page in range(1, n + 1):
        left, right = border_columns(pdf, page)
        if left >= 100:  # a page with tables on it (a table's last two rows alone are too few to measure)
            assert right >= 0.4 * left, f"page {page}: left edge {left} px of lines, right edge {right} px"


@needs_browser
def test_pdf_of_a_long_findings_table_repeats_its_header_on_every_page(tmp_path):
    gen = tmp_path / "gen"
    r = CliRunner().invoke(main, ["generate", str(gen), "--contracts", "2", "--participants-per-contract", "15",
                                  "--seed", "3", "--violations", "0.3", "--services-per-participant", "30"])
    assert r.exit_code == 0, r.output
    html = html_report(tmp_path, gen)
    pdf = to_pdf(html)
    texts = pages(pdf)
    whole = "".join(texts)
    assert "Übersicht" in whole
    # the longest rule table: from the page with its heading to the page with its total row,
    # every page shows the table's column headers
    totals = re.findall(r"Summe (ASA-[A-Z-]+)", whole)
    assert totals
    best = None
    for rule in set(totals):
        start = next(i for i, t in enumerate(texts) if re.search(rf"(Fehler|Warnung|Hinweis)\s+{rule}\b", t))
        end = next(i for i, t in enumerate(texts) if f"Summe {rule}" in t)
        if best is None or end - start > best[2] - best[1]:
            best = (rule, start, end)
    rule, start, end = best
    assert end > start, f"no findings table spans a page ({rule})"
    for i in range(start, end + 1):
        assert re.search(r"Fundstelle\s+Datensatz\s+Befund", texts[i]), (rule, i)


def test_findings_with_the_same_message_are_totalled_in_one_row(tmp_path):
    bundle = tmp_path / "rep"
    shutil.copytree(FIX / "compliant", bundle)
    lines = (bundle / "services.csv").read_text(encoding="utf-8").splitlines()
    for n in range(1, 13):  # twelve rows with the same bad value: one message
        cells = lines[n].split(",")
        cells[3] = "60 min"
        lines[n] = ",".join(cells)
    (bundle / "services.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    html = html_report(tmp_path, bundle).read_text(encoding="utf-8")
    assert html.count("Ganzzahl &quot;60 min&quot; ungültig") == 1
    assert "<strong>12×</strong>" in html and "und 4 weitere" in html


def long_id_bundle(tmp_path: Path) -> Path:
    """fixtures/violating with one record id of 93 characters without a space (the provider writes the ids)."""
    bundle = tmp_path / "long-id"
    shutil.copytree(FIX / "violating", bundle)
    services = bundle / "services.csv"
    services.write_text(services.read_text(encoding="utf-8").replace("LN-01291", "LN-" + "verylongidentifier" * 5),
                        encoding="utf-8")
    return bundle


def test_a_very_long_value_gets_break_opportunities(tmp_path):
    text = html_report(tmp_path, long_id_bundle(tmp_path)).read_text(encoding="utf-8")
    assert "LN-verylongidentifie<wbr>rverylongidentifierv<wbr>" in text
    assert "<wbr>" not in text.split("<body>")[0]  # never inside the head (or an attribute)


def title_height(pdf: Path) -> float:
    """Height (pt) of the report's title word on page 1: smaller when print shrank the report to fit the page."""
    box = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    m = re.search(r'yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">Prüfbericht<', box)
    assert m, "title not found"
    return float(m[2]) - float(m[1])


@needs_browser
def test_a_very_long_value_does_not_widen_the_tables_past_the_page(tmp_path):
    """One long id once made its table wider than the page, and print shrank the whole report to fit."""
    (tmp_path / "normal").mkdir()
    normal = to_pdf(html_report(tmp_path / "normal", FIX / "violating"))
    long_id = to_pdf(html_report(tmp_path, long_id_bundle(tmp_path)))
    assert abs(title_height(long_id) - title_height(normal)) < 0.05 * title_height(normal)
