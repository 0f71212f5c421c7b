"""Science workflows built on the clients: keyword search, duplication checks, selections, reports.

Import the module you need (``jwstarchive.workflows.duplicates``, ``jwstarchive.workflows.keywords``);
this package imports nothing at load time, so ``import jwstarchive.workflows`` stays cheap.
"""

from __future__ import annotations

__all__ = ["duplicates", "footprints", "keywords"]
