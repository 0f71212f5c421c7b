"""The ESA JWST Science Archive client (astroquery.esa.jwst's surface): ``Jwst`` and ``JwstClass``.

``Jwst`` talks to ``JWSTARCHIVE_ESA_URL`` (default ``https://jwst.esac.esa.int``); build a
``JwstClass(esa_url=...)`` (or ``tap_url=``, ``data_url=``, ``resolver_url=``) for another archive,
e.g. a local ``jwstarchive serve``.
"""

from __future__ import annotations

from jwstarchive.clients.esa import DEFAULT_ESA_URL, Jwst, JwstClass
from jwstarchive.clients.resolver import resolve
from jwstarchive.clients.tap import ColumnMeta, TableMeta, TAPJob

__all__ = ["DEFAULT_ESA_URL", "ColumnMeta", "Jwst", "JwstClass", "TAPJob", "TableMeta", "resolve"]
