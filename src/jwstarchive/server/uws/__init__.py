"""UWS 1.1 asynchronous jobs at ``/server/tap/async``.

``models`` (job records), ``store`` (persistence on the state database), ``service`` (the
phase machine, blocking waits, destruction), ``runner`` (a thread pool running TAP queries),
``documents`` (the UWS XML) and ``routes`` (HTTP).
"""
