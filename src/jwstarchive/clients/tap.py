"""A small TAP 1.1 client on httpx: sync queries, UWS async jobs, uploads, tables, result parsing.

One keep-alive :class:`httpx.Client` serves every request of a :class:`TAPClient`. Results are
asked for in the fastest format the service writes: Parquet first (read with pyarrow), then
VOTable (BINARY2 on TAP+ services) when a service refuses Parquet; CSV and VOTable bodies are
parsed too, chosen by ``Content-Type``. Nothing here knows about ESA; ``clients/esa.py`` builds
the TAP+ extras on top.
"""

from __future__ import annotations

import contextlib
import io
import logging
import ssl
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from jwstarchive import __version__
from jwstarchive.errors import JobError, QueryFailed, ServiceError, ServiceUnavailable, UnknownJob

if TYPE_CHECKING:
    import pyarrow as pa
    from astropy.table import Table

__all__ = [
    "ColumnMeta",
    "TAPClient",
    "TAPJob",
    "TableMeta",
    "error_message",
    "open_client",
    "read_table",
    "transport_errors",
]

log = logging.getLogger(__name__)

USER_AGENT = f"jwstarchive/{__version__} (IVOA-science)"
FINAL_PHASES = frozenset({"COMPLETED", "ERROR", "ABORTED", "ARCHIVED"})
ACTIVE_PHASES = frozenset({"PENDING", "QUEUED", "EXECUTING", "HELD", "SUSPENDED", "UNKNOWN"})
PREFERRED_FORMATS = ("parquet", "votable")

_EXTENSIONS = {
    "parquet": ".parquet",
    "x-votable": ".vot",
    "xml": ".xml",
    "csv": ".csv",
    "json": ".json",
    "fits": ".fits",
    "plain": ".txt",
    "ecsv": ".ecsv",
}


def open_client(
    *, timeout: float = 120.0, verify: bool | str = True, headers: Mapping[str, str] | None = None
) -> httpx.Client:
    """The keep-alive HTTP client the archive clients share (redirects followed).

    ``verify`` may be the path of a CA bundle (e.g. a local server's ``ARCHIVE/tls/cert.pem``).
    """
    tls: bool | ssl.SSLContext = verify if isinstance(verify, bool) else ssl.create_default_context(cafile=str(verify))
    return httpx.Client(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 30.0)),
        verify=tls,
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT, **(headers or {})},
        limits=httpx.Limits(max_keepalive_connections=16, max_connections=32),
    )


@contextlib.contextmanager
def transport_errors(url: str) -> Iterator[None]:
    """Turn httpx transport failures into :class:`ServiceUnavailable` (the one place that does)."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise ServiceUnavailable(f"{url} did not answer in time ({exc.__class__.__name__})", url=url) from exc
    except httpx.TransportError as exc:
        raise ServiceUnavailable(f"cannot reach {url}: {exc}", url=url) from exc


def error_message(status: int, body: bytes | str) -> str:
    """The message of an error body as TAP+ clients read it: ``Error <status>: <text>``.

    An old UWS HTML page (``<li><b>Message: </b>...</li>``), then an error VOTable
    (``QUERY_STATUS`` = ERROR), else the whole body.
    """
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    marker = "<li><b>Message: </b>"
    if marker in text:
        start = text.index(marker) + len(marker)
        end = text.find("</li>", start)
        return f"Error {status}:\n{text[start : end if end >= 0 else None].strip()}"
    info = _error_info(text)
    if info is not None:
        return f"Error {status}: {info}"
    return f"Error {status}:\n{text.strip()}"


def _error_info(text: str) -> str | None:
    """The text of the QUERY_STATUS=ERROR INFO of a VOTable, or None."""
    if "QUERY_STATUS" not in text or "ERROR" not in text:
        return None
    try:
        root = ET.fromstring(text.encode())
    except ET.ParseError:
        return None
    for el in root.iter():
        if el.tag.rsplit("}", 1)[-1] == "INFO" and el.get("name") == "QUERY_STATUS" and el.get("value") == "ERROR":
            return (el.text or "").strip()
    return None


# ---------------------------------------------------------------------------------------------
# Result parsing


def _arrow_to_table(arrow: pa.Table) -> Table:
    """An astropy Table from an Arrow table; nulls become masked entries, units and descriptions kept."""
    import numpy as np
    import pyarrow as pa
    from astropy.table import Column, MaskedColumn, Table

    columns = []
    for name, chunked in zip(arrow.column_names, arrow.columns, strict=True):
        meta = {k.decode(): v.decode() for k, v in (arrow.schema.field(name).metadata or {}).items()}
        kind = chunked.type
        if pa.types.is_dictionary(kind):
            chunked = chunked.cast(kind.value_type)
            kind = chunked.type
        nulls = chunked.null_count
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            values = chunked.to_numpy(zero_copy_only=False)
            if nulls:
                mask = chunked.is_null().to_numpy(zero_copy_only=False)
                values = values.copy()
                values[mask] = ""
        elif nulls and (pa.types.is_integer(kind) or pa.types.is_boolean(kind)):
            mask = chunked.is_null().to_numpy(zero_copy_only=False)
            values = chunked.fill_null(False if pa.types.is_boolean(kind) else 0).to_numpy(zero_copy_only=False)
        elif pa.types.is_timestamp(kind) or pa.types.is_date(kind):
            values = np.array([None if v is None else v.isoformat() for v in chunked.to_pylist()], dtype=object)
            mask = np.array([v is None for v in values]) if nulls else None
        else:
            values = chunked.to_numpy(zero_copy_only=False)
        kwargs: dict[str, Any] = {"name": name, "description": meta.get("description"), "unit": meta.get("unit")}
        if nulls:
            mask = chunked.is_null().to_numpy(zero_copy_only=False)
            columns.append(MaskedColumn(values, mask=mask, **kwargs))
        else:
            columns.append(Column(values, **kwargs))
    table = Table(columns, copy=False)
    table.meta.update({k.decode(): v.decode() for k, v in (arrow.schema.metadata or {}).items()})
    return table


def _parse_parquet(data: bytes) -> Table:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(io.BytesIO(data))
    table = _arrow_to_table(parquet.read())
    file_meta = parquet.metadata.metadata or {}
    table.meta.update({k.decode(): v.decode() for k, v in file_meta.items() if not k.startswith(b"ARROW:")})
    return table


def _parse_votable(data: bytes) -> Table:
    import warnings

    from astropy.io.votable import parse_single_table
    from astropy.io.votable.exceptions import VOWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", VOWarning)
        return parse_single_table(io.BytesIO(data), verify="ignore").to_table(use_names_over_ids=True)


def _parse_csv(data: bytes) -> Table:
    from astropy.io import ascii

    return ascii.read(data.decode("utf-8"), format="csv", fast_reader=True)


def read_table(data: bytes, content_type: str = "", *, fmt: str | None = None) -> Table:
    """Parse a result body into an astropy Table, by format name or ``Content-Type`` (else sniffed).

    Gzip-compressed bodies are uncompressed first.
    """
    import gzip

    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    kind = (fmt or content_type or "").lower()
    if "parquet" in kind or data[:4] == b"PAR1":
        return _parse_parquet(data)
    if "csv" in kind:
        return _parse_csv(data)
    if "fits" in kind or data[:6] == b"SIMPLE":
        from astropy.table import Table as AstropyTable

        return AstropyTable.read(io.BytesIO(data), format="fits")
    if "ecsv" in kind:
        from astropy.table import Table as AstropyTable

        return AstropyTable.read(data.decode(), format="ascii.ecsv")
    return _parse_votable(data)


# ---------------------------------------------------------------------------------------------
# Table metadata (VOSI tables)


@dataclass
class ColumnMeta:
    """One column of a published table (``TapColumn`` in astroquery)."""

    name: str
    description: str | None = None
    unit: str | None = None
    ucd: str | None = None
    utype: str | None = None
    data_type: str | None = None
    flag: str | None = None
    flags: str | None = None

    def __str__(self) -> str:
        return f"TAP Column name: {self.name}\nDescription: {self.description}\nUnit: {self.unit}"


@dataclass
class TableMeta:
    """One published table (``TapTableMeta`` in astroquery)."""

    name: str
    schema: str | None = None
    description: str | None = None
    size_bytes: int | None = None
    columns: list[ColumnMeta] = field(default_factory=list)

    def get_qualified_name(self) -> str:
        """``schema.table`` (the name itself when it already holds a dot)."""
        return self.name if "." in self.name or not self.schema else f"{self.schema}.{self.name}"

    def __str__(self) -> str:
        return (
            f"TAP Table name: {self.get_qualified_name()}\nDescription: {self.description or ''}\n"
            f"Num. columns: {len(self.columns)}"
        )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _child_text(el: ET.Element, name: str) -> str | None:
    for child in el:
        if _local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def parse_tableset(data: bytes) -> list[TableMeta]:
    """The tables of a VOSI ``tableset`` (or single ``table``) document, TAP+ flags included."""
    root = ET.fromstring(data)
    tables: list[TableMeta] = []

    def read_table_el(el: ET.Element, schema: str | None) -> TableMeta:
        size = next((v for k, v in el.attrib.items() if k.endswith("size_bytes")), None)
        meta = TableMeta(
            name=_child_text(el, "name") or "",
            schema=schema,
            description=_child_text(el, "description"),
            size_bytes=int(size) if size and size.lstrip("-").isdigit() else None,
        )
        for col in el:
            if _local(col.tag) != "column":
                continue
            flags = next((v for k, v in col.attrib.items() if _local(k) == "flags" or k.endswith(":flags")), None)
            meta.columns.append(
                ColumnMeta(
                    name=_child_text(col, "name") or "",
                    description=_child_text(col, "description"),
                    unit=_child_text(col, "unit"),
                    ucd=_child_text(col, "ucd"),
                    utype=_child_text(col, "utype"),
                    data_type=_child_text(col, "datatype"),
                    flag=_child_text(col, "flag"),
                    flags=flags,
                )
            )
        return meta

    if _local(root.tag) == "table":
        return [read_table_el(root, None)]
    for schema_el in root.iter():
        if _local(schema_el.tag) != "schema":
            continue
        schema_name = _child_text(schema_el, "name")
        tables.extend(read_table_el(t, schema_name) for t in schema_el if _local(t.tag) == "table")
    return tables


# ---------------------------------------------------------------------------------------------
# Jobs


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S")


def _extension(content_type: str) -> str:
    for key, ext in _EXTENSIONS.items():
        if key in content_type:
            return ext
    return ".dat"


def _disposition_name(headers: httpx.Headers) -> str | None:
    value = headers.get("content-disposition", "")
    marker = 'filename="'
    if marker in value:
        return value[value.index(marker) + len(marker) :].split('"', 1)[0] or None
    return None


class TAPJob:
    """A TAP query, sync or async, with astroquery's ``Job`` surface.

    ``get_results()`` returns an astropy Table; for async jobs it waits for the end first.
    """

    def __init__(
        self,
        tap: TAPClient,
        *,
        query: str | None,
        jobid: str | None = None,
        async_: bool = False,
        name: str | None = None,
        output_file: str | None = None,
        output_format: str = "votable",
        phase: str = "PENDING",
    ) -> None:
        self.tap = tap
        self.jobid = jobid
        self.async_ = async_
        self.name = name
        self.parameters: dict[str, str] = {"query": query or "", "format": output_format}
        self.output_format = output_format
        self.output_file = output_file
        self.results: Table | None = None
        self.failed = False
        self.owner: str | None = None
        self.creation_time: str | None = None
        self._phase = phase

    # astroquery spells these in camelCase; both spellings work.
    @property
    def outputFile(self) -> str | None:  # noqa: N802
        """The local file the result was (or will be) written to."""
        return self.output_file

    @property
    def remoteLocation(self) -> str | None:  # noqa: N802
        """The job URL at the service (async jobs only)."""
        return self.tap.job_url(self.jobid) if self.jobid else None

    @property
    def phase(self) -> str:
        """The last known UWS phase."""
        return self._phase

    def get_phase(self, update: bool = False) -> str:
        """The UWS phase, asked of the service again when ``update``."""
        if update and self.async_ and self.jobid:
            self._phase = self.tap.job_phase(self.jobid)
        return self._phase

    def is_finished(self) -> bool:
        """True once the job reached a final phase."""
        return self.get_phase(update=True) in FINAL_PHASES

    def wait_for_job_end(self, timeout: float | None = None) -> str:
        """Wait (server-side long polls, then short sleeps) until the job ends; return the phase."""
        if self.async_ and self.jobid and self._phase not in FINAL_PHASES:
            self._phase = self.tap.wait(self.jobid, timeout=timeout)
        return self._phase

    def get_results(self) -> Table:
        """The result table (fetched once, then kept)."""
        if self.results is None:
            if self.output_file and Path(self.output_file).exists():
                self.results = read_table(Path(self.output_file).read_bytes(), fmt=self.output_format)
            elif self.async_ and self.jobid:
                if self.wait_for_job_end() != "COMPLETED":
                    self.failed = True
                    raise QueryFailed(self.get_error() or f"job {self.jobid} ended in phase {self._phase}")
                self.results = self.tap.job_result(self.jobid, output_file=self.output_file, job=self)
            else:
                raise JobError("this job has no results")
        return self.results

    get_data = get_results

    def save_results(self, verbose: bool = False) -> str:
        """Write the result to ``output_file`` (a name is chosen when none was given); return the path."""
        if self.output_file and Path(self.output_file).exists():
            return self.output_file
        if not self.async_ or not self.jobid:
            table = self.get_results()
            self.output_file = self.output_file or f"sync_{_timestamp()}.vot"
            table.write(self.output_file, format="votable", overwrite=True)
            return self.output_file
        self.wait_for_job_end()
        self.output_file = self.output_file or f"async_{_timestamp()}.vot"
        self.results = self.tap.job_result(self.jobid, output_file=self.output_file, job=self)
        return self.output_file

    def get_error(self) -> str | None:
        """The error message of a failed async job."""
        if not self.async_ or not self.jobid:
            return None
        return self.tap.job_error(self.jobid)

    def start(self) -> None:
        """Run a PENDING async job."""
        if self.jobid:
            self.tap.run_job(self.jobid)
            self._phase = "QUEUED"

    def abort(self) -> None:
        """Abort an async job."""
        if self.jobid:
            self.tap.abort_job(self.jobid)
            self._phase = "ABORTED"

    def delete(self) -> None:
        """Delete the async job at the service."""
        if self.jobid:
            self.tap.delete_job(self.jobid)

    def __str__(self) -> str:
        parts = []
        if self.results is not None:
            parts.append(repr(self.results))
        parts += [
            f"Jobid: {self.jobid}",
            f"Phase: {self._phase}",
            f"Owner: {self.owner}",
            f"Output file: {self.output_file}",
            f"Results: {None if self.results is None else 'loaded'}",
        ]
        return "\n".join(parts)

    __repr__ = __str__


# ---------------------------------------------------------------------------------------------
# The client


class TAPClient:
    """A TAP service at ``url`` (the base, e.g. ``https://host/server/tap``).

    Parameters
    ----------
    url
        The TAP base URL, without a trailing slash.
    client
        An httpx client to share (one is opened otherwise, with ``timeout`` and ``verify``).
    extra_params
        Form fields added to every query (e.g. ``{"tapclient": "..."}``).
    """

    def __init__(
        self,
        url: str,
        *,
        client: httpx.Client | None = None,
        timeout: float = 120.0,
        verify: bool | str = True,
        extra_params: Mapping[str, str] | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.http = client or open_client(timeout=timeout, verify=verify)
        self.extra_params = dict(extra_params or {})
        self.headers: dict[str, str] = {}
        self._formats = list(PREFERRED_FORMATS)

    # -- low level -------------------------------------------------------------------------

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One HTTP request with the client's headers; transport failures become ServiceUnavailable."""
        headers = {**self.headers, **kwargs.pop("headers", {})}
        with transport_errors(url):
            return self.http.request(method, url, headers=headers, **kwargs)

    def check(self, response: httpx.Response, *expected: int) -> httpx.Response:
        """Raise :class:`QueryFailed` (with the service's own message) unless the status is expected."""
        if response.status_code not in (expected or (200,)):
            response.read()
            status = response.status_code
            raise QueryFailed(error_message(status, response.content), url=str(response.url), status=status)
        return response

    def job_url(self, jobid: str) -> str:
        """The URL of an async job."""
        return f"{self.url}/async/{jobid}"

    def _form(self, query: str, fmt: str, *, maxrec: int | None, name: str | None, run: bool) -> dict[str, str]:
        form = {"REQUEST": "doQuery", "LANG": "ADQL", "FORMAT": fmt, **self.extra_params, "QUERY": query}
        if maxrec is not None:
            form["MAXREC"] = str(maxrec)
        if run:
            form["PHASE"] = "RUN"
        if name:
            form["jobname"] = name
        return form

    def _files(self, uploads: Mapping[str, Any] | None) -> tuple[dict[str, str], dict[str, Any]]:
        """The UPLOAD parameter and multipart parts for ``{name: path | bytes | Table}``."""
        if not uploads:
            return {}, {}
        from astropy.table import Table as AstropyTable

        params, files = [], {}
        for name, resource in uploads.items():
            if isinstance(resource, AstropyTable):
                buf = io.BytesIO()
                resource.write(buf, format="votable")
                files[name] = ("pytable", buf.getvalue(), "application/x-votable+xml")
            elif isinstance(resource, bytes):
                files[name] = (name, resource, "application/x-votable+xml")
            else:
                path = Path(resource)
                files[name] = (path.name, path.read_bytes(), "application/x-votable+xml")
            params.append(f"{name},param:{name}")
        return {"UPLOAD": ";".join(params)}, files

    def _post_query(self, endpoint: str, form: dict[str, str], files: dict[str, Any]) -> httpx.Response:
        url = f"{self.url}/{endpoint}"
        if files:
            return self.request("POST", url, data=form, files=files)
        return self.request("POST", url, data=form)

    def _with_format(self, send: Any, fmt: str | None) -> tuple[httpx.Response, str]:
        """Send with the requested format, or with the fastest the service accepts (remembered)."""
        if fmt is not None:
            return send(fmt), fmt
        while True:
            chosen = self._formats[0]
            response = send(chosen)
            if response.status_code == 400 and len(self._formats) > 1:
                response.read()
                if "format" in response.text.lower():
                    log.debug("%s refuses format %s; falling back", self.url, chosen)
                    self._formats.pop(0)
                    continue
            return response, chosen

    # -- queries ---------------------------------------------------------------------------

    def run_sync(
        self,
        query: str,
        *,
        output_format: str | None = None,
        maxrec: int | None = None,
        uploads: Mapping[str, Any] | None = None,
        name: str | None = None,
        output_file: str | Path | None = None,
    ) -> tuple[Table | None, httpx.Response]:
        """Run ``query`` synchronously; with ``output_file`` the body is saved there and not parsed.

        Returns the table (None when saved to a file) and the response.
        """
        upload_param, files = self._files(uploads)

        def send(fmt: str) -> httpx.Response:
            form = {**self._form(query, fmt, maxrec=maxrec, name=name, run=False), **upload_param}
            return self._post_query("sync", form, files)

        response, chosen = self._with_format(send, output_format)
        self.check(response, 200)
        if output_file is not None:
            Path(output_file).write_bytes(response.content)
            return None, response
        log.debug("sync query answered %d bytes of %s", len(response.content), chosen)
        return read_table(response.content, response.headers.get("content-type", "")), response

    def submit(
        self,
        query: str,
        *,
        output_format: str | None = None,
        maxrec: int | None = None,
        uploads: Mapping[str, Any] | None = None,
        name: str | None = None,
        run: bool = True,
    ) -> tuple[str, str]:
        """Create an async job (running it unless ``run`` is False); return (job id, format)."""
        upload_param, files = self._files(uploads)

        def send(fmt: str) -> httpx.Response:
            form = {**self._form(query, fmt, maxrec=maxrec, name=name, run=run), **upload_param}
            url = f"{self.url}/async"
            with transport_errors(url):
                headers = self.headers
                if files:
                    return self.http.post(url, data=form, files=files, headers=headers, follow_redirects=False)
                return self.http.post(url, data=form, headers=headers, follow_redirects=False)

        response, chosen = self._with_format(send, output_format)
        self.check(response, 303, 302, 201)
        location = response.headers.get("location", "")
        if not location:
            raise ServiceError(f"{self.url}/async created a job without a Location", url=self.url)
        return location.rstrip("/").rsplit("/", 1)[-1], chosen

    def job_phase(self, jobid: str) -> str:
        """The bare UWS phase word of a job."""
        response = self.request("GET", f"{self.job_url(jobid)}/phase")
        if response.status_code == 404:
            raise UnknownJob(f"no job {jobid} at {self.url}")
        self.check(response, 200)
        return response.text.strip().upper()

    def wait(self, jobid: str, *, timeout: float | None = None) -> str:
        """Block until the job reaches a final phase (UWS ``WAIT`` long polls); return that phase."""
        deadline = None if timeout is None else time.monotonic() + timeout
        pause = 0.05
        phase = self.job_phase(jobid)
        while phase not in FINAL_PHASES:
            if deadline is not None and time.monotonic() > deadline:
                break
            started = time.monotonic()
            response = self.request(
                "GET", self.job_url(jobid), params={"WAIT": "30", "PHASE": phase}, timeout=httpx.Timeout(90.0)
            )
            self.check(response, 200)
            phase = _job_phase_from_xml(response.content) or self.job_phase(jobid)
            if phase not in FINAL_PHASES and time.monotonic() - started < pause:
                time.sleep(pause)  # the service does not block on WAIT: poll gently
                pause = min(pause * 2, 1.0)
        return phase

    def job_result(self, jobid: str, *, output_file: str | Path | None = None, job: TAPJob | None = None) -> Table:
        """The result of a completed job (saved to ``output_file`` too when given)."""
        response = self.request("GET", f"{self.job_url(jobid)}/results/result")
        self.check(response, 200)
        if output_file is not None:
            Path(output_file).write_bytes(response.content)
        fmt = job.output_format if job is not None and job.output_format in ("parquet", "csv") else None
        return read_table(response.content, response.headers.get("content-type", ""), fmt=fmt)

    def job_error(self, jobid: str) -> str:
        """The error message of a failed job."""
        response = self.request("GET", f"{self.job_url(jobid)}/error")
        return error_message(response.status_code, response.content)

    def run_job(self, jobid: str) -> None:
        """POST PHASE=RUN."""
        self.check(self.request("POST", f"{self.job_url(jobid)}/phase", data={"PHASE": "RUN"}), 200, 303)

    def abort_job(self, jobid: str) -> None:
        """POST PHASE=ABORT."""
        self.check(self.request("POST", f"{self.job_url(jobid)}/phase", data={"PHASE": "ABORT"}), 200, 303)

    def delete_job(self, jobid: str) -> None:
        """DELETE the job (a missing job is fine)."""
        self.check(self.request("DELETE", self.job_url(jobid)), 200, 204, 303, 404)

    def list_jobs(self, **params: str) -> list[TAPJob]:
        """The caller's async jobs (id and phase; name and creation time when the service says)."""
        response = self.check(self.request("GET", f"{self.url}/async", params=params or None), 200)
        return parse_jobs(self, response.content)

    def load_job(self, jobid: str) -> TAPJob:
        """The job document of one async job."""
        response = self.request("GET", self.job_url(jobid))
        if response.status_code == 404:
            raise UnknownJob(f"no job {jobid} at {self.url}")
        self.check(response, 200)
        jobs = parse_jobs(self, response.content)
        if not jobs:
            raise ServiceError(f"{self.job_url(jobid)} did not answer a UWS job", url=self.job_url(jobid))
        return jobs[0]

    # -- metadata --------------------------------------------------------------------------

    def tables(self, **params: str) -> list[TableMeta]:
        """The published tables (VOSI ``/tables``)."""
        response = self.check(self.request("GET", f"{self.url}/tables", params=params or None), 200)
        return parse_tableset(response.content)

    def close(self) -> None:
        """Close the HTTP connections."""
        self.http.close()

    def __enter__(self) -> TAPClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _job_phase_from_xml(data: bytes) -> str | None:
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return None
    for el in root.iter():
        if _local(el.tag) == "phase":
            return (el.text or "").strip().upper()
    return None


def parse_jobs(tap: TAPClient, data: bytes) -> list[TAPJob]:
    """The jobs of a UWS ``jobs`` list or ``job`` document."""
    root = ET.fromstring(data)
    out: list[TAPJob] = []
    elements = [root] if _local(root.tag) == "job" else [el for el in root if _local(el.tag) in ("jobref", "job")]
    for el in elements:
        jobid = el.get("id") or _child_text(el, "jobid") or ""
        params: dict[str, str] = {}
        for child in el.iter():
            if _local(child.tag) == "parameter" and child.get("id"):
                params[child.get("id", "")] = (child.text or "").strip()
        job = TAPJob(
            tap,
            query=params.get("query") or params.get("QUERY"),
            jobid=jobid,
            async_=True,
            name=_child_text(el, "runid") or _child_text(el, "name"),
            output_format=params.get("format") or params.get("FORMAT") or "votable",
            phase=(_child_text(el, "phase") or "UNKNOWN").upper(),
        )
        job.parameters.update(params)
        job.owner = _child_text(el, "ownerid")
        job.creation_time = _child_text(el, "creationtime")
        out.append(job)
    return out
