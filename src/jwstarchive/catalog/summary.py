"""A summary of an archive a person can read: programs, observations and products."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jwstarchive.errors import ArchiveError

__all__ = ["archive_summary", "render_summary"]


def archive_summary(archive: Path) -> dict[str, Any]:
    """Counts of an archive: totals, by instrument, by level and product type, exclusive access."""
    import duckdb

    path = Path(archive) / "catalog.duckdb"
    if not path.is_file():
        raise ArchiveError(
            f"{archive} is not an archive (no catalog.duckdb): run `jwstarchive generate --out {archive}`"
        )
    con = duckdb.connect(str(path), read_only=True)
    try:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return con.execute(sql).fetchall()

        totals = dict(
            zip(
                ("programs", "observations", "visits", "exposures", "caom_observations", "products", "bytes"),
                rows(
                    "SELECT (SELECT count(*) FROM core.program), (SELECT count(*) FROM core.observation), "
                    "(SELECT count(*) FROM core.visit), (SELECT count(*) FROM core.exposure), "
                    "(SELECT count(*) FROM core.caom_observation), (SELECT count(*) FROM core.product), "
                    "(SELECT coalesce(sum(size), 0) FROM core.product)"
                )[0],
                strict=True,
            )
        )
        by_instrument = rows(
            "SELECT o.instrument, count(DISTINCT o.program_id), count(DISTINCT (o.program_id, o.observtn)), "
            "count(p.product_key) FROM core.caom_observation o LEFT JOIN core.product p USING (obsid) "
            "GROUP BY 1 ORDER BY 1"
        )
        by_level = rows(
            "SELECT calib_level, product_type, count(*), sum(size) FROM core.product GROUP BY 1, 2 ORDER BY 1, 2"
        )
        by_mode = rows("SELECT mode, count(*) FROM core.observation GROUP BY 1 ORDER BY 2 DESC, 1")
        exclusive = rows(
            "SELECT program_id, category, owner, min(o.release_date) FROM core.program "
            "JOIN core.observation o USING (program_id) "
            "GROUP BY ALL HAVING min(o.release_date) > now() ORDER BY 1"
        )
        dates = rows("SELECT min(date_beg), max(date_end) FROM core.exposure")[0]
    finally:
        con.close()
    manifest_path = Path(archive) / "archive.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    return {
        "archive": str(archive),
        "manifest": manifest,
        "totals": totals,
        "by_instrument": by_instrument,
        "by_level": by_level,
        "by_mode": by_mode,
        "exclusive": exclusive,
        "dates": dates,
    }


def _bytes(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if n < 1000:
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1000
    return f"{n:.1f} PB"


def render_summary(archive: Path) -> str:
    """The summary as text (fits an 80-column terminal)."""
    info = archive_summary(archive)
    t = info["totals"]
    m = info["manifest"]
    lines = [
        f"jwstarchive archive at {info['archive']}"
        + (f"  (scale {m.get('scale')}, seed {m.get('seed')})" if m else ""),
        f"  {t['programs']} programs, {t['observations']} observations, {t['visits']} visits, "
        f"{t['exposures']} exposures",
        f"  {t['caom_observations']} CAOM observations, {t['products']} products, {_bytes(t['bytes'])}",
    ]
    if info["dates"][0] is not None:
        lines.append(f"  observed {info['dates'][0]:%Y-%m-%d} to {info['dates'][1]:%Y-%m-%d}")
    lines += ["", f"  {'instrument':<10} {'programs':>9} {'observations':>13} {'products':>10}"]
    for instrument, programs, observations, products in info["by_instrument"]:
        lines.append(f"  {instrument:<10} {programs:>9} {observations:>13} {products:>10}")
    lines += ["", f"  {'mode':<16} {'observations':>13}"]
    for mode, count in info["by_mode"]:
        lines.append(f"  {mode:<16} {count:>13}")
    lines += ["", f"  {'level':<6} {'product type':<13} {'products':>10} {'size':>11}"]
    for level, ptype, count, size in info["by_level"]:
        lines.append(f"  {level:<6} {ptype:<13} {count:>10} {_bytes(size or 0):>11}")
    if info["exclusive"]:
        lines += ["", "  exclusive-access programs (not yet public):"]
        for program, category, owner, release in info["exclusive"]:
            who = f", held by user '{owner}'" if owner else ""
            lines.append(f"    {program} {category:<4} public from {release:%Y-%m-%d}{who}")
    return "\n".join(lines)
