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
from jwstarchive.naming import product_info

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
    "nrca1": 63.0,
    "nrca2": 63.0,
    "nrca3": 63.0,
    "nrca4": 63.0,
    "nrcb1": 63.0,
    "nrcb2": 63.0,
    "nrcb3": 63.0,
    "nrcb4": 63.0,
    "nrcalong": 129.0,
    "nrcblong": 129.0,
    "nrs1": 100.0,
    "nrs2": 100.0,
    "nis": 133.0,
    "mirimage": 74.0,
    "mirifushort": 5.2,
    "mirifulong": 7.7,
    "guider1": 138.0,
    "guider2": 138.0,
}
#: Detector centre offsets (arcsec) from the pointing, in the aperture frame.
DETECTOR_OFFSET = {
    "nrca1": (-75.0, 33.0),
    "nrca2": (-75.0, -33.0),
    "nrca3": (-9.0, 33.0),
    "nrca4": (-9.0, -33.0),
    "nrcalong": (-42.0, 0.0),
    "nrcb1": (75.0, -33.0),
    "nrcb2": (75.0, 33.0),
    "nrcb3": (9.0, -33.0),
    "nrcb4": (9.0, 33.0),
    "nrcblong": (42.0, 0.0),
    "nrs1": (-52.0, 0.0),
    "nrs2": (52.0, 0.0),
}
MODE_FIELD = {
    "NIRSPEC/IFU": 3.0,
    "NIRSPEC/SLIT": 3.3,
    "NIRSPEC/BOTS": 1.6,
    "MIRI/SLIT": 5.5,
    "MIRI/SLITLESS": 10.0,
    "NIRCAM/GRISM": 40.0,
    "NIRISS/SOSS": 40.0,
    "NIRISS/AMI": 5.0,
}
CAL_VERSIONS = (
    (datetime(2022, 1, 1), "1.5.3", "jwst_0942.pmap"),
    (datetime(2023, 1, 1), "1.11.4", "jwst_1140.pmap"),
    (datetime(2024, 1, 1), "1.14.0", "jwst_1241.pmap"),
    (datetime(2025, 1, 1), "1.18.0", "jwst_1364.pmap"),
    (datetime(2026, 1, 1), "1.20.2", "jwst_1464.pmap"),
)


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
    corners = [
        _sky_offset(ra, dec, sx * half, sy * half, pa) for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))
    ]
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

    def _target_id(self, target: SkyTarget) -> int:
        if target.name not in self.targets:
            self.targets[target.name] = len(self.targets) + 1
            self.rows.add(
                "target",
                self.targets[target.name],
                target.name,
                target.ra,
                target.dec,
                "MOVING" if target.moving else "FIXED",
                target.classification,
                target.description,
                target.kind.upper(),
                target.redshift,
            )
        return self.targets[target.name]

    def _obsid(self) -> int:
        self.next_obsid += 1
        return self.next_obsid

    def _product(
        self,
        filename: str,
        *,
        obsid: int,
        plane: str,
        program: str,
        visit_id: str | None,
        file_set: str | None,
        detector: str | None,
        segment: int | None,
        mrp: bool,
        release: datetime,
        ingest: datetime,
    ) -> None:
        """One product row; its kind, level and type come from the file name (``naming``)."""
        info = product_info(filename)
        cal_ver, crds = _pipeline(ingest)
        product_level = info.product_level if info.product_type in ("SCIENCE", "AUXILIARY") else None
        self.rows.add(
            "product",
            self.next_product,
            _uuid("artifact:" + filename),
            filename,
            obsid,
            plane,
            program,
            visit_id,
            file_set,
            detector,
            segment,
            info.suffix,
            info.extension,
            info.file_type,
            info.product_type,
            info.calib_level,
            product_level,
            info.content_type,
            info.kind == "guidestar",
            mrp,
            None,
            None,
            release,
            ingest,
            cal_ver,
            crds,
        )
        self.next_product += 1
        self.products += 1

    def _data_products(
        self, base: str, suffixes: tuple[str, ...], previews: tuple[str, ...], ctx: dict[str, Any]
    ) -> None:
        """A FITS/ECSV file per suffix, plus a preview and thumbnail for the previewed ones."""
        level3 = ctx["file_set"] is None
        for suffix in suffixes:
            extension = "ecsv" if suffix in ("cat", "whtlt") else "fits"
            mrp = level3 or suffix in ("cal", "calints", "x1d", "x1dints", "s3d", "i2d")
            self._product(f"{base}_{suffix}.{extension}", mrp=mrp, **ctx)
            if suffix in previews:
                self._product(f"{base}_{suffix}.jpg", mrp=False, **ctx)
                self._product(f"{base}_{suffix}_thumb.jpg", mrp=False, **ctx)

    # -- programs ----------------------------------------------------------------------------------
    def add_program(self, plan: ProgramPlan) -> None:
        """Rows for one program: its observations, visits, exposures, files and products."""
        program = f"{plan.num:05d}"
        sub_category = {"GO": "Regular", "COM": "Commissioning", "CAL": "Calibration"}.get(
            plan.category, plan.category
        )
        self.rows.add(
            "program",
            program,
            plan.num,
            plan.title,
            plan.pi,
            plan.category,
            sub_category,
            plan.science_category,
            plan.cycle,
            plan.eap_months,
            plan.owner,
        )
        rng = random.Random(f"{self.seed}:{program}")
        for number, obs in enumerate(plan.observations, start=1):
            self._add_observation(plan, program, number, obs, rng)

    def _add_observation(
        self, plan: ProgramPlan, program: str, number: int, obs: ObsPlan, rng: random.Random
    ) -> None:
        setup = setup_for(obs.mode)
        target = target_by_name(obs.target)
        target_id = self._target_id(target)
        ra, dec = _sky_offset(target.ra, target.dec, obs.offset[0], obs.offset[1], 0.0)
        pa = rng.uniform(0, 360)
        asn_time = obs.start + timedelta(days=1, minutes=rng.randint(0, 600))
        members: dict[int, list[tuple[int, str, str, float, str]]] = {}
        when = obs.start
        for v in range(1, obs.visits + 1):
            visit_id = f"{program}{number:03d}{v:03d}"
            visit_start = when
            first_file: tuple[int, str] | None = None
            exposure_number = 0
            for activity, cfg_index in enumerate(obs.configs, start=1):
                cfg = setup.configs[cfg_index % len(setup.configs)]
                dithers = obs.dithers or rng.choice(setup.dithers)
                readpatt = rng.choice(setup.readpatts)
                nframes = setup.nframes[readpatt]
                tgroup = setup.tframe * nframes
                ngroups = rng.randint(*setup.ngroups)
                nints = rng.randint(*setup.nints)
                if obs.exptime:
                    ngroups = max(2, round(obs.exptime / dithers / (tgroup * nints)) + 1)
                effinttm = tgroup * (ngroups - 1)
                effexptm = effinttm * nints
                duration = setup.tframe * (ngroups * nframes + 1) * nints
                nseg = max(1, math.ceil(nints / 400)) if setup.tso else 1
                pattern = "NONE" if dithers == 1 else f"{dithers}-POINT"
                for dither in range(1, dithers + 1):
                    exposure_number += 1
                    file_set = f"jw{visit_id}_021{activity:02d}_{exposure_number:05d}"
                    dx, dy = (rng.uniform(-4, 4), rng.uniform(-4, 4)) if dithers > 1 else (0.0, 0.0)
                    pra, pdec = _sky_offset(ra, dec, dx, dy, pa)
                    start, end = when, when + timedelta(seconds=duration)
                    when = end + timedelta(seconds=rng.uniform(60, 400))
                    self.rows.add(
                        "exposure",
                        file_set,
                        visit_id,
                        2,
                        1,
                        f"{activity:02d}",
                        exposure_number,
                        setup.exp_type,
                        cfg.filter or None,
                        cfg.pupil or None,
                        readpatt,
                        cfg.subarray,
                        nints,
                        ngroups,
                        nframes,
                        0,
                        setup.tframe,
                        tgroup,
                        effinttm,
                        effexptm,
                        duration,
                        start,
                        end,
                        pra,
                        pdec,
                        pattern,
                        dithers,
                        dither,
                        nseg,
                    )
                    for det in obs.detectors or cfg.detectors:
                        made = self._add_detector_file(
                            plan,
                            program,
                            number,
                            visit_id,
                            file_set,
                            det,
                            setup,
                            cfg,
                            target_id,
                            (pra, pdec, pa),
                            (start, end),
                            effexptm,
                            nseg,
                            asn_time,
                        )
                        members.setdefault(cfg_index, []).append(made)
                        first_file = first_file or (made[0], made[2])
            visit_end = when
            gs_rng = random.Random(f"{self.seed}:{visit_id}:gs")
            self.rows.add(
                "visit",
                visit_id,
                program,
                number,
                v,
                visit_start,
                visit_end,
                f"S{gs_rng.randint(0x1000000, 0xFFFFFFF):07X}",
                (ra + gs_rng.uniform(-0.05, 0.05)) % 360.0,
                max(-90.0, min(90.0, dec + gs_rng.uniform(-0.05, 0.05))),
                round(gs_rng.uniform(11, 17.5), 2),
                pa,
            )
            assert first_file is not None
            self._add_guide_star_products(plan, program, visit_id, visit_start, visit_end, first_file)
            when = visit_end + timedelta(hours=rng.uniform(0.5, 30))
        release = _add_months(when, plan.eap_months)
        intent = "calibration" if plan.category in ("CAL", "COM") else "science"
        self.rows.add(
            "observation",
            program,
            number,
            target_id,
            setup.instrument,
            setup.mode,
            setup.template,
            obs.label or setup.template,
            setup.tso,
            intent,
            release,
        )
        self._add_level3(
            plan,
            program,
            number,
            obs,
            setup,
            target_id,
            (ra, dec, pa),
            members,
            (obs.start, when),
            release,
            asn_time,
        )

    def _add_detector_file(
        self,
        plan: ProgramPlan,
        program: str,
        number: int,
        visit_id: str,
        file_set: str,
        det: str,
        setup: Setup,
        cfg: Config,
        target_id: int,
        pointing: tuple[float, float, float],
        times: tuple[datetime, datetime],
        exptime: float,
        nseg: int,
        asn_time: datetime,
    ) -> tuple[int, str, str, float, str]:
        """A simple CAOM observation (one exposure on one detector), its planes and products."""
        ra, dec, pa = pointing
        obs_id = f"{file_set}_{det}"
        obsid = self._obsid()
        offset = (
            DETECTOR_OFFSET.get(det, (0.0, 0.0)) if setup.mode in ("NIRCAM/IMAGE", "NIRSPEC/MSA") else (0, 0)
        )
        cra, cdec = _sky_offset(ra, dec, offset[0], offset[1], pa)
        size = MODE_FIELD.get(setup.mode, FIELD_ARCSEC.get(det, 60.0))
        release = _add_months(times[1], plan.eap_months)
        filters = ";".join(x for x in (cfg.filter, cfg.pupil) if x)
        self._add_caom(
            obsid,
            obs_id,
            "S",
            program,
            number,
            visit_id,
            file_set,
            det,
            setup,
            filters,
            2,
            target_id,
            (cra, cdec, size, pa),
            times,
            exptime,
            cfg.wave,
            release,
            None,
        )
        planes = {}
        for level in (1, 2):
            planes[level] = _uuid(f"plane:{obs_id}:{level}")
            self.rows.add(
                "plane",
                planes[level],
                obsid,
                level,
                f"{obs_id}_{'uncal' if level == 1 else 'cal'}",
                setup.dataproduct_type,
            )
        ingest = times[1] + timedelta(hours=6)
        ctx: dict[str, Any] = {
            "obsid": obsid,
            "program": program,
            "visit_id": visit_id,
            "file_set": file_set,
            "detector": det,
            "segment": None,
            "release": release,
            "ingest": ingest,
        }
        previews = tuple(s for s in ("cal", "calints", "i2d", "s2d") if s in setup.level2)
        for seg in range(1, nseg + 1):
            base = f"{file_set}-seg{seg:03d}_{det}" if nseg > 1 else obs_id
            seg_ctx = {**ctx, "segment": seg if nseg > 1 else None}
            self._data_products(base, ("uncal",), ("uncal",), {**seg_ctx, "plane": planes[1]})
            self._data_products(base, setup.level2, previews, {**seg_ctx, "plane": planes[2]})
        if setup.asn3 == "image3" and setup.instrument != "FGS":
            self._data_products(f"{obs_id}_o{number:03d}", ("crf",), ("crf",), {**ctx, "plane": planes[2]})
        counter = obsid % 997 + 1
        asn = f"jw{program}-o{number:03d}_{_asn_stamp(asn_time)}_{setup.asn2}_{counter:05d}_asn.json"
        self._product(asn, mrp=False, plane=planes[2], **ctx)
        return obsid, obs_id, planes[1], exptime, det

    def _add_caom(
        self,
        obsid: int,
        obs_id: str,
        typecode: str,
        program: str,
        observtn: int,
        visit_id: str | None,
        file_set: str | None,
        det: str | None,
        setup: Setup,
        filters: str,
        level: int,
        target_id: int,
        field: tuple[float, float, float, float],
        times: tuple[datetime, datetime],
        exptime: float,
        wave: tuple[float, float],
        release: datetime,
        members: str | None,
    ) -> None:
        ra, dec, size, pa = field
        rra, rdec = math.radians(ra), math.radians(dec)
        self.rows.add(
            "caom_observation",
            obsid,
            _uuid("observation:" + obs_id),
            obs_id,
            typecode,
            program,
            observtn,
            visit_id,
            file_set,
            det,
            setup.instrument,
            setup.mode,
            setup.exp_type,
            filters,
            setup.dataproduct_type,
            level,
            target_id,
            ra,
            dec,
            _footprint(ra, dec, size, pa),
            size * math.sqrt(2) / 3600.0,
            (size / 3600.0) ** 2,
            _mjd(times[0]),
            _mjd(times[1]),
            exptime,
            wave[0] * 1e-6,
            wave[1] * 1e-6,
            release,
            members,
            None,
            math.cos(rdec) * math.cos(rra),
            math.cos(rdec) * math.sin(rra),
            math.sin(rdec),
        )

    def _add_guide_star_products(
        self,
        plan: ProgramPlan,
        program: str,
        visit_id: str,
        start: datetime,
        end: datetime,
        owner: tuple[int, str],
    ) -> None:
        """Identification, acquisition, track and fine-guide files of one visit."""
        obsid, plane = owner
        ctx: dict[str, Any] = {
            "obsid": obsid,
            "plane": plane,
            "program": program,
            "visit_id": visit_id,
            "file_set": None,
            "detector": "guider1",
            "release": _add_months(end, plan.eap_months),
            "ingest": end + timedelta(hours=5),
        }
        names: list[tuple[str, int | None]] = []
        for attempt in (1, 2):
            for product in ("image", "stacked"):
                names += [
                    (f"jw{visit_id}_gs-id_{attempt}_{product}-{s}.fits", None) for s in ("uncal", "cal")
                ]
        moment = start - timedelta(minutes=12)
        for function in ("gs-acq1", "gs-acq2", "gs-track"):
            moment += timedelta(seconds=90)
            names += [
                (f"jw{visit_id}_{function}_{_gs_time(moment)}_{s}.fits", None) for s in ("uncal", "cal")
            ]
        n_fg = max(16, math.ceil((end - start).total_seconds() / 900.0))
        for seg in range(1, n_fg + 1):
            names += [
                (f"jw{visit_id}_gs-fg_{_gs_time(end)}-seg{seg:03d}_{s}.fits", seg) for s in ("uncal", "cal")
            ]
        for filename, seg in names:
            self._product(filename, mrp=False, **{**ctx, "segment": seg})

    def _add_level3(
        self,
        plan: ProgramPlan,
        program: str,
        number: int,
        obs: ObsPlan,
        setup: Setup,
        target_id: int,
        pointing: tuple[float, float, float],
        members: dict[int, list[tuple[int, str, str, float, str]]],
        times: tuple[datetime, datetime],
        release: datetime,
        asn_time: datetime,
    ) -> None:
        """Composite observations combining each configuration's exposures, and their products."""
        ra, dec, pa = pointing
        instrument = setup.instrument.lower()
        ingest = times[1] + timedelta(days=1)
        for t_index, cfg_index in enumerate(sorted(members), start=1):
            cfg = setup.configs[cfg_index % len(setup.configs)]
            member_list = members[cfg_index]
            elements = sorted(e.lower() for e in (cfg.filter, cfg.pupil) if e) or ["clear"]
            if setup.tso and cfg.subarray != "FULL":
                elements.append(cfg.subarray.lower())
            element_text = f"ch1-{cfg.pupil.lower()}" if setup.mode == "MIRI/IFU" else "-".join(elements)
            sources = (
                [f"s{number * 1000 + k:05d}" for k in range(1, 4)] if setup.mode == "NIRSPEC/MSA" else []
            )
            for label in [f"t{t_index:03d}", *sources]:
                obs_id = f"jw{program}-o{number:03d}_{label}_{instrument}_{element_text}"
                obsid = self._obsid()
                for member_obsid, *_ in member_list:
                    self.rows.add("caom_member", obsid, member_obsid)
                size = MODE_FIELD.get(setup.mode, FIELD_ARCSEC.get(cfg.detectors[0], 60.0))
                size *= 2.2 if setup.mode == "NIRCAM/IMAGE" else 1.0
                filters = ";".join(x for x in (cfg.filter, cfg.pupil) if x)
                exptime = sum(m[3] for m in member_list if m[4] == member_list[0][4])
                uris = " ".join(f"caom:JWST/{m[1]}" for m in member_list)
                self._add_caom(
                    obsid,
                    obs_id,
                    "C",
                    program,
                    number,
                    None,
                    None,
                    None,
                    setup,
                    filters,
                    3,
                    target_id,
                    (ra, dec, size, pa),
                    times,
                    exptime,
                    cfg.wave,
                    release,
                    uris,
                )
                plane = _uuid(f"plane:{obs_id}:3")
                self.rows.add("plane", plane, obsid, 3, f"{obs_id}_{setup.level3[0]}", setup.dataproduct_type)
                ctx: dict[str, Any] = {
                    "obsid": obsid,
                    "plane": plane,
                    "program": program,
                    "visit_id": None,
                    "file_set": None,
                    "detector": None,
                    "segment": None,
                    "release": release,
                    "ingest": ingest,
                }
                suffixes = setup.level3 if label.startswith("t") else ("s2d", "x1d")
                self._data_products(
                    obs_id, suffixes, tuple(s for s in ("i2d", "s2d", "s3d") if s in suffixes), ctx
                )
                if label.startswith("t"):
                    stamp = _asn_stamp(asn_time)
                    self._product(
                        f"jw{program}-o{number:03d}_{stamp}_{setup.asn3}_{t_index:05d}_asn.json",
                        mrp=False,
                        **ctx,
                    )
                    if t_index == 1:
                        self._product(f"jw{program}_{stamp}_pool.csv", mrp=False, **ctx)


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
        order = (
            f" ORDER BY {', '.join(table.sort_key)}"
            if table.sort_key and table.name != "caom_observation"
            else ""
        )
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
    con.execute(
        "UPDATE core.caom_observation SET _healpix = _hpx.hpx FROM _hpx WHERE caom_observation.obsid = _hpx.obsid"
    )
    con.unregister("_hpx")
    con.execute("CREATE TABLE core._sorted AS SELECT * FROM core.caom_observation ORDER BY _healpix")
    con.execute("DROP TABLE core.caom_observation")
    con.execute("ALTER TABLE core._sorted RENAME TO caom_observation")


def _render_range(path: str, first: int, stop: int) -> tuple[list[int], list[int], list[str]]:
    """Render products ``first <= product_key < stop`` of the catalog at ``path``: keys, sizes, md5s."""
    import hashlib

    import duckdb

    from jwstarchive.catalog.content import iter_content_rows
    from jwstarchive.catalog.products import render_product

    keys: list[int] = []
    sizes: list[int] = []
    md5s: list[str] = []
    con = duckdb.connect(path, read_only=True)
    try:
        for row in iter_content_rows(con, "p.product_key >= ? AND p.product_key < ?", [first, stop]):
            data = render_product(row)
            keys.append(row["product_key"])
            sizes.append(len(data))
            md5s.append(hashlib.md5(data).hexdigest())
    finally:
        con.close()
    return keys, sizes, md5s


def _render_sizes(path: Path, n_products: int) -> tuple[Any, float]:
    """Render every product once, on all cores, and store its size and md5.

    Returns the reopened writable connection and the seconds spent.
    """
    from concurrent.futures import ProcessPoolExecutor

    import duckdb
    import pyarrow as pa

    started = time.perf_counter()
    chunk = 20_000
    ranges = [(str(path), lo, lo + chunk) for lo in range(1, n_products + 1, chunk)]
    workers = max(1, min(os.cpu_count() or 1, len(ranges)))
    if workers == 1:
        results = [_render_range(*r) for r in ranges]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_render_range, *zip(*ranges, strict=True)))
    keys = [k for r in results for k in r[0]]
    sizes = [k for r in results for k in r[1]]
    md5s = [k for r in results for k in r[2]]
    con = duckdb.connect(str(path))
    con.register("_sizes", pa.table({"product_key": keys, "size": sizes, "md5": md5s}))
    con.execute(
        "UPDATE core.product SET size = _sizes.size, md5 = _sizes.md5 FROM _sizes "
        "WHERE product.product_key = _sizes.product_key"
    )
    con.unregister("_sizes")
    return con, time.perf_counter() - started


def _materialize_si_keywords(con: Any) -> None:
    """Replace the ``core.si_keywords`` view by a table of its rows, in product order.

    The view joins six tables into 248 columns; computing it for one file took ~30 ms at demo
    scale, which every served file and every SI keyword search paid. It is materialised once the
    sizes and md5s it shows are known; the ``mast.si_*`` views read the table by the same name.
    """
    con.execute("CREATE TABLE core._si_keywords AS SELECT * FROM core.si_keywords ORDER BY product_key")
    con.execute("DROP VIEW core.si_keywords")
    con.execute("ALTER TABLE core._si_keywords RENAME TO si_keywords")


def _check_out(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} exists and is not a directory: choose another path")
    if out.exists() and any(out.iterdir()):
        if not (out / MANIFEST).exists():
            raise InputError(
                f"--out {out} is a non-empty directory that is not an archive: choose an empty one"
            )
        if not force:
            raise InputError(f"--out {out} already holds an archive: use --force to replace it")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InputError(
            f"cannot write to --out {out}: {exc.strerror or exc}; choose a writable directory"
        ) from None


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
        con.close()
        con, render_seconds = _render_sizes(tmp, counts["product"])
        _materialize_si_keywords(con)
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(tmp, final)
    shutil.rmtree(out / "state", ignore_errors=True)
    seconds = time.perf_counter() - started
    manifest = {
        "format": 1,
        "scale": scale,
        "seed": seed,
        "counts": counts,
        "eap_owner": EAP_OWNER,
        "generated_seconds": round(seconds, 2),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    log.info(
        "generated %s products in %.1f s (%.0f products/s)",
        counts["product"],
        seconds,
        counts["product"] / max(seconds, 1e-9),
    )
    return GenerateResult(out, counts, seconds, render_seconds)


def default_archive_dir() -> Path:
    """Where the demo archive lives when no directory is given (the user cache)."""
    base = (
        os.environ.get("JWSTARCHIVE_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    )
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


def program_rows(plan: ProgramPlan, seed: int = 1) -> dict[str, list[tuple[Any, ...]]]:
    """The core-table rows one program generates (no database, no bytes)."""
    builder = _Builder(seed)
    builder.add_program(plan)
    return builder.rows.tables
