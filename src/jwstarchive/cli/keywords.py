"""The `jwstarchive keywords` sub-command: SI keyword search → files → observations → products.

Prints the matching files, the unique observations and (with ``--products``, ``--download`` or
``--curl-script``) their filtered products; downloads them with the download engine or writes a
bash curl script. Unknown keywords exit 2 with the nearest valid names.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

INSTRUMENTS = ("nircam", "niriss", "nirspec", "miri", "fgs")
FILE_COLUMNS = ("filename", "program", "productLevel")
OBSERVATION_COLUMNS = ("obs_id", "obsid", "instrument_name", "filters", "proposal_id", "target_name", "t_exptime",
                       "dataRights")
PRODUCT_COLUMNS = ("productFilename", "productType", "productSubGroupDescription", "calib_level", "size", "obs_id")

EPILOG = """\
criteria: KEYWORD=VALUE[,VALUE...] (values are OR'ed) or KEYWORD=MIN..MAX (inclusive range);
ISO dates (2022-06-01) are turned into MJD for *_mjd keywords. Any SI keyword column of the
instrument tables works (exp_type, category, tsovisit, date_obs_mjd, filter, grating, ...).

example (MAST's exoplanet tutorial):
  jwstarchive keywords --instrument niriss -k category=COM,ERS -k exp_type=NIS_SOSS \\
      -k tsovisit=T -k date_obs_mjd=2022-06-01..2022-08-04 \\
      --product-type SCIENCE --product-type INFO --calib-level 2 --calib-level 3 \\
      --curl-script exoplanets.sh
"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's sub-commands to ``sub``."""
    p = sub.add_parser(
        "keywords",
        help="search JWST files by FITS (SI) keyword values, list their observations and products",
        description="Search the MAST JWST SI keyword tables, then list the observations and products.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("-k", "--criteria", action="append", default=[], metavar="KEY=VALUE",
                   help="one keyword criterion (repeat for AND)")
    p.add_argument("--file", type=Path, help="YAML/JSON file of criteria (keyword: value, list, or {min, max})")
    p.add_argument("--instrument", action="append", choices=INSTRUMENTS, type=str.lower,
                   help="instrument table(s) to search (repeatable; default: all five)")
    p.add_argument("--columns", action="append", default=[], metavar="NAME",
                   help="extra file columns to print (the criteria keywords are always printed)")
    p.add_argument("--products", action="store_true", help="also list the observations' products")
    p.add_argument("--product-type", action="append", metavar="TYPE",
                   help="keep products of this productType (SCIENCE, INFO, AUXILIARY, PREVIEW, ...; repeatable)")
    p.add_argument("--calib-level", action="append", type=int, metavar="N",
                   help="keep products of this calibration level (1, 2, 3; repeatable)")
    p.add_argument("--extension", action="append", metavar="EXT",
                   help="keep products whose name ends with EXT (fits, _x1dints.fits, ...; repeatable)")
    p.add_argument("--download", type=Path, metavar="DIR", help="download the products into DIR/<obs_id>/")
    p.add_argument("--curl-script", type=Path, metavar="FILE", help="write a bash curl script for the products")
    p.add_argument("--script-dir", default="jwst_products", metavar="DIR",
                   help="where the curl script puts files (relative to where it runs; default jwst_products)")
    p.add_argument("--max-rows", type=int, default=-1, metavar="N", help="print at most N rows per table")
    p.add_argument("--mast-url", help="MAST base URL (default $JWSTARCHIVE_MAST_URL or https://mast.stsci.edu)")
    p.add_argument("--token", help="MAST token for exclusive-access data (default $MAST_API_TOKEN)")
    p.set_defaults(handler=run)


def _show(title: str, table: Any, columns: list[str], max_rows: int) -> None:
    print(f"{title} ({len(table)}):")
    if len(table):
        names = [c for c in dict.fromkeys(columns) if c in table.colnames]
        lines = table[names].pformat(max_lines=-1 if max_rows < 0 else max_rows + 2, max_width=-1)
        print("\n".join(lines))
    print()


def run(args: argparse.Namespace) -> int:
    """Run the keyword search; returns the exit code (1 when any download failed)."""
    from jwstarchive.errors import InputError
    from jwstarchive.workflows import keywords as kw

    criteria: dict[str, list[Any]] = {}
    instruments = list(args.instrument or [])
    if args.file is not None:
        from_file, file_instruments = kw.load_criteria(args.file)
        criteria.update(from_file)
        instruments = instruments or [i.lower() for i in file_instruments]
    for key, values in kw.parse_criteria(args.criteria).items():
        criteria.setdefault(key, []).extend(values)
    if not criteria:
        raise InputError("give criteria with -k KEY=VALUE or --file FILE (see jwstarchive keywords --help)")
    token = args.token or os.environ.get("MAST_API_TOKEN") or None
    instrument: Any = instruments[0] if len(instruments) == 1 else (instruments or None)

    files = kw.find_files(criteria, instrument, mast_url=args.mast_url, token=token)
    _show("Matching files", files, [*FILE_COLUMNS, *criteria, *args.columns], args.max_rows)
    if len(files) == 0:
        return 0
    observations = kw.find_observations(files, mast_url=args.mast_url, token=token)
    _show("Unique observations", observations, list(OBSERVATION_COLUMNS), args.max_rows)
    if not (args.products or args.download or args.curl_script) or len(observations) == 0:
        return 0
    products = kw.find_products(
        observations,
        product_type=args.product_type,
        calib_level=args.calib_level,
        extension=args.extension,
        mast_url=args.mast_url,
        token=token,
    )
    _show("Products", products, list(PRODUCT_COLUMNS), args.max_rows)
    headers = {"Authorization": f"token {token}"} if token else None
    status = 0
    if args.curl_script is not None and len(products):
        from jwstarchive.download import write_curl_script

        requests = kw.file_requests(products, Path(args.script_dir), mast_url=args.mast_url)
        path = write_curl_script(requests, args.curl_script, headers=headers)
        print(f"curl script for {len(requests)} file(s): {path}")
    if args.download is not None and len(products):
        from jwstarchive.download import download_files

        requests = kw.file_requests(products, args.download, mast_url=args.mast_url)
        results = download_files(requests, headers=headers)
        failed = [r for r in results if not r.ok]
        for result in failed:
            print(f"ERROR {result.request.path.name}: {result.message}", file=sys.stderr)
        done = sum(1 for r in results if r.status == "COMPLETE")
        skipped = sum(1 for r in results if r.status == "SKIPPED")
        print(f"downloaded {done}, already there {skipped}, failed {len(failed)} file(s) into {args.download}")
        status = 1 if failed else 0
    return status
