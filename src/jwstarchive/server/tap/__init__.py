"""TAP 1.1 at ``/server/tap``: synchronous queries and table uploads (routes and service)."""
