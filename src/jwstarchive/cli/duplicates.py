"""The `jwstarchive duplicates` sub-command: planned observations against archived ones.

Exit status: 0 no candidate duplicates, 1 at least one candidate, 2 an error (bad targets file,
unreachable archive, ...). Candidates must be confirmed in APT.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EPILOG = """\
TARGETS columns (CSV, ECSV, YAML or JSON): id, ra, dec (degrees), instrument, mode (NIRSpec
aperture MSA, IFU, S200A1, S200A2, S400A1, S1600A1, S200B1, BOTS; or IMAGE, WFSS, GRISM, SOSS,
AMI, LRS, IFU, CORON ...), grating, filter (several separated by ';'), exposure_time (s).

exit status: 0 no candidates, 1 candidates found, 2 error.
"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's sub-commands to ``sub``."""
    p = sub.add_parser(
        "duplicates",
        help="check planned observations for potential duplicates in the archive",
        description="Search the archive around each planned observation and report potential duplications "
        "(same mode, position/field, grating and filter, exposure time within a factor of 4).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("targets", type=Path, metavar="TARGETS", help="CSV/ECSV/YAML/JSON file of planned observations")
    p.add_argument("--ecsv", type=Path, metavar="OUT", help="write the report table (every nearby observation)")
    p.add_argument("--html", type=Path, metavar="OUT", help="write the report as an HTML page")
    p.add_argument("--candidates-only", action="store_true",
                   help="print only the candidates, not the nearby observations that fail a rule")
    p.add_argument("--mast-url", help="MAST base URL (default $JWSTARCHIVE_MAST_URL or https://mast.stsci.edu)")
    p.add_argument("--token", help="MAST token, to include your exclusive-access data (default $MAST_API_TOKEN)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the check; 0 no candidates, 1 candidates found, 2 error."""
    from jwstarchive.errors import JWSTArchiveError
    from jwstarchive.workflows.duplicates import check_duplicates

    token = args.token or os.environ.get("MAST_API_TOKEN") or None
    try:
        report = check_duplicates(args.targets, mast_url=args.mast_url, token=token)
        print(report.render_text(include_nearby=not args.candidates_only), end="")
        if args.ecsv is not None:
            print(f"ECSV report: {report.write_ecsv(args.ecsv)}")
        if args.html is not None:
            print(f"HTML report: {report.write_html(args.html)}")
    except JWSTArchiveError as exc:
        print(f"jwstarchive duplicates: error: {exc.message}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"jwstarchive duplicates: error: {exc}", file=sys.stderr)
        return 2
    return 1 if report.has_candidates else 0
