"""``Observations`` and ``Mast``: the astroquery.mast surface for JWST, over MAST's ``/api/v0/invoke``.

Method names, parameters and defaults follow astroquery.mast 0.4.11, so a notebook ports by
changing one import. Differences, all on purpose: ``get_product_list`` takes any number of
observations (batched, concurrent) and drops duplicate files unless ``unique=False``; unknown
criteria raise ``InputError`` naming the closest valid column; a download of a file already complete
on disk is reported ``COMPLETE`` with a message saying it was skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import numpy as np
from astropy.table import Row, Table

from jwstarchive.clients import keywords as si
from jwstarchive.clients import mast_download
from jwstarchive.clients.mast_filters import criteria_filters, filter_products, resolve_name, suggest
from jwstarchive.clients.mast_portal import PortalConnection
from jwstarchive.clients.mast_tables import merged_table, stack_tables
from jwstarchive.errors import AuthenticationError, InputError, NameResolutionError

if TYPE_CHECKING:
    import httpx
    from astropy.coordinates import SkyCoord
    from astropy.units import Quantity

__all__ = ["Mast", "MastClass", "Observations", "ObservationsClass"]

log = logging.getLogger(__name__)

CAOM_CONFIG = "Mast.Caom.Cone"
DEFAULT_RADIUS_DEG = 0.2
PRODUCT_BATCH = 100


def _degrees(radius: Quantity | float | str) -> float:
    """A radius in degrees from a Quantity, a string such as ``'3 arcmin'`` or a number of degrees."""
    import astropy.units as u

    try:
        if isinstance(radius, str):
            radius = u.Quantity(radius)
        degrees = float(radius.to_value(u.deg)) if isinstance(radius, u.Quantity) else float(radius)
    except (TypeError, ValueError, u.UnitsError) as exc:
        raise InputError(f"Cannot read the radius {radius!r}: give degrees, a Quantity or e.g. '3 arcmin'") from exc
    if not degrees >= 0:
        raise InputError(f"The radius must be 0 or more (got {radius!r})")
    return degrees


def parse_coordinates(coordinates: SkyCoord | str | Sequence[float]) -> SkyCoord:
    """A SkyCoord (ICRS) from a SkyCoord, ``'ra dec'`` (degrees or sexagesimal) or ``(ra, dec)`` degrees."""
    import astropy.units as u
    from astropy.coordinates import SkyCoord

    if isinstance(coordinates, SkyCoord):
        return coordinates.icrs
    try:
        if isinstance(coordinates, str):
            parts = coordinates.replace(",", " ").split()
            if len(parts) == 2 and all(_is_float(p) for p in parts):
                return SkyCoord(float(parts[0]), float(parts[1]), unit="deg", frame="icrs")
            return SkyCoord(coordinates, unit=(u.hourangle, u.deg), frame="icrs")
        ra, dec = coordinates
        return SkyCoord(float(ra), float(dec), unit="deg", frame="icrs")
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"Cannot read coordinates {coordinates!r}: give a SkyCoord, 'ra dec' in degrees or sexagesimal, "
            "or (ra, dec) in degrees"
        ) from exc


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _obsids(observations: Any) -> list[str]:
    """obsid strings from a Table/Row of observations, a list, a comma string or a number."""
    if isinstance(observations, (Table, Row)):
        if "obsid" not in observations.colnames:
            raise InputError("The observations table has no 'obsid' column: pass rows of query_criteria()")
        column = observations["obsid"]
        values = [column] if isinstance(observations, Row) else list(column)
    elif isinstance(observations, str):
        values = observations.split(",")
    elif isinstance(observations, Iterable):
        values = list(observations)
    else:
        values = [observations]
    ids = [str(v).strip() for v in values if v is not np.ma.masked and str(v).strip()]
    if not ids:
        raise InputError("Observation list is empty, no associated products.")
    bad = [i for i in ids if not i.isdigit()]
    if bad:
        raise InputError(f"'{bad[0]}' is not an obsid: get_product_list takes the numeric 'obsid' column, not 'obs_id'")
    return list(dict.fromkeys(ids))


def _count(table: Table) -> int:
    if not len(table) or not table.colnames:
        return 0
    return int(table[table.colnames[0]][0])


class _MastBase:
    """Connection, login and session shared by ``Observations`` and ``Mast``."""

    def __init__(self, mast_url: str | None = None, token: str | None = None, *, concurrency: int = 8) -> None:
        self._portal = PortalConnection(mast_url, token, concurrency=concurrency)

    @property
    def mast_url(self) -> str:
        """The MAST base URL in force."""
        return self._portal.base_url

    def close(self) -> None:
        """Close the HTTP connections (a later call opens new ones)."""
        self._portal.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def login(self, token: str | None = None) -> None:
        """Use a MAST API ``token`` (default ``$MAST_API_TOKEN``) and check it with ``/whoami``.

        Raises ``AuthenticationError`` when no token is given or MAST does not accept it.
        """
        token = token or self._portal.token
        if not token:
            raise AuthenticationError("No MAST token: pass login(token=...) or set MAST_API_TOKEN")
        self._portal.set_token(token)
        info = self._portal.whoami()
        if info.get("anon", True):
            self._portal.set_token(None)
            raise AuthenticationError("MAST API token invalid: create a new one and log in again")
        name = (info.get("attrib") or {}).get("display_name") or info.get("ezid")
        log.info("MAST API token accepted, welcome %s", name)

    def logout(self) -> None:
        """Forget the token (``$MAST_API_TOKEN`` included) for this object."""
        self._portal.set_token(None)

    def session_info(self, verbose: bool = True) -> dict[str, Any]:
        """``/whoami`` for the token in force (``anon`` true without one); logged when ``verbose``."""
        info = self._portal.whoami()
        if verbose:
            for key, value in info.items():
                if key == "token":
                    continue
                if isinstance(value, dict):
                    for sub, subvalue in value.items():
                        log.info("%s.%s: %s", key, sub, subvalue)
                else:
                    log.info("%s: %s", key, value)
        return info


class MastClass(_MastBase):
    """Direct calls of MAST portal services (Caom and ``Mast.Jwst.Filtered.*`` SI keyword services)."""

    def service_request_async(
        self,
        service: str,
        params: dict[str, Any],
        *,
        pagesize: int | None = None,
        page: int | None = None,
        **kwargs: Any,
    ) -> list[httpx.Response]:
        """Every page's response of ``service`` (``response[0].json()['data']`` as in astroquery)."""
        return self._portal.invoke(service, params, pagesize=pagesize, page=page, **kwargs)

    def service_request(
        self,
        service: str,
        params: dict[str, Any],
        *,
        pagesize: int | None = None,
        page: int | None = None,
        **kwargs: Any,
    ) -> Table:
        """``service``'s result as a Table (all pages unless ``page`` is given)."""
        return merged_table(self._portal.bodies(service, params, pagesize=pagesize, page=page, **kwargs))

    def service_bodies(
        self,
        service: str,
        params: dict[str, Any],
        *,
        pagesize: int | None = None,
        page: int | None = None,
        **kwargs: Any,
    ) -> list[dict[str, Any]]:
        """``service``'s pages as decoded JSON (``fields`` and ``data``), for callers that merge many answers."""
        return self._portal.bodies(service, params, pagesize=pagesize, page=page, **kwargs)

    def mast_query(self, service: str, columns: Sequence[str] | str | None = None, **criteria: Any) -> Table:
        """``service`` with ``criteria`` as keyword filters (lists OR, ranges as in `keyword_filters`)."""
        pagesize = criteria.pop("pagesize", None)
        page = criteria.pop("page", None)
        config = self._portal.columns_config(service)
        valid = config or None
        params = {"columns": self._columns(columns, valid), "filters": si.keyword_filters(criteria, valid)}
        return self.service_request(service, params, pagesize=pagesize, page=page)

    @staticmethod
    def _columns(columns: Sequence[str] | str | None, valid: Any) -> str:
        if columns is None or columns == "*":
            return "*"
        names = columns.split(",") if isinstance(columns, str) else list(columns)
        names = [n.strip() for n in names if n.strip()]
        if valid:
            names = [resolve_name(n, valid, "column") for n in names]
        return ",".join(names)

    def keyword_columns(self, instrument: str) -> list[str]:
        """Valid SI keyword names of ``instrument`` (from the service's columnsconfig)."""
        return list(self._portal.columns_config(si.si_service(instrument)))

    def keyword_search(
        self,
        criteria: dict[str, Any],
        instrument: str | Sequence[str] | None = None,
        columns: Sequence[str] | str | None = None,
        *,
        pagesize: int | None = None,
    ) -> Table:
        """Files whose FITS keywords match ``criteria`` (see `jwstarchive.mast.keyword_search`)."""
        services = si.instrument_services(instrument)
        configs = dict(zip(services, self._portal.map(self._portal.columns_config, services), strict=True))
        usable: list[tuple[str, dict[str, Any]]] = []
        errors: list[InputError] = []
        for service in services:
            valid = configs[service]
            try:
                params = {
                    "columns": self._columns(columns, valid),
                    "filters": si.keyword_filters(criteria, valid or None),
                }
            except InputError as exc:
                errors.append(exc)
                continue
            usable.append((service, params))
        if not usable:
            if instrument is not None or len({e.message for e in errors}) == 1:
                raise errors[0]
            every = sorted({k for config in configs.values() for k in config})
            unknown = [k for k in criteria if not any(k.lower() == v.lower() for v in every)]
            if unknown:
                raise InputError(f"Unknown SI keyword '{unknown[0]}'.{suggest(unknown[0], every)}")
            raise InputError("No instrument has all of these keywords: search one instrument at a time")
        for service, _ in usable:
            log.debug("SI keyword search on %s", service)
        tables = self._portal.map(lambda item: self.service_request(item[0], item[1], pagesize=pagesize), usable)
        return stack_tables(tables)


class ObservationsClass(_MastBase):
    """CAOM observations and products at MAST (astroquery.mast.Observations for JWST).

    Parameters
    ----------
    mast_url
        Base URL (default ``$JWSTARCHIVE_MAST_URL`` or ``https://mast.stsci.edu``).
    token
        MAST API token (default ``$MAST_API_TOKEN``); needed only for exclusive-access files.
    concurrency
        Requests in flight at once for batched product listings and downloads.
    """

    def list_missions(self) -> list[str]:
        """The data collections (missions) the archive holds, from ``Mast.Caom.All``'s histograms."""
        (body,) = self._portal.bodies("Mast.Caom.All", {}, format="extjs", page=1)
        for column in body["data"]["Tables"][0]["Columns"]:
            if column.get("text") == "obs_collection":
                return sorted(k for k in column["ExtendedProperties"]["histObj"] if k != "hist")
        return []

    def get_metadata(self, query_type: str) -> Table:
        """The columns of ``'observations'`` or ``'products'``: name, label, type, unit, description, examples."""
        services = {"observations": CAOM_CONFIG, "products": "Mast.Caom.Products"}
        service = services.get(str(query_type).lower())
        if service is None:
            raise InputError(f"Unknown query_type '{query_type}': use 'observations' or 'products'")
        config = {k: v for k, v in self._portal.columns_config(service).items() if not v.get("remove")}
        rows = [
            (
                name,
                str(props.get("text") or name),
                str(props.get("vot.datatype") or props.get("type") or ""),
                str(props.get("unit") or props.get("vot.unit") or ""),
                str(props.get("vot.description") or ""),
                str(props.get("example") or ""),
            )
            for name, props in config.items()
        ]
        names = ["Column Name", "Column Label", "Data Type", "Units", "Description", "Examples/Valid Values"]
        return Table(rows=rows, names=names, dtype=[str] * len(names)) if rows else Table(names=names)

    # -- observation queries ---------------------------------------------------------------------

    def _observations(self, service: str, params: dict[str, Any], pagesize: int | None, page: int | None) -> Table:
        table = merged_table(self._portal.bodies(service, params, pagesize=pagesize, page=page))
        if not len(table):
            log.info("Query returned no results.")
        return table

    def resolve_object(self, objectname: str) -> SkyCoord:
        """Sky position of ``objectname`` from MAST's ``Mast.Name.Lookup``."""
        from astropy.coordinates import SkyCoord

        if not str(objectname).strip():
            raise InputError("Give a target name to resolve")
        bodies = self._portal.bodies("Mast.Name.Lookup", {"input": objectname, "format": "json"})
        found = bodies[0].get("resolvedCoordinate") or []
        if not found:
            raise NameResolutionError(f'Could not resolve "{objectname}" to a sky position.')
        return SkyCoord(float(found[0]["ra"]), float(found[0]["decl"]), unit="deg", frame="icrs")

    def _position(self, coordinates: Any, objectname: str | None) -> SkyCoord | None:
        if coordinates is not None and objectname is not None:
            raise InputError("Only one of objectname and coordinates may be specified.")
        if objectname is not None:
            return self.resolve_object(objectname)
        if coordinates is not None:
            return parse_coordinates(coordinates)
        return None

    def _criteria_params(
        self, columns: str, coordinates: Any, objectname: str | None, radius: Any, criteria: dict[str, Any]
    ) -> tuple[str, dict[str, Any]]:
        objectname = criteria.pop("object_name", objectname)
        position = self._position(coordinates, objectname)
        filters = criteria_filters(criteria, self._portal.columns_config(CAOM_CONFIG))
        params: dict[str, Any] = {"columns": columns, "filters": filters}
        if position is None:
            return "Mast.Caom.Filtered", params
        params["position"] = f"{position.ra.deg}, {position.dec.deg}, {_degrees(radius)}"
        return "Mast.Caom.Filtered.Position", params

    def query_criteria(
        self,
        *,
        coordinates: Any = None,
        objectname: str | None = None,
        radius: Quantity | float | str = DEFAULT_RADIUS_DEG,
        pagesize: int | None = None,
        page: int | None = None,
        **criteria: Any,
    ) -> Table:
        """Observations matching every criterion (CAOM columns: ``proposal_id``, ``instrument_name``, ...).

        Lists OR their values, ``*`` is a wildcard, continuous columns take ``[min, max]``; with
        ``coordinates`` or ``objectname`` the search is limited to ``radius`` (degrees, default 0.2).
        """
        if not criteria:
            raise InputError("At least one non-positional criterion must be supplied.")
        service, params = self._criteria_params("*", coordinates, objectname, radius, dict(criteria))
        return self._observations(service, params, pagesize, page)

    def query_criteria_count(
        self,
        *,
        coordinates: Any = None,
        objectname: str | None = None,
        radius: Quantity | float | str = DEFAULT_RADIUS_DEG,
        **criteria: Any,
    ) -> int:
        """How many observations `query_criteria` would return."""
        criteria.pop("pagesize", None)
        criteria.pop("page", None)
        service, params = self._criteria_params("COUNT_BIG(*)", coordinates, objectname, radius, dict(criteria))
        return _count(self._observations(service, params, None, None))

    def query_region(
        self,
        coordinates: Any,
        *,
        radius: Quantity | float | str = DEFAULT_RADIUS_DEG,
        pagesize: int | None = None,
        page: int | None = None,
    ) -> Table:
        """Observations within ``radius`` (degrees, default 0.2) of ``coordinates``, with ``distance`` (arcsec)."""
        position = parse_coordinates(coordinates)
        params = {"ra": position.ra.deg, "dec": position.dec.deg, "radius": _degrees(radius)}
        return self._observations("Mast.Caom.Cone", params, pagesize, page)

    def query_region_count(self, coordinates: Any, *, radius: Quantity | float | str = DEFAULT_RADIUS_DEG) -> int:
        """How many observations `query_region` would return."""
        position = parse_coordinates(coordinates)
        params = {
            "columns": "COUNT_BIG(*)",
            "filters": [],
            "position": f"{position.ra.deg}, {position.dec.deg}, {_degrees(radius)}",
        }
        return _count(self._observations("Mast.Caom.Filtered.Position", params, None, None))

    def query_object(
        self,
        objectname: str,
        *,
        radius: Quantity | float | str = DEFAULT_RADIUS_DEG,
        pagesize: int | None = None,
        page: int | None = None,
    ) -> Table:
        """Observations around a target name (resolved by MAST's ``Mast.Name.Lookup``)."""
        return self.query_region(self.resolve_object(objectname), radius=radius, pagesize=pagesize, page=page)

    def query_object_count(self, objectname: str, *, radius: Quantity | float | str = DEFAULT_RADIUS_DEG) -> int:
        """How many observations `query_object` would return."""
        return self.query_region_count(self.resolve_object(objectname), radius=radius)

    # -- products --------------------------------------------------------------------------------

    def get_product_list(self, observations: Any, *, batch_size: int = PRODUCT_BATCH, unique: bool = True) -> Table:
        """Products of any number of observations (Table/Row of observations, obsids, or a comma string).

        The obsids are sent ``batch_size`` at a time, several batches at once. With ``unique`` (the
        default) each ``productFilename`` appears once; ``unique=False`` keeps one row per parent.
        """
        ids = _obsids(observations)
        if batch_size < 1:
            raise InputError(f"batch_size must be at least 1 (got {batch_size})")
        batches = [ids[i : i + batch_size] for i in range(0, len(ids), batch_size)]

        def one(batch: list[str]) -> list[dict[str, Any]]:
            return self._portal.bodies("Mast.Caom.Products", {"obsid": ",".join(batch)})

        bodies = [body for found in self._portal.map(one, batches) for body in found]
        total = sum(len(body.get("data") or []) for body in bodies)
        products = merged_table(bodies, unique="productFilename" if unique else None)
        log.info(
            "%d products (%d unique) for %d observations in %d batches", total, len(products), len(ids), len(batches)
        )
        return products

    def get_unique_product_list(self, observations: Any, *, batch_size: int = PRODUCT_BATCH) -> Table:
        """`get_product_list` with each ``dataURI`` once (astroquery's name)."""
        products = self.get_product_list(observations, batch_size=batch_size, unique=False)
        return _unique(products, "dataURI") if len(products) else products

    def filter_products(
        self,
        products: Table,
        *,
        mrp_only: bool = False,
        extension: str | Sequence[str] | None = None,
        **filters: Any,
    ) -> Table:
        """Rows of ``products`` passing every filter (astroquery 0.4.11 rules).

        ``productType=['SCIENCE', 'INFO']`` ORs, ``'!AUXILIARY'`` excludes, numeric columns take
        ``2``, ``'2..3'``, ``'>=2'``; ``extension`` keeps filenames ending in the given suffixes;
        ``mrp_only`` keeps Minimum Recommended Products.
        """
        return filter_products(products, mrp_only=mrp_only, extension=extension, **filters)

    # -- downloads -------------------------------------------------------------------------------

    def download_products(
        self,
        products: Any,
        *,
        download_dir: str | Path | None = None,
        flat: bool = False,
        cache: bool = True,
        curl_flag: bool = False,
        mrp_only: bool = False,
        concurrency: int = 8,
        verbose: bool = True,
        **filters: Any,
    ) -> Table:
        """Download ``products`` (rows of `get_product_list`, or obsids) after filtering; return the manifest.

        Files land in ``<download_dir>/mastDownload/JWST/<obs_id>/`` (``flat``: in ``download_dir``).
        Complete files are not fetched again (``cache=False`` re-downloads). ``curl_flag=True`` writes
        ``mastDownload_<stamp>.sh`` instead. The manifest has Local Path, Status, Message, URL.
        ``verbose=False`` turns the progress display off; ``concurrency`` files are fetched at once.
        """
        if isinstance(products, Row):
            products = Table(products)
        elif not isinstance(products, Table):
            products = self.get_product_list(products)
        products = self.filter_products(products, mrp_only=mrp_only, **filters)
        directory = Path(download_dir) if download_dir is not None else Path(".")
        requests = mast_download.file_requests(products, directory, flat=flat, url_of=self._portal.download_url)
        if not requests:
            log.warning("No products to download.")
            return Table(names=["Local Path", "Status", "Message", "URL"], dtype=[str, str, str, str])
        headers = self._portal.auth_headers()
        if curl_flag:
            return mast_download.curl_script(requests, directory, headers=headers)
        return mast_download.download_table(
            requests, headers=headers, concurrency=concurrency, cache=cache, verbose=verbose
        )

    def download_file(
        self, uri: str, *, local_path: str | Path | None = None, cache: bool = True, verbose: bool = True
    ) -> tuple[str, str | None, str | None]:
        """Download one data URI; returns (status, message, url) as astroquery does."""
        if not uri or not str(uri).startswith("mast:"):
            raise InputError(f"'{uri}' is not a MAST data URI (mast:JWST/product/<filename>)")
        name = str(uri).rsplit("/", 1)[-1]
        path = Path(local_path) if local_path else Path(name)
        if not path.suffix:
            path = path / name
        from jwstarchive.download import FileRequest

        request = FileRequest(url=self._portal.download_url(uri), path=path)
        manifest = mast_download.download_table(
            [request], headers=self._portal.auth_headers(), concurrency=1, cache=cache, verbose=verbose
        )
        row = manifest[0]
        message = None if row["Message"] is np.ma.masked else str(row["Message"])
        url = None if row["URL"] is np.ma.masked else str(row["URL"])
        return str(row["Status"]), message, url


def _unique(table: Table, key: str) -> Table:
    values = np.asarray(table[key].filled("") if hasattr(table[key], "filled") else table[key])
    _, first = np.unique(values, return_index=True)
    dropped = len(table) - len(first)
    if dropped:
        log.info("%d of %d products were duplicates; %d unique", dropped, len(table), len(first))
    return table[np.sort(first)]


Observations = ObservationsClass()
"""The default ``Observations`` (``$JWSTARCHIVE_MAST_URL``, ``$MAST_API_TOKEN`` read at each call)."""

Mast = MastClass()
"""The default ``Mast``."""
