"""What a generator run wrote: counts, bytes, planted violations per rule; as text."""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.report.words import t


# --- stats -------------------------------------------------------------------------


@dataclass
class GenerateStats:
    contracts: int = 0
    participants: int = 0
    staff: int = 0
    services: int = 0
    bytes: int = 0
    planted: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    bundles: list[str] = field(default_factory=list)

    def add(self, other: "GenerateStats") -> None:
        self.contracts += other.contracts
        self.participants += other.participants
        self.staff += other.staff
        self.services += other.services
        self.bytes += other.bytes
        for k, v in other.planted.items():
            self.planted[k] = self.planted.get(k, 0) + v
        self.bundles.extend(other.bundles)

    @property
    def planted_total(self) -> int:
        return sum(self.planted.values())

    def to_dict(self) -> dict:
        return {
            "contracts": self.contracts, "participants": self.participants, "staff": self.staff,
            "services": self.services, "bytes": self.bytes, "seconds": round(self.seconds, 3),
            "planted": dict(sorted(self.planted.items())), "planted_total": self.planted_total,
        }


def number_text(x: float, decimals: int, lang: str) -> str:
    text = f"{x:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "de" else text


def render_stats(stats: GenerateStats, lang: str = "de") -> str:
    """The stats as a few lines of text (German or English)."""
    rate = stats.services / stats.seconds if stats.seconds > 0 else 0.0
    lang = "en" if lang == "en" else "de"
    labels = [t(f"gen_{key}", lang) for key in ("contracts", "participants", "staff", "services", "size", "time",
                                                  "planted", "services_per_second", "bytes")]
    width = max(len(x) for x in labels[:7]) + 2
    rows = [
        (labels[0], number_text(stats.contracts, 0, lang)),
        (labels[1], number_text(stats.participants, 0, lang)),
        (labels[2], number_text(stats.staff, 0, lang)),
        (labels[3], number_text(stats.services, 0, lang)),
        (labels[4], f"{number_text(stats.bytes / 1e6, 1, lang)} MB ({number_text(stats.bytes, 0, lang)} {labels[8]})"),
        (labels[5], f"{number_text(stats.seconds, 2, lang)} s ({number_text(rate, 0, lang)} {labels[7]})"),
        (labels[6], number_text(stats.planted_total, 0, lang)),
    ]
    lines = [f"{(label + ':').ljust(width)}{value}" for label, value in rows]
    lines += [f"  {rule}: {number_text(n, 0, lang)}" for rule, n in sorted(stats.planted.items())]
    return "\n".join(lines) + "\n"
