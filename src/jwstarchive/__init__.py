"""jwstarchive: JWST archive clients, download tools and a local archive server."""

__version__ = "0.1.0"
