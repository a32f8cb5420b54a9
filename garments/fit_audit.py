"""Checks of a fit result against itself: what its text says and what its table shows must agree.

Used by the tests and ``bench/bench_fit_truth.py``; each check returns a list of problems (empty: none).
"""

from __future__ import annotations

import re

from .fit_constants import FITTING_VERDICTS, WONT_CLOSE

# A zone quoted in the advice: "hip -8.9 cm (won't close" -> zone, ease text, verdict.
QUOTE = re.compile(r"(chest|waist|hip) ((?:[+-]\d+\.\d|0\.0) cm) \(([^,)]+)")
# The size a line of advice is about.
LINE_SIZE = re.compile(r"^(?:No size fits: even )?(\S+?)(?: fits:| is too small:| \(looser\):)")


def text_contradictions(report) -> list[str]:
    """Figures or words of the advice text (reasons and between-sizes note) that differ from the table."""
    rows = {s.size: {r[0].split()[0]: r for r in report.rows(s.size)} for s in report.sizes}
    problems = []
    for line in report.reasons:
        head = LINE_SIZE.match(line)
        if head is None or head.group(1) not in rows:
            problems.append(f"line names no size: {line!r}")
            continue
        size = head.group(1)
        for zone, ease, word in QUOTE.findall(line):
            row = rows[size].get(zone)
            if row is None or row[1] != ease or row[4] != word:
                problems.append(f"{size} {zone}: text {ease} {word}, table {row and (row[1], row[4])}")
    if report.between:
        for part in report.between.split(": ", 1)[1].split("; "):
            size, _, feel = part.partition(": ")
            if size not in rows:
                continue
            for group in feel.split(", "):
                word, _, zones = group.partition(" at ")
                for zone in zones.split(" and "):
                    row = rows[size].get(zone)
                    if row is None or row[4] != word:
                        problems.append(f"between note: {size} {word} at {zone}, table {row and row[4]}")
    return problems


def impossible_fits(report) -> list[str]:
    """Zones that must stretch beyond the fabric's limit but read as closing, and sizes that read as fitting
    with such a zone."""
    problems = []
    for s in report.sizes:
        for z in s.zones.values():
            if z.needed_stretch > report.fabric_stretch + 1e-9 and (z.verdict != WONT_CLOSE or s.fits):
                problems.append(f"{s.size} {z.zone} needs {z.needed_stretch:.3f} > {report.fabric_stretch}: "
                                f"reads {z.verdict}")
    rec = report.size(report.recommended)
    if report.fits and not all(z.verdict in FITTING_VERDICTS for z in rec.zones.values()):
        problems.append(f"{rec.size} is recommended as fitting but reads {rec.feel()}")
    return problems


def non_monotone_sizes(report) -> list[str]:
    """Zones whose ease does not grow with the size, on one body."""
    problems = []
    for zone in report.zones:
        eases = [s.zones[zone].ease_cm for s in report.sizes if zone in s.zones]
        if any(b <= a for a, b in zip(eases, eases[1:])):
            problems.append(f"{zone}: {eases}")
    return problems


def non_monotone_bodies(reports) -> list[str]:
    """Across bodies (reports of one garment on each): sizes and zones whose ease does not fall as the body's
    girth there grows."""
    problems = []
    first = reports[0]
    for s in first.sizes:
        for zone in first.zones:
            pairs = sorted((r.size(s.size).zones[zone].body_cm, r.size(s.size).zones[zone].ease_cm)
                           for r in reports if zone in r.size(s.size).zones)
            if any(b[1] > a[1] and b[0] > a[0] for a, b in zip(pairs, pairs[1:])):
                problems.append(f"{s.size} {zone}: {pairs}")
    return problems
