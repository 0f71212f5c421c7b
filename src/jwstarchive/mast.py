"""MAST for JWST: ``Observations``, ``Mast`` and the SI keyword search (astroquery.mast's names).

>>> from jwstarchive.mast import Observations
>>> obs = Observations.query_criteria(obs_collection="JWST", proposal_id="1410")  # doctest: +SKIP
>>> products = Observations.get_product_list(obs)  # doctest: +SKIP

The base URL is ``$JWSTARCHIVE_MAST_URL`` (default ``https://mast.stsci.edu``), or ``mast_url=`` of
``ObservationsClass`` / ``MastClass``; the token is ``$MAST_API_TOKEN`` or ``login(token)``.
"""

from __future__ import annotations

from jwstarchive.clients.keywords import keyword_filters, keyword_search
from jwstarchive.clients.mast import Mast, MastClass, Observations, ObservationsClass

__all__ = ["Mast", "MastClass", "Observations", "ObservationsClass", "keyword_filters", "keyword_search"]
