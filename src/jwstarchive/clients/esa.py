"""The ESA JWST Science Archive client: astroquery.esa.jwst's ``JwstClass`` surface over TAP+.

Method names, parameters, defaults and error messages follow ``astroquery.esa.jwst`` so a
notebook ports by changing the import. Differences a user may notice, all on purpose:

* results arrive as Parquet when the service offers it (one keep-alive connection);
* sync queries are capped with ``MAXREC=2000`` (astroquery pastes ``TOP 2000`` into the text)
  and an :class:`~jwstarchive.errors.OverflowWarning` says when rows were cut;
* values put into ADQL are quoted safely; coordinates stay ICRS;
* status messages and token answers are logged and returned, not printed;
* downloads go through :mod:`jwstarchive.download` (temporary name, then rename; progress);
* nothing touches the network until a method is called.
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
import tarfile
import warnings
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import httpx

from jwstarchive.clients import resolver as sesame
from jwstarchive.clients.tap import TableMeta, TAPClient, TAPJob, error_message, open_client
from jwstarchive.errors import (
    AuthenticationError,
    DownloadError,
    InputError,
    JWSTArchiveError,
    OverflowWarning,
    QueryFailed,
    ServiceError,
)

if TYPE_CHECKING:
    from astropy.coordinates import SkyCoord
    from astropy.table import Table

__all__ = ["DEFAULT_ESA_URL", "Jwst", "JwstClass"]

log = logging.getLogger(__name__)

DEFAULT_ESA_URL = "https://jwst.esac.esa.int"
SYNC_ROW_LIMIT = 2000
TAP_CLIENT_ID = "ASTROQUERY"

MAIN_TABLE = "jwst.main"
ARTIFACT_TABLE = "jwst.artifact"
ARCHIVE_TABLE = "jwst.archive"


def _esa_url_default() -> str:
    return (os.environ.get("JWSTARCHIVE_ESA_URL") or DEFAULT_ESA_URL).rstrip("/")


def _adql_text(value: str) -> str:
    """``value`` as the inside of an ADQL string literal (single quotes doubled)."""
    return value.replace("'", "''")


class JwstClass:
    """The ESA JWST Science Archive (TAP+ at ``/server/tap``, data at ``/server/data``).

    Parameters
    ----------
    tap_url
        TAP base URL; default ``<esa_url>/server/tap``.
    data_url
        Data service URL; default ``<esa_url>/server/data``.
    resolver_url
        Sesame name resolver for :meth:`query_target`; default CDS Sesame
        (``JWSTARCHIVE_RESOLVER_URL`` overrides it).
    esa_url
        Base of the archive; default ``JWSTARCHIVE_ESA_URL`` or ``https://jwst.esac.esa.int``.
    secure_url
        Base for login, logout and the MAST token (``https://host:port/server``); default the
        server part of ``tap_url``. A local ``jwstarchive serve --tls-port N`` answers at
        ``https://127.0.0.1:N/server``.
    verify
        TLS verification: True, False, or the path of a CA bundle (``ARCHIVE/tls/cert.pem``).
    timeout
        Seconds to wait for an answer.
    show_messages
        Fetch and log the service status messages now (astroquery does so at import).
    progress
        Download progress: None (rich on a terminal, log lines otherwise), False (silent) or a
        :class:`jwstarchive.download.DownloadProgress`.
    """

    JWST_DEFAULT_COLUMNS = (
        "observationid",
        "calibrationlevel",
        "public",
        "dataproducttype",
        "instrument_name",
        "energy_bandpassname",
        "target_name",
        "target_ra",
        "target_dec",
        "position_bounds_center",
        "position_bounds_spoly",
    )
    PLANE_DATAPRODUCT_TYPES = ("image", "cube", "measurements", "spectrum")
    ARTIFACT_PRODUCT_TYPES = ("info", "thumbnail", "auxiliary", "science", "preview")
    INSTRUMENT_NAMES = ("NIRISS", "NIRSPEC", "NIRCAM", "MIRI", "FGS")
    TARGET_RESOLVERS = ("ALL", "SIMBAD", "NED", "VIZIER")
    CAL_LEVELS = ("ALL", 1, 2, 3, -1)
    REQUESTED_OBSERVATION_ID = "Missing required argument: 'observation_id'"

    def __init__(
        self,
        tap_url: str | None = None,
        data_url: str | None = None,
        resolver_url: str | None = None,
        *,
        esa_url: str | None = None,
        secure_url: str | None = None,
        verify: bool | str = True,
        timeout: float = 120.0,
        show_messages: bool = False,
        progress: Any = None,
    ) -> None:
        base = (esa_url or _esa_url_default()).rstrip("/")
        self.tap_url = (tap_url or f"{base}/server/tap").rstrip("/")
        server = self.tap_url.rsplit("/", 1)[0]
        self.data_url = (data_url or f"{server}/data").rstrip("/?")
        self.resolver_url = resolver_url
        self.secure_url = (secure_url or server).rstrip("/")
        self.verify = verify
        self.timeout = timeout
        self.progress = progress
        self.user: str | None = None
        self._cookie: str | None = None
        self._http: httpx.Client | None = None
        self._tap: TAPClient | None = None
        if show_messages:
            self.get_status_messages()

    # -- plumbing ------------------------------------------------------------------------------

    @property
    def http(self) -> httpx.Client:
        """The keep-alive HTTP client (opened on first use)."""
        if self._http is None:
            self._http = open_client(timeout=self.timeout, verify=self.verify)
        return self._http

    @property
    def tap(self) -> TAPClient:
        """The TAP client (opened on first use)."""
        if self._tap is None:
            self._tap = TAPClient(self.tap_url, client=self.http, extra_params={"tapclient": TAP_CLIENT_ID})
            if self._cookie:
                self._tap.headers["Cookie"] = self._cookie
        return self._tap

    def close(self) -> None:
        """Close the HTTP connections."""
        if self._http is not None:
            self._http.close()
        self._http = None
        self._tap = None

    def __enter__(self) -> JwstClass:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"JwstClass(tap_url={self.tap_url!r}, data_url={self.data_url!r})"

    def _headers(self) -> dict[str, str]:
        return {"Cookie": self._cookie} if self._cookie else {}

    def _set_cookie(self, cookie: str | None) -> None:
        self._cookie = cookie
        if self._tap is not None:
            if cookie:
                self._tap.headers["Cookie"] = cookie
            else:
                self._tap.headers.pop("Cookie", None)

    def _sync(self, query: str, *, verbose: bool = False) -> Table:
        """Run a sync query capped at 2000 rows (warn when cut)."""
        if verbose:
            log.info("%s", query)
        table, _ = self.tap.run_sync(query, maxrec=SYNC_ROW_LIMIT)
        assert table is not None
        if table.meta.get("QUERY_STATUS") == "OVERFLOW" or str(table.meta.get("overflow", "")).lower() == "true":
            warnings.warn(
                f"result cut at {SYNC_ROW_LIMIT} rows (the sync limit): use async_job=True for every row",
                OverflowWarning,
                stacklevel=3,
            )
        return table

    # -- metadata ------------------------------------------------------------------------------

    def load_tables(
        self, *, only_names: bool = False, include_shared_tables: bool = False, verbose: bool = False
    ) -> list[TableMeta]:
        """The published tables (names only with ``only_names``; shared user tables when asked)."""
        params = {}
        if only_names:
            params["only_tables"] = "true"
        if include_shared_tables:
            params["share_accessible"] = "true"
        log.info("Retrieving tables...")
        tables = self.tap.tables(**params)
        log.info("Done.")
        return tables

    def load_table(self, table: str, *, verbose: bool = False) -> TableMeta | None:
        """One table's metadata, by its qualified name (``jwst.main``)."""
        if table is None:
            raise InputError("Table name is required")
        if "." not in table:
            raise InputError(f"Not found schema name in full qualified table: '{table}'")
        log.info("Retrieving table '%s'", table)
        tables = self.tap.tables(tables=table)
        return tables[0] if tables else None

    # -- jobs ----------------------------------------------------------------------------------

    def launch_job(
        self,
        query: str,
        *,
        name: str | None = None,
        output_file: str | None = None,
        output_format: str = "votable",
        verbose: bool = False,
        dump_to_file: bool = False,
        background: bool = False,
        upload_resource: Any = None,
        upload_table_name: str | None = None,
        async_job: bool = False,
    ) -> TAPJob:
        """Run an ADQL query, sync (default, at most 2000 rows) or async; returns the job.

        ``dump_to_file`` (or an ``output_file``) saves the result there in ``output_format``;
        otherwise the result travels in the fastest format the service offers.
        ``upload_resource`` (a VOTable file or an astropy Table) is queryable as
        ``tap_upload.<upload_table_name>``.
        """
        if not isinstance(query, str) or not query.strip():
            raise InputError("query must be a non-empty ADQL string")
        uploads = None
        if upload_resource is not None:
            if not upload_table_name:
                raise InputError("Table name is required for upload_resource: give upload_table_name")
            uploads = {upload_table_name: upload_resource}
        if verbose:
            log.info("Launched query: '%s'", query)
        save = dump_to_file or output_file is not None
        fmt = output_format if save else None
        if not async_job:
            job = TAPJob(self.tap, query=query, name=name, output_format=output_format, phase="EXECUTING")
            target = None
            if save:
                target = output_file
            table, response = self._run_sync_job(query, fmt, uploads, name, save)
            if save:
                target = output_file or self._default_name(response, "sync")
                Path(target).write_bytes(response.content)
                job.output_file = target
            else:
                job.results = table
                if table is not None and table.meta.get("QUERY_STATUS") == "OVERFLOW":
                    warnings.warn(
                        f"result cut at {SYNC_ROW_LIMIT} rows (the sync limit): use async_job=True for every row",
                        OverflowWarning,
                        stacklevel=2,
                    )
            job._phase = "COMPLETED"
            return job
        jobid, chosen = self.tap.submit(query, output_format=fmt, uploads=uploads, name=name)
        job = TAPJob(self.tap, query=query, jobid=jobid, async_=True, name=name, output_format=chosen, phase="QUEUED")
        job.output_file = output_file
        if not background:
            phase = job.wait_for_job_end()
            if phase == "COMPLETED":
                log.info("Query finished.")
                if save:
                    job.output_file = output_file or f"async_{datetime.now(UTC):%Y%m%d%H%M%S}.vot"
                    job.results = self.tap.job_result(jobid, output_file=job.output_file, job=job)
                else:
                    job.get_results()
            else:
                job.failed = True
                raise QueryFailed(job.get_error() or f"job {jobid} ended in phase {phase}", url=job.remoteLocation)
        return job

    def _run_sync_job(
        self, query: str, fmt: str | None, uploads: dict[str, Any] | None, name: str | None, save: bool
    ) -> tuple[Table | None, httpx.Response]:
        if save:
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                return self.tap.run_sync(
                    query,
                    output_format=fmt,
                    maxrec=SYNC_ROW_LIMIT,
                    uploads=uploads,
                    name=name,
                    output_file=Path(tmp) / "result",
                )
        return self.tap.run_sync(query, output_format=fmt, maxrec=SYNC_ROW_LIMIT, uploads=uploads, name=name)

    @staticmethod
    def _default_name(response: httpx.Response, kind: str) -> str:
        from jwstarchive.clients.tap import _disposition_name, _extension

        return _disposition_name(response.headers) or (
            f"{kind}_{datetime.now(UTC):%Y%m%d%H%M%S}{_extension(response.headers.get('content-type', ''))}"
        )

    def load_async_job(self, *, jobid: str | None = None, name: str | None = None, verbose: bool = False) -> TAPJob:
        """An async job by id (or by name), with its results loaded when it completed."""
        if jobid is None:
            if name is None:
                raise InputError("No job identifier found: give jobid or name")
            found = [j for j in self.search_async_jobs(jobfilter={"name": name}) if j.name == name or not j.name]
            if not found:
                raise InputError(f"No job found for name '{name}'")
            jobid = found[0].jobid
        assert jobid is not None
        job = self.tap.load_job(jobid)
        if job.phase == "COMPLETED":
            job.get_results()
        return job

    def search_async_jobs(self, *, jobfilter: Any = None, verbose: bool = False) -> list[TAPJob]:
        """Async jobs matching a filter (a dict of TAP+ filter keys, or astroquery's ``Filter``)."""
        params: dict[str, str] = {}
        if jobfilter is not None:
            if hasattr(jobfilter, "createUrlRequest"):
                from urllib.parse import parse_qsl

                params = dict(parse_qsl(jobfilter.createUrlRequest()))
            else:
                params = {str(k): str(v) for k, v in dict(jobfilter).items()}
        response = self.tap.request("GET", f"{self.tap_url}/jobs/async", params={**params, "metadata_only": "True"})
        if response.status_code == 404:  # a plain TAP service: filter the UWS list ourselves
            jobs = self.tap.list_jobs()
            wanted = params.get("name") or params.get("jobname")
            phase = params.get("phaseid") or params.get("phase")
            return [j for j in jobs if (not wanted or j.name == wanted) and (not phase or j.phase == phase.upper())]
        self.tap.check(response, 200)
        from jwstarchive.clients.tap import parse_jobs

        return parse_jobs(self.tap, response.content)

    def list_async_jobs(self, *, verbose: bool = False) -> list[TAPJob]:
        """The caller's async jobs (id and phase)."""
        return self.tap.list_jobs()

    def remove_jobs(self, jobs_list: str | Sequence[str] | None, *, verbose: bool = False) -> None:
        """Delete async jobs by id (one id or a list)."""
        if jobs_list is None:
            return
        if isinstance(jobs_list, str):
            ids = [jobs_list]
        elif isinstance(jobs_list, list | tuple):
            ids = [str(j) for j in jobs_list]
        else:
            raise InputError("Invalid object type")
        if not ids:
            return
        response = self.tap.request(
            "POST",
            f"{self.tap_url}/deletejobs",
            content=f"JOB_IDS={','.join(ids)}".encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if response.status_code in (404, 405):  # no TAP+ deletejobs: plain UWS DELETE
            for jobid in ids:
                self.tap.delete_job(jobid)
            return
        self.tap.check(response, 200)

    def save_results(self, job: TAPJob, *, verbose: bool = False) -> str:
        """Save a job's results to its output file; return the path."""
        return job.save_results(verbose)

    # -- accounts ------------------------------------------------------------------------------

    def login(
        self,
        *,
        user: str | None = None,
        password: str | None = None,
        credentials_file: str | os.PathLike[str] | None = None,
        token: str | None = None,
        verbose: bool = False,
    ) -> None:
        """Log in (over HTTPS); with ``token`` also store a MAST token against the session.

        ``credentials_file`` holds the user on its first line and the password on its second.
        Without either, the user and password are asked for on a terminal.
        """
        if credentials_file is not None:
            lines = Path(credentials_file).read_text().splitlines()
            if len(lines) < 2:
                raise InputError(f"{credentials_file}: put the user on the first line and the password on the second")
            user, password = lines[0].strip(), lines[1].strip()
        if user is None or password is None:
            if not sys.stdin.isatty():
                raise InputError("login needs user and password (or credentials_file)")
            user = user or input("User: ")
            password = password or getpass.getpass("Password: ")
        url = f"{self.secure_url}/login"
        response = self.tap.request("POST", url, data={"username": user, "password": password})
        if response.status_code != 200:
            raise AuthenticationError(
                error_message(response.status_code, response.content), url=url, status=response.status_code
            )
        cookie = None
        for name in ("SESSION", "JSESSIONID"):
            value = response.cookies.get(name)
            if value:
                cookie = f"{name}={value}"
                break
        if cookie is None:
            raise AuthenticationError(f"{url} accepted the login but sent no session cookie", url=url)
        self.http.cookies.clear()
        self._set_cookie(cookie)
        self.user = user
        log.info("logged in as %s", user)
        if token is not None:
            self.set_token(token)

    def logout(self, *, verbose: bool = False) -> None:
        """Log out (the session cookie is forgotten too)."""
        if self._cookie is None:
            return
        url = f"{self.secure_url}/logout"
        try:
            self.tap.request("POST", url)
        finally:
            self._set_cookie(None)
            self.http.cookies.clear()
            self.user = None

    def set_token(self, token: str) -> str:
        """Store a MAST token against the logged-in session (it unlocks exclusive-access data)."""
        url = f"{self.secure_url}/jwstToken"
        response = self.tap.request("POST", url, data={"token": token})
        if response.status_code == 403:
            raise AuthenticationError(
                "ERROR: MAST tokens cannot be assigned or requested by anonymous users", url=url, status=403
            )
        if response.status_code >= 400:
            raise ServiceError("ERROR: Server error when setting the token", url=url, status=response.status_code)
        message = "MAST token has been set successfully"
        log.info(message)
        return message

    def get_status_messages(self) -> list[str]:
        """The service's status messages (also logged as warnings)."""
        url = f"{self.tap_url}/notification"
        try:
            response = self.tap.request("GET", url, params={"action": "GetNotifications"})
        except JWSTArchiveError:
            log.warning("Status messages could not be retrieved")
            return []
        if response.status_code != 200:
            return []
        messages = [line.split("=", 1)[1] for line in response.text.splitlines() if "=" in line]
        for message in messages:
            log.warning("%s", message)
        return messages

    # -- positional queries --------------------------------------------------------------------

    def _coordinate(self, value: Any) -> SkyCoord:
        from astropy.coordinates import SkyCoord
        from astropy.coordinates.baseframe import BaseCoordinateFrame

        if isinstance(value, SkyCoord):
            return value.icrs
        if isinstance(value, BaseCoordinateFrame):
            return SkyCoord(value).icrs
        if isinstance(value, str):
            try:
                return SkyCoord(value, unit=("hourangle", "deg") if ":" in value or "h" in value else "deg").icrs
            except ValueError:
                return sesame.resolve(value, resolver_url=self.resolver_url, client=self.http)
        if isinstance(value, Sequence) and len(value) == 2:
            return SkyCoord(ra=float(value[0]), dec=float(value[1]), unit="deg", frame="icrs")
        raise InputError("coordinate must be either a string or astropy.coordinates")

    @staticmethod
    def _angle(value: Any, name: str) -> float:
        from astropy import units as u

        if value is None:
            raise InputError(f"Missing required argument: '{name}'")
        if isinstance(value, str):
            return float(u.Quantity(value).to_value(u.deg))
        if isinstance(value, u.Quantity):
            return float(value.to_value(u.deg))
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise InputError(f"{name} must be either a string or units.Quantity")

    def _conditions(
        self,
        *,
        observation_id: str | None,
        cal_level: Any,
        prod_type: str | None,
        instrument_name: str | None,
        filter_name: str | None,
        proposal_id: str | None,
        only_public: bool,
    ) -> str:
        """The filter clauses, each `` AND ... `` (astroquery's order)."""
        clauses = []
        if observation_id is not None:
            if not isinstance(observation_id, str):
                raise InputError("observation_id must be string")
            clauses.append(f"observationid LIKE '{_adql_text(observation_id.lower())}'")
        if cal_level is not None:
            if isinstance(cal_level, str) and cal_level == "Top":
                clauses.append("max_cal_level=calibrationlevel")
            elif isinstance(cal_level, int):
                clauses.append(f"calibrationlevel={int(cal_level)}")
            else:
                raise InputError("cal_level must be either 'Top' or an integer")
        if not isinstance(only_public, bool):
            raise InputError("only_public must be boolean")
        if only_public:
            clauses.append("public='true'")
        if prod_type is not None:
            if not isinstance(prod_type, str):
                raise InputError("prod_type must be string")
            if prod_type.lower() not in self.PLANE_DATAPRODUCT_TYPES:
                raise InputError(f"prod_type must be one of: {', '.join(self.PLANE_DATAPRODUCT_TYPES)}")
            clauses.append(f"dataproducttype ILIKE '%{prod_type.lower()}%'")
        if instrument_name is not None:
            if not isinstance(instrument_name, str):
                raise InputError("instrument_name must be string")
            if instrument_name.upper() not in self.INSTRUMENT_NAMES:
                raise InputError(f"instrument_name must be one of: {', '.join(self.INSTRUMENT_NAMES)}")
            clauses.append(f"instrument_name ILIKE '%{instrument_name.upper()}%'")
        if filter_name is not None:
            if not isinstance(filter_name, str):
                raise InputError("filter_name must be string")
            clauses.append(f"energy_bandpassname ILIKE '%{_adql_text(filter_name)}%'")
        if proposal_id is not None:
            if not isinstance(proposal_id, str):
                raise InputError("proposal_id must be string")
            clauses.append(f"proposal_id ILIKE '%{_adql_text(proposal_id)}%'")
        return "".join(f" AND {c}" for c in clauses)

    def _columns(self, show_all_columns: bool) -> str:
        return "*" if show_all_columns else ", ".join(self.JWST_DEFAULT_COLUMNS)

    def cone_search(
        self,
        coordinate: Any,
        radius: Any,
        *,
        observation_id: str | None = None,
        cal_level: Any = "Top",
        prod_type: str | None = None,
        instrument_name: str | None = None,
        filter_name: str | None = None,
        proposal_id: str | None = None,
        only_public: bool = False,
        show_all_columns: bool = False,
        async_job: bool = False,
        background: bool = False,
        output_file: str | None = None,
        output_format: str = "votable",
        verbose: bool = False,
        dump_to_file: bool = False,
    ) -> TAPJob:
        """Planes whose target lies within ``radius`` of ``coordinate``, nearest first; returns the job."""
        coord = self._coordinate(coordinate)
        r = self._angle(radius, "radius")
        where = self._conditions(
            observation_id=observation_id,
            cal_level=cal_level,
            prod_type=prod_type,
            instrument_name=instrument_name,
            filter_name=filter_name,
            proposal_id=proposal_id,
            only_public=only_public,
        )
        ra, dec = float(coord.ra.deg), float(coord.dec.deg)
        query = (
            f"SELECT DISTANCE(POINT('ICRS',target_ra,target_dec), POINT('ICRS',{ra!r},{dec!r})) AS dist, "
            f"{self._columns(show_all_columns)} FROM {MAIN_TABLE} "
            f"WHERE CONTAINS(POINT('ICRS',target_ra,target_dec),CIRCLE('ICRS',{ra!r},{dec!r},{r!r}))=1"
            f"{where} ORDER BY dist ASC"
        )
        return self.launch_job(
            query,
            output_file=output_file,
            output_format=output_format,
            verbose=verbose,
            dump_to_file=dump_to_file,
            background=background,
            async_job=async_job,
        )

    def query_region(
        self,
        coordinate: Any,
        *,
        radius: Any = None,
        width: Any = None,
        height: Any = None,
        observation_id: str | None = None,
        cal_level: Any = "Top",
        prod_type: str | None = None,
        instrument_name: str | None = None,
        filter_name: str | None = None,
        proposal_id: str | None = None,
        only_public: bool = False,
        show_all_columns: bool = False,
        async_job: bool = False,
        verbose: bool = False,
    ) -> Table:
        """Planes in a cone (``radius``) or a box (``width`` x ``height``) around ``coordinate``."""
        filters = {
            "observation_id": observation_id,
            "cal_level": cal_level,
            "prod_type": prod_type,
            "instrument_name": instrument_name,
            "filter_name": filter_name,
            "proposal_id": proposal_id,
            "only_public": only_public,
        }
        if radius is not None:
            job = self.cone_search(
                coordinate, radius, show_all_columns=show_all_columns, async_job=async_job, verbose=verbose, **filters
            )
            return job.get_results()
        coord = self._coordinate(coordinate)
        w = self._angle(width, "width")
        h = self._angle(height, "height")
        where = self._conditions(**filters)
        ra, dec = float(coord.ra.deg), float(coord.dec.deg)
        query = (
            f"SELECT DISTANCE(POINT('ICRS',target_ra,target_dec), POINT('ICRS',{ra!r},{dec!r})) AS dist, "
            f"{self._columns(show_all_columns)} FROM {MAIN_TABLE} "
            f"WHERE CONTAINS(POINT('ICRS',target_ra,target_dec),BOX('ICRS',{ra!r},{dec!r},{w!r},{h!r}))=1"
            f"{where} ORDER BY dist ASC"
        )
        return self.launch_job(query, verbose=verbose, async_job=async_job).get_results()

    def resolve_target_coordinates(self, target_name: str, target_resolver: str) -> SkyCoord:
        """The position of ``target_name`` from Sesame (SIMBAD, NED, VizieR, or ALL in that order)."""
        if target_resolver not in self.TARGET_RESOLVERS:
            raise InputError("This target resolver is not allowed")
        return sesame.resolve(target_name, resolver=target_resolver, resolver_url=self.resolver_url, client=self.http)

    def query_target(
        self,
        target_name: str,
        *,
        target_resolver: str = "ALL",
        radius: Any = None,
        width: Any = None,
        height: Any = None,
        observation_id: str | None = None,
        cal_level: Any = "Top",
        prod_type: str | None = None,
        instrument_name: str | None = None,
        filter_name: str | None = None,
        proposal_id: str | None = None,
        only_public: bool = False,
        show_all_columns: bool = False,
        async_job: bool = False,
        verbose: bool = False,
    ) -> Table:
        """:meth:`query_region` around a target resolved by name."""
        coordinates = self.resolve_target_coordinates(target_name, target_resolver)
        return self.query_region(
            coordinates,
            radius=radius,
            width=width,
            height=height,
            observation_id=observation_id,
            cal_level=cal_level,
            prod_type=prod_type,
            instrument_name=instrument_name,
            filter_name=filter_name,
            proposal_id=proposal_id,
            only_public=only_public,
            show_all_columns=show_all_columns,
            async_job=async_job,
            verbose=verbose,
        )

    # -- products ------------------------------------------------------------------------------

    def _validate_cal_level(self, cal_level: Any) -> None:
        if isinstance(cal_level, bool) or cal_level not in self.CAL_LEVELS:
            raise InputError("This calibration level is not valid")

    def _get_plane_id(self, observation_id: str) -> tuple[list[str], int]:
        """The top-level planes of an observation and that level."""
        try:
            rows = self._sync(
                "select distinct m.planeid, m.calibrationlevel from jwst.main m "
                f"where m.observationid = '{_adql_text(observation_id)}'"
            )
        except JWSTArchiveError as exc:
            raise InputError("This observation_id does not exist in JWST database") from exc
        if len(rows) == 0:
            raise InputError("This observation_id does not exist in JWST database")
        top = int(max(rows["calibrationlevel"]))
        return [str(r["planeid"]) for r in rows if int(r["calibrationlevel"]) == top], top

    def _get_associated_planes(self, plane_ids: list[str], cal_level: Any, max_cal_level: int) -> list[str]:
        """The planes of the same observation and of its members at the requested level(s)."""
        if cal_level == max_cal_level:
            return plane_ids
        ids = ", ".join(f"'{_adql_text(p)}'" for p in plane_ids)
        level = "sp.calibrationlevel<=p.calibrationlevel" if cal_level == "ALL" else f"sp.calibrationlevel={cal_level}"
        siblings = self._sync(
            "SELECT sp.planeid as product_planeid FROM jwst.observation o JOIN jwst.plane p ON p.obsid=o.obsid "
            f"JOIN jwst.plane sp ON sp.obsid=o.obsid WHERE {level} AND p.planeid IN ({ids})"
        )
        member_level = "" if cal_level == "ALL" else f"mp.calibrationlevel={cal_level} AND "
        members = self._sync(
            "SELECT mp.planeid as product_planeid FROM jwst.observation o JOIN jwst.plane p on o.obsid=p.obsid "
            "JOIN jwst.observationmember m on o.obsid=m.parentid "
            "JOIN jwst.observation mo on m.memberid=mo.observationuri "
            f"JOIN jwst.plane mp on mo.obsid=mp.obsid WHERE {member_level}p.planeid IN ({ids})"
        )
        out: list[str] = []
        for table in (siblings, members):
            out.extend(str(v) for v in table["product_planeid"] if str(v) not in out)
        return out

    def _check_product_type(self, product_type: str | None) -> str:
        if product_type is None:
            return ""
        if not isinstance(product_type, str):
            raise InputError("product_type must be string")
        if product_type not in self.ARTIFACT_PRODUCT_TYPES:
            raise InputError(f"product_type must be one of: {', '.join(self.ARTIFACT_PRODUCT_TYPES)}")
        return f" AND producttype ILIKE '%{product_type}%'"

    def get_product_list(
        self, *, observation_id: str | None = None, cal_level: Any = "ALL", product_type: str | None = None
    ) -> Table:
        """The products (artifacts) of an observation at ``cal_level`` (``ALL``: this level and below)."""
        self._validate_cal_level(cal_level)
        if observation_id is None:
            raise InputError(self.REQUESTED_OBSERVATION_ID)
        condition = self._check_product_type(product_type)
        plane_ids, max_level = self._get_plane_id(observation_id)
        if cal_level == 3 and cal_level > max_level:
            raise InputError("Requesting upper levels is not allowed")
        planes = self._get_associated_planes(plane_ids, cal_level, max_level)
        ids = ", ".join(f"'{_adql_text(p)}'" for p in planes)
        query = (
            "select distinct a.uri, a.artifactid, a.filename, a.contenttype, a.producttype, "
            f'p.calibrationlevel, p."public" FROM jwst.plane p JOIN {ARTIFACT_TABLE} a ON (p.planeid=a.planeid) '
            f"WHERE a.planeid IN ({ids}){condition}"
        )
        table, _ = self.tap.run_sync(query)
        assert table is not None
        return table

    def get_related_observations(self, observation_id: str | None) -> list[str]:
        """The composites that include this observation, or else the members of this composite."""
        if observation_id is None:
            raise InputError(self.REQUESTED_OBSERVATION_ID)
        oid = _adql_text(observation_id)
        composites = self._sync(f"select distinct m.observationid from jwst.main m where m.members like '%{oid}%'")
        if len(composites):
            return [str(v) for v in composites["observationid"]]
        rows = self._sync(f"select m.members from jwst.main m where m.observationid='{oid}'")
        if len(rows) == 0:
            raise InputError("This observation_id does not exist in JWST database")
        members = rows["members"][0]
        if members is None or getattr(members, "mask", False) is True or not str(members).strip():
            return []
        return str(members).replace("caom:JWST/", "").split()

    def _artifact(self, column: str, value: str) -> Any:
        rows = self._sync(
            "select a.artifactid, a.filename, a.contentlength, a.contentchecksum from jwst.artifact a "
            f"where a.{column} = '{_adql_text(value)}'"
        )
        if len(rows) == 0:
            raise InputError(f"no product with {column} {value!r} in {ARTIFACT_TABLE}")
        return rows[0]

    def _download(self, params: dict[str, str], path: Path, size: int | None = None, md5: str | None = None) -> Any:
        from jwstarchive.download import FileRequest, download_files

        url = f"{self.data_url}?{urlencode(params)}"
        (result,) = download_files(
            [FileRequest(url, path, size=size, md5=md5)],
            headers={"User-Agent": self.http.headers["User-Agent"], **self._headers()},
            concurrency=1,
            clobber=True,
            progress=self.progress,
            timeout=self.timeout,
        )
        return result

    def get_product(
        self, *, artifact_id: str | None = None, file_name: str | None = None, output_dir: str | Path = "."
    ) -> str:
        """Download one product (by artifact id or file name) into ``output_dir``; return its path."""
        if artifact_id is None and file_name is None:
            raise InputError("Missing required argument: 'artifact_id' or 'file_name'")
        size = md5 = None
        if artifact_id is None or file_name is None:
            column, value = ("artifactid", artifact_id) if artifact_id is not None else ("filename", file_name)
            try:
                row = self._artifact(column, str(value))
            except JWSTArchiveError as exc:
                what = "artifact_id" if artifact_id is not None else "file_name"
                raise InputError(f"Cannot retrieve product for {what} {value}: {exc}") from exc
            artifact_id, file_name = str(row["artifactid"]), str(row["filename"])
            size = int(row["contentlength"]) if row["contentlength"] is not None else None
            checksum = str(row["contentchecksum"] or "")
            md5 = checksum.split(":", 1)[1] if checksum.startswith("md5:") else None
        path = Path(output_dir) / str(file_name)
        path.parent.mkdir(parents=True, exist_ok=True)
        params = {"RETRIEVAL_TYPE": "PRODUCT", "TAPCLIENT": TAP_CLIENT_ID, "ARTIFACTID": str(artifact_id)}
        result = self._download(params, path, size, md5)
        if not result.ok:
            raise self._download_error(f"Error retrieving product for {artifact_id or file_name}", result)
        return str(path)

    def get_obs_products(
        self,
        *,
        observation_id: str | None = None,
        cal_level: Any = "ALL",
        product_type: str | Sequence[str] | None = None,
        output_file: str | os.PathLike[str] | None = None,
    ) -> list[str]:
        """Download an observation's products (a tar is unpacked); return the files' paths."""
        if isinstance(product_type, list | tuple):
            product_type = None if "" in product_type or not product_type else ",".join(product_type)
        product_type = product_type or None
        if observation_id is None:
            raise InputError(self.REQUESTED_OBSERVATION_ID)
        self._validate_cal_level(cal_level)
        plane_ids, max_level = self._get_plane_id(observation_id)
        if cal_level == 3 and cal_level > max_level:
            raise InputError("Requesting upper levels is not allowed")
        if cal_level == max_level or cal_level == 2:
            level = "SELECTED"
        elif cal_level == 1:
            level = "LEVEL1ONLY"
        else:
            level = str(cal_level)
        planes = self._get_associated_planes(plane_ids, cal_level, max_level)
        params = {
            "RETRIEVAL_TYPE": "OBSERVATION",
            "TAPCLIENT": TAP_CLIENT_ID,
            "planeid": ",".join(planes),
            "calibrationlevel": level,
        }
        if product_type:
            params["product_type"] = str(product_type)
        if output_file is not None:
            target = Path(output_file)
        else:
            stamp = datetime.now(UTC).strftime("%Y%m%d_%H%M%S")
            target = Path.cwd() / f"temp_{stamp}" / f"{observation_id}_all_products"
        output_dir = target.parent
        output_dir.mkdir(parents=True, exist_ok=True)
        result = self._download(params, target)
        if not result.ok:
            raise self._download_error(f"Cannot retrieve products for observation {observation_id}", result)
        return _unpack(target)

    def _download_error(self, prefix: str, result: Any) -> JWSTArchiveError:
        """The error of a failed download, with the service's own words (``403 Error 403: ...``)."""
        status = getattr(result, "http_status", None)
        detail = result.message
        if status is not None and status >= 400:
            try:
                with self.http.stream("GET", result.request.url, headers=self._headers()) as response:
                    body = b""
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > 4096:
                            break
                    if response.status_code >= 400:
                        detail = f"{response.status_code} {error_message(response.status_code, body[:4096])}"
            except httpx.HTTPError as exc:  # the engine's message stands
                log.debug("could not read the error body of %s: %s", result.request.url, exc)
        message = f"{prefix}: {detail}"
        error = getattr(result, "error", None)
        if isinstance(error, AuthenticationError) or status in (401, 403):
            return AuthenticationError(message, url=result.request.url, status=status)
        return DownloadError(message, url=result.request.url, path=str(result.request.path))

    def download_files_from_program(
        self, proposal_id: str | int, *, product_type: str | Sequence[str] | None = None, verbose: bool = False
    ) -> list[str]:
        """Download the products of every observation of a program; return the observation ids."""
        query = f"SELECT observationid FROM {ARCHIVE_TABLE} WHERE proposal_id='{_adql_text(str(proposal_id))}'"
        if verbose:
            log.info("%s", query)
        job = self.launch_job(query, async_job=True)
        ids = list(dict.fromkeys(str(v) for v in job.get_results()["observationid"]))
        for oid in ids:
            log.info("Downloading products for Observation ID: %s", oid)
            self.get_obs_products(observation_id=oid, product_type=product_type)
        return ids


def _plain_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """The tar's files and directories, checked to stay inside the target directory and made
    non-executable (what ``filter="data"`` guarantees, without its per-member path resolution)."""
    members = []
    for member in tar.getmembers():
        parts = Path(member.name).parts
        if not (member.isfile() or member.isdir()) or member.name.startswith("/") or ".." in parts:
            raise DownloadError(f"refusing to unpack {member.name!r}: not a plain file inside the download directory")
        member.mode = 0o755 if member.isdir() else 0o644
        member.uid = member.gid = 0
        member.uname = member.gname = ""
        members.append(member)
    return members


def _unpack(path: Path) -> list[str]:
    """Unpack a downloaded tar or zip next to it; return every file there except the archive."""
    directory = path.parent
    if tarfile.is_tarfile(path):
        with tarfile.open(path) as tar:
            tar.extractall(directory, members=_plain_members(tar), filter="fully_trusted")
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            archive.extractall(directory)
    else:
        return [str(path)]
    return sorted(str(p) for p in directory.rglob("*") if p.is_file() and p != path)


#: The archive at ``JWSTARCHIVE_ESA_URL`` (default the real ESA service); no network until used.
Jwst = JwstClass()
