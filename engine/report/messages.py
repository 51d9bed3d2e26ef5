"""Render message templates and values in German or English.

Templates name fact fields and parameters in braces: ``{service_id}``; money
takes two decimals with ``{settlement_amount:money}``. They are filled by plain
substitution (no ``str.format``, no attribute access).
"""
from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from engine.report.words import t
from schemas.facts import FAR_FUTURE, FAR_PAST

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::(money))?\}")


def placeholders(template: str) -> list[str]:
    return [name for name, _ in PLACEHOLDER.findall(template)]


def fmt_number(value, lang: str, decimals: int = 2) -> str:
    """1234.5 -> '1.234,5' (de) / '1,234.5' (en); whole numbers without decimals."""
    d = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{d:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if lang == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def fmt_money(value, lang: str) -> str:
    d = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{d:,.2f}"
    if lang == "de":
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".") + " €"
    return "EUR " + text


def fmt_date(value: date, lang: str) -> str:
    if value == FAR_FUTURE:
        return t("open_end", lang)
    if value == FAR_PAST:
        return "–"
    return value.strftime("%d.%m.%Y") if lang == "de" else value.isoformat()


def fmt_value(value, lang: str) -> str:
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if isinstance(value, date):
        return fmt_date(value, lang)
    if isinstance(value, (float, Decimal)):
        return fmt_number(value, lang)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(fmt_value(v, lang) for v in value)
    return str(value) if value != "" else "–"


# codes shown with their label in German ("rechtzeitig abgesagt (absent_announced)"); element, phase and role
# stay short (they read as abbreviations: "SP-Termin")
LABELLED = ("attendance", "mode", "employment")


def render(template: str, values: dict, lang: str) -> str:
    def sub(match: re.Match) -> str:
        name, spec = match.group(1), match.group(2)
        if name not in values:
            return match.group(0)
        if name in LABELLED and lang == "de" and isinstance(values[name], str):
            from engine.report.words import code_label

            label = code_label(name, values[name], lang)
            return label if label == values[name] else f"{label} ({values[name]})"
        if spec == "money":
            return fmt_money(values[name], lang).replace(" €", "").replace("EUR ", "")
        return fmt_value(values[name], lang)

    return PLACEHOLDER.sub(sub, template)
