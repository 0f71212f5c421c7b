"""Run jwst_mast_query 0.0.6's ``jwst_download.py`` (or ``jwst_query``) against ``$JWSTARCHIVE_MAST_URL``.

jwst_mast_query writes ``https://mast.stsci.edu`` into astroquery's connection objects; this
rewrites that one address after import (paths stay as they are) and then runs its ``main()``.
Usage: ``python jmq_local.py ARGS...`` (the interpreter of a venv with jwst_mast_query 0.0.6 and
astroquery 0.4.9.post1).
"""

import os
import sys

REAL = "https://mast.stsci.edu"
LOCAL = os.environ["JWSTARCHIVE_MAST_URL"].rstrip("/")


def repoint(obj):
    for name in dir(obj):
        if name.endswith("_URL"):
            value = getattr(obj, name, None)
            if isinstance(value, str) and value.startswith(REAL):
                setattr(obj, name, LOCAL + value[len(REAL):])


import astroquery.mast as mast  # noqa: E402
from astroquery.mast import auth, discovery_portal  # noqa: E402

repoint(discovery_portal.PortalAPI)
repoint(mast.Observations._portal_api_connection)
_auth_init = auth.MastAuth.__init__


def _auth(self, *args, **kwargs):
    _auth_init(self, *args, **kwargs)
    repoint(self)


auth.MastAuth.__init__ = _auth
repoint(mast.Observations._auth_obj)

from jwst_mast_query import jwst_query  # noqa: E402

_init = jwst_query.query_mast.__init__


def _query_init(self):
    _init(self)
    repoint(self.JwstObs._portal_api_connection)
    repoint(self.JwstObs._auth_obj)


jwst_query.query_mast.__init__ = _query_init

from jwst_mast_query.scripts.jwst_download import main  # noqa: E402

sys.argv = ["jwst_download.py", *sys.argv[1:]]
main()
