"""HTML reports of product selections: sortable, filterable tables with thumbnails and a sky plot.

``write_report`` writes one self-contained page (inline CSS and JavaScript, no network access
needed to view it); ``write_program_reports`` writes one page per program the way
jwst_mast_query lays them out (``<outrootdir>/<PPPPP>/index.html``).
"""

from __future__ import annotations

from jwstarchive.report.page import write_program_reports, write_report

__all__ = ["write_program_reports", "write_report"]
