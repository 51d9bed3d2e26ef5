"""Stylesheet of the HTML report: screen and print (A4, repeated table headers, page numbers)."""
from __future__ import annotations

from engine.report.words import t

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:2rem;color:#1b1b1b;
max-width:72rem;font-size:10.5pt;line-height:1.35}
h1{font-size:1.5rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:2px solid #444}
h3{font-size:1.05rem;margin:1.4rem 0 .3rem;border-bottom:1px solid #ccc} h4{font-size:.98rem;margin:1.1rem 0 .3rem}
h2,h3,h4{break-after:avoid;page-break-after:avoid}
.meta{color:#555;font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.86rem;margin:.4rem 0}
th,td{border:1px solid #d0d0d0;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f2f2f2} td.num,th.num{text-align:right;white-space:nowrap}
table.kv th{width:14rem;font-weight:600} tr.total td{font-weight:700;background:#fafafa}
.sev{font-weight:600;white-space:nowrap} .nowrap{white-space:nowrap} .error{color:#a40000} .warning{color:#8a5a00} .info{color:#00529b}
.rule,code.rule{white-space:nowrap;word-break:keep-all;hyphens:none;overflow-wrap:normal}
td,th{overflow-wrap:break-word;hyphens:auto} .why{color:#444;font-size:.8rem;margin-top:.15rem}
.new{color:#a40000;font-weight:600} .persisting{color:#555}
blockquote{margin:.3rem 0 .6rem;padding:.3rem .8rem;border-left:4px solid #bbb;color:#333;font-size:.85rem}
.ok{color:#1c6b1c;font-weight:600} code{font-size:.82rem} figure{margin:.6rem 0;break-inside:avoid}
figcaption{font-size:.8rem;color:#555} svg.chart{max-width:100%;height:auto;font-family:inherit}
@media print{
  body{margin:0;max-width:none;font-size:9pt}
  /* a collapsed table's outer border lies half outside its box: 2px narrower, the right border is not cut
     off at the page's edge */
  table{width:calc(100% - 2px)}
  a{color:inherit;text-decoration:none}
  thead{display:table-header-group} tr{break-inside:avoid;page-break-inside:avoid}
  section.bundle{break-before:page}
  section.bundle:first-of-type{break-before:auto}
}
"""


def page_css(lang: str) -> str:
    """A4 with margins and page numbers (Chromium prints @page margin boxes)."""
    page, of = t("page", lang) + " ", " " + t("page_of", lang) + " "
    return ("@page{size:A4;margin:16mm 14mm 18mm 14mm;"
            f'@bottom-right{{content:"{page}" counter(page) "{of}" counter(pages);font-size:8pt;color:#555;font-family:sans-serif}}'
            '@bottom-left{content:"asa-check";font-size:8pt;color:#555;font-family:sans-serif}}')
