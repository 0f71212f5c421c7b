"""The archive server (`jwstarchive serve`): IVOA TAP 1.1, UWS 1.1 and VOSI over an archive.

``create_app(settings)`` in :mod:`jwstarchive.server.app` builds the ASGI application;
:func:`jwstarchive.server.serve.run` binds it to a port. Nothing is imported or started here.
"""
