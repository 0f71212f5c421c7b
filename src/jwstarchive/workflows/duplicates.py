"""Check planned JWST observations against archived ones for potential duplications.

For each planned target the archive (MAST CAOM, level-3 combined observations) is searched
around the target with a radius that depends on the instrument mode and aperture; every
archived observation of the same instrument mode found there (NIRSpec fixed-slit and IFU
targets are also checked against MSA observations) is a *nearby* observation, and it is a
*candidate* duplicate when all the rules hold:

``position``  within the aperture's search radius (spectroscopy) or field overlap > 50 % (imaging);
``mode``      same instrument and mode (or NIRSpec MSA for a FS/IFU target);
``elements``  the planned grating and filter are both in the archived ``filters`` (spectroscopy),
              or one of the planned filters is (imaging);
``exposure``  archived / planned exposure time between 1/4 and 4.

The radii and fields are the documented table ``APERTURES`` (docs/duplicates.md). The result
is only a first screen: potential duplications must be confirmed in APT.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jwstarchive.errors import InputError
from jwstarchive.regions import Region, parse_stcs, separation_arcsec
from jwstarchive.workflows.footprints import field_overlap

__all__ = [
    "APERTURES",
    "Aperture",
    "Candidate",
    "DuplicateReport",
    "PlannedObservation",
    "TargetResult",
    "check_duplicates",
    "read_targets",
]

log = logging.getLogger(__name__)

EXPOSURE_FACTOR = 4.0
OVERLAP_LIMIT = 0.5
APT_REMINDER = (
    "These are potential duplications only: confirm every candidate in APT "
    "(https://jwst-docs.stsci.edu/jwst-opportunities-and-policies/jwst-duplicate-observations-policy)."
)


@dataclass(frozen=True)
class Aperture:
    """How one instrument mode/aperture is searched.

    ``radius`` is the search radius in arcsec for spectroscopic (point-like) modes. Imaging
    modes (``field=(width, height)`` in arcsec) are searched out to the field's diagonal (any
    archived field of that size centred closer can overlap it) and judged by field overlap.
    """

    instrument: str
    name: str
    caom_mode: str
    radius: float
    field: tuple[float, float] | None = None
    also: tuple[str, ...] = ()
    note: str = ""

    @property
    def search_radius(self) -> float:
        """Radius (arcsec) of the cone searched in the archive."""
        return math.hypot(*self.field) if self.field else self.radius

    @property
    def field_text(self) -> str:
        """The field size for people, e.g. ``306"x132"``."""
        return f'{self.field[0]:g}"x{self.field[1]:g}"' if self.field else ""


def _ap(instrument: str, name: str, mode: str, radius: float = 0.0, **kw: Any) -> Aperture:
    return Aperture(instrument, name, f"{instrument}/{mode}", radius, **kw)


_FS = "longest side of the slit"
#: The documented search table (see docs/duplicates.md); keys are (instrument, aperture or mode).
APERTURES: dict[tuple[str, str], Aperture] = {
    (a.instrument, a.name): a
    for a in (
        _ap("NIRSPEC", "MSA", "MSA", 180.0, note="MSA field (tutorial radius)"),
        _ap("NIRSPEC", "IFU", "IFU", 3.0, also=("NIRSPEC/MSA",), note="IFU field of view"),
        _ap("NIRSPEC", "S200A1", "SLIT", 3.3, also=("NIRSPEC/MSA",), note=_FS),
        _ap("NIRSPEC", "S200A2", "SLIT", 3.3, also=("NIRSPEC/MSA",), note=_FS),
        _ap("NIRSPEC", "S400A1", "SLIT", 3.8, also=("NIRSPEC/MSA",), note=_FS),
        _ap("NIRSPEC", "S1600A1", "SLIT", 1.6, also=("NIRSPEC/MSA",), note=_FS),
        _ap("NIRSPEC", "S200B1", "SLIT", 3.3, also=("NIRSPEC/MSA",), note=_FS),
        _ap("NIRSPEC", "BOTS", "BOTS", 1.6, note="S1600A1 aperture"),
        _ap("NIRCAM", "IMAGE", "IMAGE", field=(306.0, 132.0), note="two 2.2' modules and the gap"),
        _ap("NIRCAM", "WFSS", "WFSS", field=(306.0, 132.0), note="grism field = imaging field"),
        _ap("NIRCAM", "GRISM", "GRISM", 3.0, note="grism time series: same target"),
        _ap("NIRCAM", "CORON", "CORON", 10.0, note="half of the 20\" coronagraphic field"),
        _ap("NIRISS", "IMAGE", "IMAGE", field=(133.0, 133.0), note="2.2' x 2.2'"),
        _ap("NIRISS", "WFSS", "WFSS", field=(133.0, 133.0), note="grism field = imaging field"),
        _ap("NIRISS", "SOSS", "SOSS", 3.0, note="single-object slitless: same target"),
        _ap("NIRISS", "AMI", "AMI", 3.0, note="aperture masking: same target"),
        _ap("MIRI", "IMAGE", "IMAGE", field=(74.0, 113.0), note="imager field"),
        _ap("MIRI", "IFU", "IFU", 7.7, note="MRS channel 4 field, longest side"),
        _ap("MIRI", "LRS", "SLIT", 4.7, note="LRS slit, longest side"),
        _ap("MIRI", "SLITLESS", "SLITLESS", 3.0, note="LRS slitless: same target"),
        _ap("MIRI", "CORON", "CORON", 15.0, note="half of the 30\" Lyot field"),
    )
}
_MODE_ALIASES = {
    ("NIRSPEC", "MOS"): "MSA",
    ("NIRSPEC", "FS"): None,
    ("MIRI", "MRS"): "IFU",
    ("MIRI", "SLIT"): "LRS",
    ("MIRI", "IMAGING"): "IMAGE",
    ("NIRCAM", "IMAGING"): "IMAGE",
    ("NIRISS", "IMAGING"): "IMAGE",
}
_NIRSPEC_APERTURES = {name for (inst, name) in APERTURES if inst == "NIRSPEC"}


@dataclass(frozen=True)
class PlannedObservation:
    """One planned observation: position (degrees), instrument, mode/aperture, elements, exposure (s)."""

    id: str
    ra: float
    dec: float
    instrument: str
    mode: str
    elements: tuple[str, ...]
    exposure_time: float
    field: tuple[float, float] | None = None

    @property
    def aperture(self) -> Aperture:
        """The search rule for this observation's instrument and mode (``field`` overrides its field size)."""
        ap = APERTURES[(self.instrument, self.mode)]
        if self.field and ap.field:
            ap = Aperture(ap.instrument, ap.name, ap.caom_mode, ap.radius, self.field, ap.also, "field given")
        return ap


def _aperture_key(instrument: str, mode: str, where: str) -> tuple[str, str]:
    inst = instrument.strip().upper()
    mode = mode.strip().upper()
    if "/" in mode:  # CAOM spelling, e.g. NIRSPEC/IFU
        head, mode = mode.split("/", 1)
        inst = inst or head
    if not inst and mode in _NIRSPEC_APERTURES:
        inst = "NIRSPEC"
    mode = _MODE_ALIASES.get((inst, mode), mode) or mode
    if (inst, mode) not in APERTURES:
        known = ", ".join(sorted(f"{i} {m}" for i, m in APERTURES))
        raise InputError(f"{where}: unknown instrument/mode {instrument!r} {mode!r}; use one of: {known}")
    return inst, mode


def _split_elements(*values: Any) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        if value is None:
            continue
        items = value if isinstance(value, list | tuple) else re.split(r"[;,/+\s]+", str(value))
        out.extend(str(v).strip().upper() for v in items if str(v).strip() and str(v).strip() != "--")
    return tuple(dict.fromkeys(out))


_ALIASES = {
    "id": ("id", "number", "target", "name", "target_id"),
    "ra": ("ra", "s_ra", "ra_deg"),
    "dec": ("dec", "s_dec", "dec_deg"),
    "instrument": ("instrument", "instrument_name"),
    "mode": ("mode", "aperture"),
    "grating": ("grating", "disperser", "pupil"),
    "filter": ("filter", "filters"),
    "exposure_time": ("exposure_time", "exptime", "exposure", "t_exptime"),
    "field_width": ("field_width",),
    "field_height": ("field_height",),
}


def _value(row: dict[str, Any], key: str) -> Any:
    for name in _ALIASES[key]:
        value = row.get(name)
        if value is not None and str(value).strip() not in ("", "--"):
            return value
    return None


def planned_from_mapping(row: dict[str, Any], where: str) -> PlannedObservation:
    """Build one planned observation from a mapping of column name → value (names as in the docs)."""
    row = {str(k).strip().lower(): v for k, v in row.items()}
    missing = [k for k in ("ra", "dec", "mode", "exposure_time") if _value(row, k) is None]
    if missing:
        raise InputError(f"{where}: missing {', '.join(missing)} (columns: id, ra, dec, instrument, mode, "
                         "grating, filter, exposure_time)")
    try:
        ra, dec = float(_value(row, "ra")), float(_value(row, "dec"))
        exposure = float(_value(row, "exposure_time"))
    except (TypeError, ValueError) as exc:
        raise InputError(f"{where}: ra, dec and exposure_time must be numbers (degrees, seconds): {exc}") from None
    if not (0.0 <= ra < 360.0 and -90.0 <= dec <= 90.0):
        raise InputError(f"{where}: position {ra} {dec} is not on the sky (ra 0..360, dec -90..90 degrees)")
    if exposure <= 0:
        raise InputError(f"{where}: exposure_time must be positive seconds, got {exposure}")
    instrument, mode = _aperture_key(str(_value(row, "instrument") or ""), str(_value(row, "mode")), where)
    elements = _split_elements(_value(row, "grating"), _value(row, "filter"))
    ident = _value(row, "id")
    size: tuple[float, float] | None = None
    if _value(row, "field_width") is not None:
        try:
            width = float(_value(row, "field_width"))
            size = (width, float(_value(row, "field_height") or width))
        except (TypeError, ValueError):
            raise InputError(f"{where}: field_width and field_height are arcsec numbers") from None
    return PlannedObservation(str(ident if ident is not None else where), ra, dec, instrument, mode, elements,
                              exposure, size)


def read_targets(path: str | Path) -> list[PlannedObservation]:
    """Read planned observations from a CSV, ECSV, YAML or JSON file.

    Columns (any case): ``id``, ``ra``, ``dec`` (degrees), ``instrument``, ``mode`` (or
    ``aperture``: MSA, IFU, S200A1, ..., IMAGE, WFSS, SOSS, LRS, ...), ``grating``, ``filter``
    (several separated by ``;``) and ``exposure_time`` (seconds); for imaging, optionally
    ``field_width`` and ``field_height`` (arcsec) instead of the instrument's whole field.
    YAML/JSON: a list of mappings, or a mapping with a ``targets`` list.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file (give a CSV, ECSV or YAML list of planned observations)")
    suffix = path.suffix.lower()
    rows: list[dict[str, Any]]
    if suffix in (".yaml", ".yml", ".json"):
        import yaml

        try:
            data = yaml.safe_load(path.read_text()) if suffix != ".json" else json.loads(path.read_text())
        except (yaml.YAMLError, json.JSONDecodeError) as exc:
            raise InputError(f"{path}: not valid {suffix[1:].upper()}: {exc}") from None
        if isinstance(data, dict):
            data = data.get("targets")
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise InputError(f"{path}: expected a list of targets (mappings with id, ra, dec, mode, ...)")
        rows = data
    elif suffix == ".ecsv":
        from astropy.table import Table

        table = Table.read(path, format="ascii.ecsv")
        rows = [{name: row[name] for name in table.colnames} for row in table]
    elif suffix in (".csv", ".txt"):
        text = path.read_text()
        lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    else:
        raise InputError(f"{path}: unknown target file type {suffix!r}; use .csv, .ecsv, .yaml or .json")
    if not rows:
        raise InputError(f"{path}: holds no targets")
    return [planned_from_mapping(row, f"{path.name} target {i}") for i, row in enumerate(rows, 1)]


@dataclass
class Candidate:
    """An archived observation near a planned one, with the outcome of every rule."""

    target_id: str
    program_id: str
    obs_id: str
    obsid: str
    instrument_name: str
    filters: str
    target_name: str
    separation: float
    exposure_time: float
    exposure_ratio: float
    overlap: float | None
    rules: dict[str, bool]
    reasons: list[str]

    @property
    def duplicate(self) -> bool:
        """True when every rule holds: a potential duplication."""
        return all(self.rules.values())

    @property
    def verdict(self) -> str:
        """``candidate`` or ``no: <the rules that failed>``."""
        if self.duplicate:
            return "candidate"
        return "no: " + ", ".join(name for name, ok in self.rules.items() if not ok)


@dataclass
class TargetResult:
    """Everything found for one planned observation."""

    target: PlannedObservation
    searched: tuple[str, ...]
    nearby: list[Candidate] = field(default_factory=list)

    @property
    def candidates(self) -> list[Candidate]:
        """The nearby observations that satisfy every rule."""
        return [c for c in self.nearby if c.duplicate]


_COLUMNS = ("target", "verdict", "program", "obs_id", "obsid", "instrument_name", "filters", "separation",
            "exposure_time", "exposure_ratio", "overlap", "rules_matched", "reasons")


@dataclass
class DuplicateReport:
    """The duplication check of a list of planned observations."""

    results: list[TargetResult]
    mast_url: str

    @property
    def candidates(self) -> list[Candidate]:
        """All candidate duplicates, target by target."""
        return [c for r in self.results for c in r.candidates]

    @property
    def has_candidates(self) -> bool:
        """True when at least one target has a candidate duplicate."""
        return bool(self.candidates)

    def to_table(self, *, include_nearby: bool = True) -> Any:
        """An astropy Table, one row per nearby observation (``verdict`` says whether it is a candidate)."""
        from astropy.table import Table

        rows = []
        for result in self.results:
            for c in result.nearby if include_nearby else result.candidates:
                rows.append((
                    c.target_id, c.verdict, c.program_id, c.obs_id, c.obsid, c.instrument_name, c.filters,
                    round(c.separation, 2), c.exposure_time, round(c.exposure_ratio, 3),
                    math.nan if c.overlap is None else round(c.overlap, 3),
                    ",".join(k for k, ok in c.rules.items() if ok), "; ".join(c.reasons),
                ))
        dtypes = (str, str, str, str, str, str, str, float, float, float, float, str, str)
        table = Table(rows=rows or None, names=_COLUMNS, dtype=dtypes)
        table["separation"].unit = "arcsec"
        table["exposure_time"].unit = "s"
        table.meta["comments"] = [APT_REMINDER]
        table.meta["mast_url"] = self.mast_url
        table.meta["targets_without_candidates"] = [r.target.id for r in self.results if not r.candidates]
        return table

    def write_ecsv(self, path: str | Path) -> Path:
        """Write the report table as ECSV; returns the path."""
        path = Path(path)
        self.to_table().write(path, format="ascii.ecsv", overwrite=True)
        return path

    def write_html(self, path: str | Path) -> Path:
        """Write the report as one HTML page (Jinja2 template ``templates/duplicates.html``)."""
        import jinja2

        env = jinja2.Environment(
            loader=jinja2.PackageLoader("jwstarchive.workflows", "templates"),
            autoescape=jinja2.select_autoescape(["html"]),
        )
        page = env.get_template("duplicates.html").render(report=self, reminder=APT_REMINDER)
        path = Path(path)
        path.write_text(page, encoding="utf-8")
        return path

    def render_text(self, *, include_nearby: bool = True) -> str:
        """The report as plain text: one section per target, then the APT reminder."""
        out: list[str] = []
        for result in self.results:
            t = result.target
            elements = "/".join(t.elements) or "any element"
            ap = t.aperture
            rule = f"field overlap > {OVERLAP_LIMIT:.0%}" if ap.field else f"within {ap.radius:g}\""
            out.append(f"Target {t.id}: {t.instrument} {t.mode} at {t.ra:.6f} {t.dec:+.6f}, {elements}, "
                       f"{t.exposure_time:g} s (searched {', '.join(result.searched)}; {rule})")
            cands = result.candidates
            if not cands:
                out.append("  no candidates: no archived observation matches this target")
            for c in cands:
                out.append(f"  CANDIDATE program {c.program_id} {c.obs_id} (obsid {c.obsid}) {c.instrument_name} "
                           f"{c.filters}: separation {c.separation:.1f}\", exposure ratio {c.exposure_ratio:.2f}")
                out.extend(f"      {reason}" for reason in c.reasons)
            others = [c for c in result.nearby if not c.duplicate]
            if include_nearby and others:
                out.append(f"  {len(others)} nearby observation(s) that are not duplicates:")
                for c in others:
                    out.append(f"    program {c.program_id} {c.obs_id} (obsid {c.obsid}) {c.filters}: {c.verdict} "
                               f"({'; '.join(r for r in c.reasons if r.startswith('NOT'))})")
            out.append("")
        total = len(self.candidates)
        programs = sorted({c.program_id for c in self.candidates}, key=lambda p: int(p) if p.isdigit() else 0)
        out.append(f"{total} candidate(s) for {sum(1 for r in self.results if r.candidates)} of "
                   f"{len(self.results)} target(s)" + (f"; programs to check in APT: {', '.join(programs)}"
                                                      if programs else ""))
        out.append(APT_REMINDER)
        return "\n".join(out) + "\n"


_LEVEL3 = re.compile(r"^(jw\d{5}-[ocar]\d{3,4})_([tsbv])\d+(_.*)$")


def _cell(row: Any, name: str, default: Any = None) -> Any:
    try:
        value = row[name]
    except (KeyError, IndexError):
        return default
    if getattr(value, "mask", False) is True:
        return default
    return value


def _group_observations(rows: Iterable[Any]) -> list[Any]:
    """One row per archived observation: level-3 source-based rows fold into their target-based one."""
    chosen: dict[tuple[str, ...], Any] = {}
    for row in rows:
        obs_id = str(_cell(row, "obs_id", ""))
        match = _LEVEL3.match(obs_id)
        key = (match.group(1), match.group(3)) if match else (obs_id,)
        key = (*key, str(_cell(row, "instrument_name", "")), str(_cell(row, "filters", "")))
        best = chosen.get(key)
        if best is None or (match and match.group(2) == "t" and "_t" not in str(_cell(best, "obs_id", ""))):
            chosen[key] = row
    return list(chosen.values())


def _evaluate(target: PlannedObservation, row: Any, mode_note: str) -> Candidate:
    ap = target.aperture
    ra, dec = float(_cell(row, "s_ra", math.nan)), float(_cell(row, "s_dec", math.nan))
    separation = separation_arcsec(target.ra, target.dec, ra, dec)
    rules: dict[str, bool] = {}
    reasons: list[str] = []
    overlap: float | None = None
    if ap.field:
        footprint = parse_stcs(_cell(row, "s_region"))
        if not footprint.has_area:  # no footprint: a disc as wide as the field's short side
            footprint = Region(circles=((ra, dec, min(ap.field) / 7200.0),))
        overlap = field_overlap(target.ra, target.dec, *ap.field, footprint)
        rules["position"] = overlap > OVERLAP_LIMIT
        word = "" if rules["position"] else "NOT "
        reasons.append(f"{word}field overlap {overlap:.0%} (needs > {OVERLAP_LIMIT:.0%} of the "
                       f"{ap.field_text} field); separation {separation:.1f}\"")
    else:
        rules["position"] = separation <= ap.radius
        word = "" if rules["position"] else "NOT "
        reasons.append(f"{word}within the {ap.name} search radius: {separation:.1f}\" <= {ap.radius:g}\"")
    rules["mode"] = True
    reasons.append(f"same instrument mode: {_cell(row, 'instrument_name')}{mode_note}")
    archived = {f.strip().upper() for f in str(_cell(row, "filters", "") or "").split(";") if f.strip()}
    if not target.elements:
        rules["elements"] = True
        reasons.append("no grating/filter given: any elements match")
    elif ap.field:
        common = [e for e in target.elements if e in archived]
        rules["elements"] = bool(common)
        reasons.append(f"filter {'/'.join(common)} in both" if common
                       else f"NOT the same filter: planned {'/'.join(target.elements)}, "
                            f"archived {';'.join(sorted(archived))}")
    else:
        missing = [e for e in target.elements if e not in archived]
        rules["elements"] = not missing
        reasons.append(f"same grating/filter {'/'.join(target.elements)}" if not missing
                       else f"NOT the same grating/filter: planned {'/'.join(target.elements)}, "
                            f"archived {';'.join(sorted(archived))}")
    exposure = float(_cell(row, "t_exptime", math.nan))
    ratio = exposure / target.exposure_time if exposure == exposure else math.nan
    rules["exposure"] = 1.0 / EXPOSURE_FACTOR <= ratio <= EXPOSURE_FACTOR
    word = "" if rules["exposure"] else "NOT "
    reasons.append(f"{word}exposure within a factor of {EXPOSURE_FACTOR:g}: {exposure:g} s archived / "
                   f"{target.exposure_time:g} s planned = {ratio:.2f}")
    return Candidate(
        target_id=target.id,
        program_id=str(_cell(row, "proposal_id", "")),
        obs_id=str(_cell(row, "obs_id", "")),
        obsid=str(_cell(row, "obsid", "")),
        instrument_name=str(_cell(row, "instrument_name", "")),
        filters=str(_cell(row, "filters", "") or ""),
        target_name=str(_cell(row, "target_name", "") or ""),
        separation=separation,
        exposure_time=exposure,
        exposure_ratio=ratio,
        overlap=overlap,
        rules=rules,
        reasons=reasons,
    )


def check_target(target: PlannedObservation, observations: Any) -> TargetResult:
    """Check one planned observation; ``observations`` is the MAST client (``jwstarchive.mast.Observations``)."""
    from astropy import units as u
    from astropy.coordinates import SkyCoord

    ap = target.aperture
    modes = (ap.caom_mode, *ap.also)
    result = TargetResult(target, modes)
    position = SkyCoord(target.ra, target.dec, unit="deg")
    seen: set[str] = set()
    for mode in modes:
        log.info("target %s: searching %s within %.1f arcsec", target.id, mode, ap.search_radius)
        table = observations.query_criteria(
            coordinates=position,
            radius=ap.search_radius * u.arcsec,
            obs_collection="JWST",
            instrument_name=mode,
            calib_level=3,
        )
        note = "" if mode == ap.caom_mode else f" (a {ap.name} target is also checked against {mode})"
        for row in _group_observations(table):
            candidate = _evaluate(target, row, note)
            if candidate.obsid not in seen:
                seen.add(candidate.obsid)
                result.nearby.append(candidate)
    result.nearby.sort(key=lambda c: (not c.duplicate, c.separation, c.obs_id))
    return result


def check_duplicates(
    targets: Sequence[PlannedObservation] | str | Path,
    *,
    mast_url: str | None = None,
    token: str | None = None,
) -> DuplicateReport:
    """Check planned observations (or a targets file) against the archive; see the module docstring.

    Parameters
    ----------
    targets
        Planned observations, or the path of a CSV/ECSV/YAML/JSON file of them (``read_targets``).
    mast_url
        MAST base URL (default: ``JWSTARCHIVE_MAST_URL`` or ``https://mast.stsci.edu``).
    token
        MAST token, to include exclusive-access observations you may see.

    Returns
    -------
    DuplicateReport
        ``.candidates``, ``.has_candidates``, ``.to_table()``, ``.write_ecsv()``, ``.write_html()``,
        ``.render_text()``.
    """
    import warnings

    from jwstarchive.mast import ObservationsClass

    planned = read_targets(targets) if isinstance(targets, str | Path) else list(targets)
    observations = ObservationsClass(mast_url=mast_url, token=token)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*[Nn]o results.*")
            results = [check_target(target, observations) for target in planned]
        return DuplicateReport(results, observations.mast_url)
    finally:
        observations.close()
