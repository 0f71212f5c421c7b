"""Generate a realistic JWST archive catalog into a DuckDB file, deterministically for a seed.

``generate(out, scale, seed)`` builds every core table (``catalog/model.py``) from the curated
and random programs (``catalog/programs.py``), writes them, creates the published views, then
renders every product's bytes once to record its exact size and md5.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from jwstarchive.catalog.model import CORE_TABLES, core_ddl
from jwstarchive.catalog.programs import (
    EAP_OWNER,
    ObsPlan,
    ProgramPlan,
    curated_programs,
    random_program,
    target_by_name,
)
from jwstarchive.catalog.setups import Config, Setup, setup_for
from jwstarchive.catalog.targets import SkyTarget
from jwstarchive.errors import InputError

__all__ = ["SCALES", "GenerateResult", "demo_archive", "generate"]

log = logging.getLogger(__name__)

#: Scale name -> (which curated programs, product count to reach with random programs).
SCALES: dict[str, tuple[str, int]] = {
    "small": ("small", 0),
    "demo": ("demo", 0),
    "1e5": ("large", 100_000),
    "1e6": ("large", 1_000_000),
    "1e7": ("large", 10_000_000),
}

MANIFEST = "archive.json"
UUID_NAMESPACE = uuid.UUID("6f0c4a52-8f1e-4c1b-9d55-2f1f3a1e7b10")
FIRST_OBSID = 87_600_000
ARCHIVE_START = datetime(2022, 7, 12)
ARCHIVE_END = datetime(2026, 11, 15)
MJD_EPOCH = datetime(1858, 11, 17)

#: Field of view (arcsec, square) of one detector in a mode family, for footprints.
FIELD_ARCSEC = {
    "nrca1": 63.0, "nrca2": 63.0, "nrca3": 63.0, "nrca4": 63.0, "nrcb1": 63.0, "nrcb2": 63.0,
    "nrcb3": 63.0, "nrcb4": 63.0, "nrcalong": 129.0, "nrcblong": 129.0, "nrs1": 100.0, "nrs2": 100.0,
    "nis": 133.0, "mirimage": 74.0, "mirifushort": 5.2, "mirifulong": 7.7, "guider1": 138.0,
    "guider2": 138.0,
}
#: Detector centre offsets (arcsec) from the pointing, in the aperture frame.
DETECTOR_OFFSET = {
    "nrca1": (-75.0, 33.0), "nrca2": (-75.0, -33.0), "nrca3": (-9.0, 33.0), "nrca4": (-9.0, -33.0),
    "nrcalong": (-42.0, 0.0), "nrcb1": (75.0, -33.0), "nrcb2": (75.0, 33.0), "nrcb3": (9.0, -33.0),
    "nrcb4": (9.0, 33.0), "nrcblong": (42.0, 0.0), "nrs1": (-52.0, 0.0), "nrs2": (52.0, 0.0),
}
MODE_FIELD = {"NIRSPEC/IFU": 3.0, "NIRSPEC/SLIT": 3.3, "NIRSPEC/BOTS": 1.6, "MIRI/SLIT": 5.5,
              "MIRI/SLITLESS": 10.0, "NIRCAM/GRISM": 40.0, "NIRISS/SOSS": 40.0, "NIRISS/AMI": 5.0}
CAL_VERSIONS = ((datetime(2022, 1, 1), "1.5.3", "jwst_0942.pmap"),
                (datetime(2023, 1, 1), "1.11.4", "jwst_1140.pmap"),
                (datetime(2024, 1, 1), "1.14.0", "jwst_1241.pmap"),
                (datetime(2025, 1, 1), "1.18.0", "jwst_1364.pmap"),
                (datetime(2026, 1, 1), "1.20.2", "jwst_1464.pmap"))


@dataclass
class GenerateResult:
    """What ``generate`` made."""

    archive: Path
    counts: dict[str, int]
    seconds: float
    render_seconds: float


@dataclass
class _Rows:
    """Rows of every core table, as lists of tuples in model column order."""

    tables: dict[str, list[tuple[Any, ...]]] = field(
        default_factory=lambda: {t.name: [] for t in CORE_TABLES}
    )

    def add(self, table: str, *values: Any) -> None:
        self.tables[table].append(values)


def _mjd(when: datetime) -> float:
    return (when - MJD_EPOCH).total_seconds() / 86400.0


def _uuid(text: str) -> str:
    return str(uuid.uuid5(UUID_NAMESPACE, text))


def _add_months(when: datetime, months: int) -> datetime:
    year, month = divmod(when.month - 1 + months, 12)
    return when.replace(year=when.year + year, month=month + 1, day=min(when.day, 28))


def _pipeline(when: datetime) -> tuple[str, str]:
    cal_ver, ctx = CAL_VERSIONS[0][1:]
    for start, version, context in CAL_VERSIONS:
        if when >= start:
            cal_ver, ctx = version, context
    return cal_ver, ctx


def _sky_offset(ra: float, dec: float, dx: float, dy: float, pa: float) -> tuple[float, float]:
    """Move from (ra, dec) by (dx, dy) arcsec in a frame rotated by ``pa`` deg (gnomonic)."""
    theta = math.radians(pa)
    xi = math.radians((dx * math.cos(theta) - dy * math.sin(theta)) / 3600.0)
    eta = math.radians((dx * math.sin(theta) + dy * math.cos(theta)) / 3600.0)
    ra0, dec0 = math.radians(ra), math.radians(dec)
    denom = math.cos(dec0) - eta * math.sin(dec0)
    ra1 = ra0 + math.atan2(xi, denom)
    dec1 = math.atan2(math.sin(dec0) + eta * math.cos(dec0), math.hypot(xi, denom))
    return math.degrees(ra1) % 360.0, math.degrees(dec1)


def _footprint(ra: float, dec: float, size: float, pa: float) -> str:
    """STC-S polygon of a square ``size`` arcsec wide centred on (ra, dec)."""
    half = size / 2.0
    corners = [_sky_offset(ra, dec, sx * half, sy * half, pa) for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))]
    return "POLYGON ICRS " + " ".join(f"{c[0]:.6f} {c[1]:.6f}" for c in corners)


def _gs_time(when: datetime) -> str:
    return when.strftime("%Y%j%H%M%S")


def _asn_stamp(when: datetime) -> str:
    return when.strftime("%Y%m%dt%H%M%S")


class _Builder:
    """Turns program plans into core-table rows."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rows = _Rows()
        self.next_obsid = FIRST_OBSID
        self.next_product = 1
        self.targets: dict[str, int] = {}
        self.products = 0

    # -- small helpers ---------------------------------------------------------------------------
    def _target_id(self, target: SkyTarget, ra: float, dec: float) -> int:
        if target.name not in self.targets:
            self.targets[target.name] = len(self.targets) + 1
            self.rows.add("target", self.targets[target.name], target.name, ra, dec,
                          "MOVING" if target.moving else "FIXED", target.classification,
                          target.description, target.kind.upper(), target.redshift)
        return self.targets[target.name]

    def _obsid(self) -> int:
        self.next_obsid += 1
        return self.next_obsid

    def _product(self, *, filename: str, obsid: int, plane: str, program: str, visit_id: str | None,
                 file_set: str | None, detector: str | None, segment: int | None, suffix: str,
                 extension: str, subgroup: str, product_type: str, calib_level: int,
                 product_level: str | None, guide_star: bool, mrp: bool, release: datetime,
                 ingest: datetime) -> None:
        cal_ver, ctx = _pipeline(ingest)
        content = {"fits": "application/fits", "jpg": "image/jpeg", "json": "application/json",
                   "csv": "text/csv", "ecsv": "text/plain"}[extension]
        self.rows.add("product", self.next_product, _uuid("artifact:" + filename), filename, obsid, plane,
                      program, visit_id, file_set, detector, segment, suffix, extension, subgroup,
                      product_type, calib_level, product_level, content, guide_star, mrp, None, None,
                      release, ingest, cal_ver, ctx)
        self.next_product += 1
        self.products += 1

    def _data_products(self, base: str, suffixes: tuple[str, ...], previews: tuple[str, ...], *,
                       obsid: int, plane: str, level: int, ctx: dict[str, Any]) -> None:
        """A FITS/ECSV file per suffix, plus a preview and thumbnail for the previewed ones."""
        for suffix in suffixes:
            extension = "ecsv" if suffix in ("cat", "whtlt") else "fits"
            product_level = {"uncal": "1b", "rate": "2a", "rateints": "2a", "trapsfilled": "2a"}.get(
                suffix, "3" if level == 3 else "2b")
            self._product(filename=f"{base}_{suffix}.{extension}", obsid=obsid, plane=plane, suffix=suffix,
                          extension=extension, subgroup=suffix.upper(), product_type="SCIENCE",
                          calib_level=level, product_level=product_level,
                          guide_star=False, mrp=level == 3 or suffix in ("cal", "x1d", "s3d", "i2d", "calints"),
                          **ctx)
            if suffix in previews:
                self._product(filename=f"{base}_{suffix}.jpg", obsid=obsid, plane=plane, suffix=suffix,
                              extension="jpg", subgroup=suffix.upper(), product_type="PREVIEW",
                              calib_level=level, product_level=None, guide_star=False, mrp=False, **ctx)
                self._product(filename=f"{base}_{suffix}_thumb.jpg", obsid=obsid, plane=plane,
                              suffix=f"{suffix}_thumb", extension="jpg", subgroup=suffix.upper(),
                              product_type="THUMBNAIL", calib_level=level, product_level=None,
                              guide_star=False, mrp=False, **ctx)

    # -- programs ----------------------------------------------------------------------------------
    def add_program(self, plan: ProgramPlan) -> None:
        program = f"{plan.num:05d}"
        self.rows.add("program", program, plan.num, plan.title, plan.pi, plan.category,
                      {"GO": "Regular", "GTO": "GTO", "ERS": "ERS", "COM": "Commissioning", "DD": "DD",
                       "CAL": "Calibration"}.get(plan.category, plan.category),
                      plan.science_category, plan.cycle, plan.eap_months, plan.owner)
        rng = random.Random(f"{self.seed}:{program}")
        for number, obs in enumerate(plan.observations, start=1):
            self._add_observation(plan, program, number, obs, rng)

    def _add_observation(self, plan: ProgramPlan, program: str, number: int, obs: ObsPlan,
                         rng: random.Random) -> None:
        setup = setup_for(obs.mode)
        target = target_by_name(obs.target)
        ra, dec = _sky_offset(target.ra, target.dec, obs.offset[0], obs.offset[1], 0.0)
        target_id = self._target_id(target, target.ra, target.dec)
        when = obs.start
        pa = rng.uniform(0, 360)
        members: dict[tuple[int, ...], list[tuple[int, str, str]]] = {}
        obs_end = when
        intent = "calibration" if plan.category in ("CAL", "COM") else "science"
        n_visits = obs.visits
        observtn = f"{number:03d}"
        asn_time = when + timedelta(days=1, minutes=rng.randint(0, 600))
        first_obsid_of_visit: dict[str, tuple[int, str, str]] = {}
        for v in range(1, n_visits + 1):
            visit_id = f"{program}{observtn}{v:03d}"
            visit_start = when
            exposure_number = 0
            for c_index, cfg_i in enumerate(obs.configs):
                cfg = setup.configs[cfg_i % len(setup.configs)]
                dithers = obs.dithers or rng.choice(setup.dithers)
                readpatt = rng.choice(setup.readpatts)
                nframes = setup.nframes[readpatt]
                tframe = setup.tframe
                ngroups = rng.randint(*setup.ngroups)
                nints = rng.randint(*setup.nints)
                tgroup = tframe * nframes
                if obs.exptime:
                    ngroups = max(2, round(obs.exptime / dithers / (tgroup * nints)))
                effinttm = tgroup * (ngroups - 1)
                effexptm = effinttm * nints
                duration = tframe * (ngroups * nframes + 1) * nints
                nseg = max(1, math.ceil(nints / 400)) if setup.tso else 1
                detectors = obs.detectors or cfg.detectors
                for d in range(dithers):
                    exposure_number += 1
                    vg, seq, act = 2, 1, f"{c_index + 1:02d}"
                    file_set = f"jw{visit_id}_{vg:02d}{seq}{act}_{exposure_number:05d}"
                    dx, dy = (rng.uniform(-4, 4), rng.uniform(-4, 4)) if dithers > 1 else (0.0, 0.0)
                    pra, pdec = _sky_offset(ra, dec, dx, dy, pa)
                    start, end = when, when + timedelta(seconds=duration)
                    when = end + timedelta(seconds=rng.uniform(60, 400))
                    self.rows.add("exposure", file_set, visit_id, vg, seq, act, exposure_number,
                                  setup.exp_type, cfg.filter or None, cfg.pupil or None, readpatt,
                                  cfg.subarray, nints, ngroups, nframes, 0, tframe, tgroup, effinttm,
                                  effexptm, duration, start, end, pra, pdec,
                                  "NONE" if dithers == 1 else ("4-POINT" if dithers == 4 else "FULL"),
                                  dithers, d + 1, nseg)
                    for det in detectors:
                        info = self._add_detector_file(
                            plan, program, int(observtn), visit_id, file_set, det, setup, cfg, target_id,
                            pra, pdec, pa, start, end, effexptm, nseg, obs, number, asn_time)
                        members.setdefault(tuple([cfg_i]), []).append(info)
                        first_obsid_of_visit.setdefault(visit_id, info)
                obs_end = when
            visit_end = when
            gs_seed = random.Random(f"{self.seed}:{visit_id}:gs")
            gs = (f"S{gs_seed.randint(1000000, 9999999):07X}", ra + gs_seed.uniform(-0.05, 0.05),
                  max(-90.0, min(90.0, dec + gs_seed.uniform(-0.05, 0.05))), round(gs_seed.uniform(11, 17.5), 2))
            self.rows.add("visit", visit_id, program, int(observtn), v, visit_start, visit_end, *gs, pa)
            self._add_guide_star_products(plan, program, visit_id, visit_start, visit_end,
                                          first_obsid_of_visit[visit_id])
            when = visit_end + timedelta(hours=rng.uniform(0.5, 30))
        release = _add_months(obs_end, plan.eap_months)
        self.rows.add("observation", program, int(observtn), target_id, setup.instrument, setup.mode,
                      setup.template, obs.label or setup.template, setup.tso, intent, release)
        self._add_level3(plan, program, number, obs, setup, target_id, ra, dec, pa, members, release,
                         asn_time, intent)

    def _add_detector_file(self, plan: ProgramPlan, program: str, observtn: int, visit_id: str,
                           file_set: str, det: str, setup: Setup, cfg: Config, target_id: int, ra: float,
                           dec: float, pa: float, start: datetime, end: datetime, exptime: float, nseg: int,
                           obs: ObsPlan, number: int, asn_time: datetime) -> tuple[int, str, str]:
        obs_id = f"{file_set}_{det}"
        obsid = self._obsid()
        off = DETECTOR_OFFSET.get(det, (0.0, 0.0)) if setup.mode in ("NIRCAM/IMAGE", "NIRSPEC/MSA") else (0, 0)
        cra, cdec = _sky_offset(ra, dec, off[0], off[1], pa)
        size = MODE_FIELD.get(setup.mode, FIELD_ARCSEC.get(det, 60.0))
        release = _add_months(end, plan.eap_months)
        filters = ";".join(x for x in (cfg.filter, cfg.pupil) if x)
        self._add_caom(obsid, obs_id, "S", program, observtn, visit_id, file_set, det, setup, filters, 2,
                       target_id, cra, cdec, size, pa, start, end, exptime, cfg.wave, release, None)
        ingest = end + timedelta(hours=6)
        planes = {}
        for level in (1, 2):
            plane = _uuid(f"plane:{obs_id}:{level}")
            planes[level] = plane
            self.rows.add("plane", plane, obsid, level, f"{obs_id}_{'uncal' if level == 1 else 'cal'}",
                          setup.dataproduct_type)
        for seg in range(1, nseg + 1):
            base = obs_id.replace(f"_{det}", f"-seg{seg:03d}_{det}") if nseg > 1 else obs_id
            ctx = {"program": program, "visit_id": visit_id, "file_set": file_set, "detector": det,
                   "segment": seg if nseg > 1 else None, "release": release, "ingest": ingest}
            self._data_products(base, ("uncal",), ("uncal",), obsid=obsid, plane=planes[1], level=1, ctx=ctx)
            previews = tuple(s for s in ("cal", "calints", "i2d", "s2d") if s in setup.level2)
            self._data_products(base, setup.level2, previews, obsid=obsid, plane=planes[2], level=2, ctx=ctx)
        ctx = {"program": program, "visit_id": visit_id, "file_set": file_set, "detector": det,
               "segment": None, "release": release, "ingest": ingest}
        if setup.asn3 == "image3" and setup.instrument != "FGS":
            crf = f"{obs_id}".replace(f"_{det}", f"_{det}") + f"_o{number:03d}"
            self._data_products(f"{file_set}_{det}_o{number:03d}", ("crf",), ("crf",), obsid=obsid,
                                plane=planes[2], level=2, ctx=ctx)
            del crf
        asn = f"jw{program}-o{number:03d}_{_asn_stamp(asn_time)}_{setup.asn2}_{(obsid % 997) + 1:05d}_asn.json"
        self._product(filename=asn, obsid=obsid, plane=planes[2], suffix="asn", extension="json",
                      subgroup="ASN", product_type="INFO", calib_level=2, product_level=None,
                      guide_star=False, mrp=False, **ctx)
        return obsid, obs_id, planes[1]

    def _add_caom(self, obsid: int, obs_id: str, typecode: str, program: str, observtn: int,
                  visit_id: str | None, file_set: str | None, det: str | None, setup: Setup, filters: str,
                  level: int, target_id: int, ra: float, dec: float, size: float, pa: float,
                  start: datetime, end: datetime, exptime: float, wave: tuple[float, float],
                  release: datetime, members: str | None) -> None:
        region = _footprint(ra, dec, size, pa)
        rra, rdec = math.radians(ra), math.radians(dec)
        self.rows.add("caom_observation", obsid, _uuid("observation:" + obs_id), obs_id, typecode, program,
                      observtn, visit_id, file_set, det, setup.instrument, setup.mode, setup.exp_type,
                      filters, setup.dataproduct_type, level, target_id, ra, dec, region,
                      size * math.sqrt(2) / 3600.0, (size / 3600.0) ** 2, _mjd(start), _mjd(end), exptime,
                      wave[0] * 1e-6, wave[1] * 1e-6, release, members, None,
                      math.cos(rdec) * math.cos(rra), math.cos(rdec) * math.sin(rra), math.sin(rdec))

    def _add_guide_star_products(self, plan: ProgramPlan, program: str, visit_id: str, start: datetime,
                                 end: datetime, owner: tuple[int, str, str]) -> None:
        obsid, _obs_id, plane = owner
        release = _add_months(end, plan.eap_months)
        ingest = end + timedelta(hours=5)
        ctx = {"program": program, "visit_id": visit_id, "file_set": None, "detector": "guider1",
               "release": release, "ingest": ingest, "obsid": obsid, "plane": plane}
        names: list[tuple[str, str, int | None]] = []
        for attempt in (1, 2):
            for product in ("image", "stacked"):
                for suffix in ("uncal", "cal"):
                    names.append((f"jw{visit_id}_gs-id_{attempt}_{product}-{suffix}.fits", suffix, None))
        t = start - timedelta(minutes=12)
        for function in ("gs-acq1", "gs-acq2"):
            t += timedelta(seconds=90)
            for suffix in ("uncal", "cal"):
                names.append((f"jw{visit_id}_{function}_{_gs_time(t)}_{suffix}.fits", suffix, None))
        t += timedelta(seconds=100)
        for suffix in ("uncal", "cal"):
            names.append((f"jw{visit_id}_gs-track_{_gs_time(t)}_{suffix}.fits", suffix, None))
        n_fg = max(2, math.ceil((end - start).total_seconds() / 1200.0))
        fg_time = _gs_time(end)
        for seg in range(1, n_fg + 1):
            for suffix in ("uncal", "cal"):
                names.append((f"jw{visit_id}_gs-fg_{fg_time}-seg{seg:03d}_{suffix}.fits", suffix, seg))
        for filename, suffix, seg in names:
            function = filename.split("_")[1]
            self._product(filename=filename, file_set=None, segment=seg, suffix=suffix, extension="fits",
                          subgroup=function.upper(), product_type="AUXILIARY",
                          calib_level=1 if suffix == "uncal" else 2,
                          product_level="1b" if suffix == "uncal" else "2b", guide_star=True, mrp=False,
                          **ctx)

    def _add_level3(self, plan: ProgramPlan, program: str, number: int, obs: ObsPlan, setup: Setup,
                    target_id: int, ra: float, dec: float, pa: float,
                    members: dict[tuple[int, ...], list[tuple[int, str, str]]], release: datetime,
                    asn_time: datetime, intent: str) -> None:
        instrument = setup.instrument.lower()
        pool = f"jw{program}_{_asn_stamp(asn_time)}_pool.csv"
        for t_index, (cfg_key, member_list) in enumerate(sorted(members.items()), start=1):
            cfg = setup.configs[cfg_key[0] % len(setup.configs)]
            elements = sorted(e.lower() for e in (cfg.filter, cfg.pupil) if e)
            if setup.tso and cfg.subarray != "FULL":
                elements.append(cfg.subarray.lower())
            element_text = "-".join(elements) or "clear"
            if setup.instrument == "MIRI" and setup.mode == "MIRI/IFU":
                element_text = f"ch1-{cfg.pupil.lower()}"
            sources = [f"s{(number * 1000 + k) % 100000:05d}" for k in range(1, 4)] if setup.mode == "NIRSPEC/MSA" else []
            for label in [f"t{t_index:03d}", *sources]:
                obs_id = f"jw{program}-o{number:03d}_{label}_{instrument}_{element_text}"
                obsid = self._obsid()
                member_ids = [m[0] for m in member_list]
                uris = " ".join(f"caom:JWST/{m[1]}" for m in member_list)
                t0 = min(_mjd(obs.start), _mjd(obs.start))
                exptime = 0.0
                for mid in member_ids:
                    self.rows.add("caom_member", obsid, mid)
                start = obs.start
                end = start + timedelta(hours=1)
                size = MODE_FIELD.get(setup.mode, FIELD_ARCSEC.get(cfg.detectors[0], 60.0)) * (
                    2.2 if setup.mode == "NIRCAM/IMAGE" else 1.0)
                filters = ";".join(x for x in (cfg.filter, cfg.pupil) if x)
                self._add_caom(obsid, obs_id, "C", program, number, None, None, None, setup, filters, 3,
                               target_id, ra, dec, size, pa, start, end, exptime, cfg.wave, release, uris)
                del t0
                plane = _uuid(f"plane:{obs_id}:3")
                self.rows.add("plane", plane, obsid, 3, f"{obs_id}_{setup.level3[0]}", setup.dataproduct_type)
                ingest = release - timedelta(days=1) if plan.eap_months == 0 else asn_time
                ctx = {"program": program, "visit_id": None, "file_set": None, "detector": None,
                       "segment": None, "release": release, "ingest": ingest}
                suffixes = setup.level3 if label.startswith("t") else ("s2d", "x1d")
                previews = tuple(s for s in ("i2d", "s2d", "s3d") if s in suffixes)
                self._data_products(obs_id, suffixes, previews, obsid=obsid, plane=plane, level=3, ctx=ctx)
                if label.startswith("t"):
                    asn = f"jw{program}-o{number:03d}_{_asn_stamp(asn_time)}_{setup.asn3}_{t_index:05d}_asn.json"
                    self._product(filename=asn, obsid=obsid, plane=plane, suffix="asn", extension="json",
                                  subgroup="ASN", product_type="INFO", calib_level=3, product_level=None,
                                  guide_star=False, mrp=False, **ctx)
                    if t_index == 1:
                        self._product(filename=pool, obsid=obsid, plane=plane, suffix="pool", extension="csv",
                                      subgroup="POOL", product_type="INFO", calib_level=3,
                                      product_level=None, guide_star=False, mrp=False, **ctx)
            del ingest


def _plans(scale: str, seed: int) -> Iterator[ProgramPlan]:
    which, _ = SCALES[scale]
    yield from (p for p in curated_programs() if which in p.scales)


def _write(con: Any, rows: _Rows) -> dict[str, int]:
    import pyarrow as pa

    counts = {}
    for table in CORE_TABLES:
        data = rows.tables[table.name]
        columns = list(zip(*data, strict=True)) if data else [[] for _ in table.columns]
        arrow = pa.table({name: list(col) for (name, _, _), col in zip(table.columns, columns, strict=True)})
        con.register("_incoming", arrow)
        cols = ", ".join(f'"{n}"' for n in table.column_names)
        order = f" ORDER BY {', '.join(table.sort_key)}" if table.sort_key and table.name != "caom_observation" else ""
        con.execute(f"INSERT INTO {table.qualified} ({cols}) SELECT {cols} FROM _incoming{order}")
        con.unregister("_incoming")
        counts[table.name] = len(data)
    return counts


def _healpix(con: Any) -> None:
    """Fill caom_observation._healpix and sort the table by it."""
    import numpy as np
    from astropy import units as u
    from cdshealpix.nested import lonlat_to_healpix

    table = con.execute("SELECT obsid, s_ra, s_dec FROM core.caom_observation").fetchnumpy()
    if len(table["obsid"]) == 0:
        return
    cells = lonlat_to_healpix(np.asarray(table["s_ra"]) * u.deg, np.asarray(table["s_dec"]) * u.deg, 29)
    import pyarrow as pa

    con.register("_hpx", pa.table({"obsid": table["obsid"], "hpx": cells.astype("int64")}))
    con.execute("UPDATE core.caom_observation SET _healpix = _hpx.hpx FROM _hpx WHERE caom_observation.obsid = _hpx.obsid")
    con.unregister("_hpx")
    con.execute("CREATE TABLE core._sorted AS SELECT * FROM core.caom_observation ORDER BY _healpix")
    con.execute("DROP TABLE core.caom_observation")
    con.execute("ALTER TABLE core._sorted RENAME TO caom_observation")


def _render_sizes(con: Any) -> float:
    """Render every product once; store its size and md5. Returns seconds spent."""
    import hashlib

    import pyarrow as pa

    from jwstarchive.catalog.content import iter_content_rows
    from jwstarchive.catalog.products import render_product

    started = time.perf_counter()
    keys: list[int] = []
    sizes: list[int] = []
    md5s: list[str] = []
    for row in iter_content_rows(con):
        data = render_product(row)
        keys.append(row["product_key"])
        sizes.append(len(data))
        md5s.append(hashlib.md5(data).hexdigest())
    con.register("_sizes", pa.table({"product_key": keys, "size": sizes, "md5": md5s}))
    con.execute("UPDATE core.product SET size = _sizes.size, md5 = _sizes.md5 FROM _sizes "
                "WHERE product.product_key = _sizes.product_key")
    con.unregister("_sizes")
    return time.perf_counter() - started


def _check_out(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} exists and is not a directory: choose another path")
    if out.exists() and any(out.iterdir()):
        if not (out / MANIFEST).exists():
            raise InputError(f"--out {out} is a non-empty directory that is not an archive: choose an empty one")
        if not force:
            raise InputError(f"--out {out} already holds an archive: use --force to replace it")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InputError(f"cannot write to --out {out}: {exc.strerror or exc}; choose a writable directory") from None


def generate(out: str | Path, scale: str = "demo", seed: int = 1, *, force: bool = False) -> GenerateResult:
    """Build an archive directory ``out`` at ``scale`` (demo, small, 1e5, 1e6, 1e7) from ``seed``.

    Raises
    ------
    InputError
        Unknown scale, or an ``out`` that cannot be written.
    """
    import duckdb

    from jwstarchive.catalog.schema import create_schema

    if scale not in SCALES:
        raise InputError(f"unknown scale {scale!r}: choose one of {', '.join(SCALES)}")
    out = Path(out)
    _check_out(out, force)
    started = time.perf_counter()
    builder = _Builder(seed)
    plans = list(_plans(scale, seed))
    for plan in plans:
        builder.add_program(plan)
    _, target_products = SCALES[scale]
    rng = random.Random(f"{seed}:random-programs")
    used = {p.num for p in plans}
    while builder.products < target_products:
        num = rng.randint(1000, 9999)
        if num in used:
            continue
        used.add(num)
        builder.add_program(random_program(rng, num, ARCHIVE_START, ARCHIVE_END))
    tmp = out / ".catalog.duckdb.partial"
    final = out / "catalog.duckdb"
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for statement in core_ddl():
            con.execute(statement)
        counts = _write(con, builder.rows)
        _healpix(con)
        create_schema(con)
        render_seconds = _render_sizes(con)
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(tmp, final)
    shutil.rmtree(out / "state", ignore_errors=True)
    seconds = time.perf_counter() - started
    manifest = {"format": 1, "scale": scale, "seed": seed, "counts": counts, "eap_owner": EAP_OWNER,
                "generated_seconds": round(seconds, 2)}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    log.info("generated %s products in %.1f s (%.0f products/s)", counts["product"], seconds,
             counts["product"] / max(seconds, 1e-9))
    return GenerateResult(out, counts, seconds, render_seconds)


def default_archive_dir() -> Path:
    """Where the demo archive lives when no directory is given (the user cache)."""
    base = os.environ.get("JWSTARCHIVE_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jwstarchive" / "demo-archive"


def demo_archive(out: Path | None, seed: int = 1) -> Path:
    """The demo archive directory, generated on first use."""
    path = out or default_archive_dir()
    manifest = path / MANIFEST
    if manifest.exists():
        info = json.loads(manifest.read_text())
        if info.get("scale") == "demo" and info.get("seed") == seed and (path / "catalog.duckdb").exists():
            return path
    generate(path, "demo", seed, force=True)
    return path
