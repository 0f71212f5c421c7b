"""``jwst_query`` and ``jwst_download`` (also ``jwstarchive query|download``): jwst_mast_query's tools.

The flow: resolve options (defaults < config < command line); select (workflows/select.py);
print the product, obs and summary tables; save them with ``--savetables``; then, for
``jwst_download``, fetch what is missing through the download engine and make the web pages.
Exit status: 0 when every file is complete (or nothing was selected), 1 when any file failed,
2 for a bad option or config.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from jwstarchive.config import ToolOptions, add_tool_options, resolve_options
from jwstarchive.errors import ConfigError, InputError, JWSTArchiveError
from jwstarchive.workflows.select import Selection, render_table, save_tables, select

__all__ = ["build_parser", "jwst_download_main", "jwst_query_main", "run_tool", "tool_parser"]

log = logging.getLogger("jwstarchive.tools")

DESCRIPTIONS = {
    False: "Query MAST for JWST observations and products (jwst_mast_query's jwst_query.py options).",
    True: "Query MAST for JWST products and download them (jwst_mast_query's jwst_download.py options).",
}


def build_parser(parser: argparse.ArgumentParser, *, download: bool) -> argparse.ArgumentParser:
    """Add the tool options to an existing parser (a sub-command's or a script's)."""
    add_tool_options(parser, download=download)
    return parser


def tool_parser(prog: str, *, download: bool) -> argparse.ArgumentParser:
    """The parser of the ``jwst_query`` / ``jwst_download`` scripts."""
    parser = argparse.ArgumentParser(prog=prog, description=DESCRIPTIONS[download])
    return build_parser(parser, download=download)


def _setup_logging(verbose: int) -> None:
    root = logging.getLogger()
    if root.handlers:
        return
    level = logging.DEBUG if verbose > 1 else logging.INFO
    logging.basicConfig(level=level, format="%(message)s", stream=sys.stderr)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose < 3 else logging.DEBUG)


def run_tool(given: dict[str, Any], *, download: bool, out: TextIO | None = None) -> int:
    """Run a tool on the options given on the command line; return the exit status."""
    options = resolve_options(given)
    _setup_logging(options.verbose)
    return ToolRun(options, download=download, out=out or sys.stdout).run()


def _main(argv: Sequence[str] | None, prog: str, download: bool) -> int:
    parser = tool_parser(prog, download=download)
    args = parser.parse_args(argv)
    given = vars(args)
    try:
        return run_tool(given, download=download)
    except (InputError, ConfigError) as exc:
        print(f"{prog}: error: {exc.message}", file=sys.stderr)
        return 2
    except JWSTArchiveError as exc:
        if given.get("verbose", 0) > 1:
            log.exception("details")
        print(f"{prog}: error: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130


def jwst_query_main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jwst_query`` console script."""
    return _main(argv, "jwst_query", download=False)


def jwst_download_main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jwst_download`` console script."""
    return _main(argv, "jwst_download", download=True)


def handler(download: bool) -> Callable[[argparse.Namespace], int]:
    """The ``jwstarchive query|download`` handler: the top-level ``-v``/``-q`` are not tool options."""

    def run(args: argparse.Namespace) -> int:
        given = {k: v for k, v in vars(args).items() if k not in ("command", "handler", "quiet")}
        if not given.get("verbose"):
            given.pop("verbose", None)
        return run_tool(given, download=download)

    return run


def banner(text: str) -> str:
    """jwst_mast_query's section banner: ``###`` lines around a title."""
    line = "#" * (len(text) + 4)
    return f"\n{line}\n### {text}\n{line}"


class ToolRun:
    """One run of a tool: select, print, save, download, web pages."""

    def __init__(self, options: ToolOptions, *, download: bool, out: TextIO) -> None:
        self.options = options
        self.download = download
        self.out = out
        self.width = shutil.get_terminal_size((80, 24)).columns

    def say(self, text: str = "") -> None:
        """Write a line of results to stdout."""
        print(text, file=self.out, flush=True)

    def run(self) -> int:
        """The whole flow; returns the exit status."""
        o = self.options
        log.info("INSTRUMENT: %s", o.instrument)
        log.info("obsmode: %s", o.obsmode)
        log.info("propID: %s", o.propID)
        log.info("obsnums: %s", o.obsnums)
        if o.verbose > 2:
            for key, value in o.as_dict().items():
                log.info("  %s: %s", key, "***" if key == "token" and value else value)
        if o.verbose:
            log.info("Outdir: %s", o.outdir)
        from jwstarchive.mast import MastClass

        mast = MastClass(o.mast_url, o.token, concurrency=o.jobs)
        try:
            if o.token:
                mast.login(o.token)
            elif self.download:
                log.info("No MAST token given: public data only")
            selection = select(o, mast.service_request, bodies=mast.service_bodies)
        finally:
            mast.close()
        lo, hi = selection.window
        log.info("MJD range: %s %s", "open" if lo is None else f"{lo:.5f}", f"{hi:.5f}")
        if not selection.n_observations_found:
            self.say(banner("NO OBSERVATIONS FOUND"))
            self.say("Nothing selected")
            return 0
        self.show(selection)
        for path in save_tables(selection, o):
            self.say(f"Saved {path}")
        status = 0
        if not len(selection.products):
            self.say("Nothing selected")
            return 0
        if self.download and not o.skipdownload:
            status = self.fetch(selection)
            if status == 130:
                return 0
        if o.makewebpages:
            self.webpages(selection)
        return status

    def show(self, selection: Selection) -> None:
        """Print the product, obs and summary tables."""
        o = self.options
        obs_columns = list(dict.fromkeys([*o.outcolumns_obsTable, *selection.filetypes]))
        self.say(banner("Selected Products:"))
        self.say(render_table(selection.products, o.outcolumns_productTable, self.width))
        self.say(banner("Observations:"))
        self.say(render_table(selection.observations, obs_columns, self.width))
        self.say(banner("Summary propID/obsnum:"))
        self.say(render_table(selection.summary, None, self.width))

    # -- downloads ---------------------------------------------------------------------------
    def fetch(self, selection: Selection) -> int:
        """Download what is missing; update dl_code/dl_str; 1 if any file failed, 130 if declined."""
        from jwstarchive.download import FileRequest, dl_code, download_files, write_curl_script

        o = self.options
        products = selection.products
        codes = list(products["dl_code"])
        todo = list(range(len(products))) if o.clobber else [i for i, c in enumerate(codes) if c != 2]
        existing = sum(1 for c in codes if c == 2)
        if not todo:
            self.say(banner("Nothing to download!!!"))
            self.say(f"### skipping {existing} files since they already exist")
            return 0
        self.say(f"\n### Downloading {len(todo)} files")
        if existing:
            verb = "clobbering" if o.clobber else "skipping"
            self.say(f"### {verb} {existing} files that already exist")
        order = sorted(todo, key=lambda i: (products["proposal_id"][i] or 0, products["obsnum"][i] or 0))
        base = o.mast_url + "/jwst/api/v0.1/download/file?uri="
        requests = [
            FileRequest(base + str(products["dataURI"][i]), Path(products["outfilename"][i]),
                        _size(products["size"][i]))
            for i in order
        ]  # fmt: skip
        headers = {"Authorization": f"token {o.token}"} if o.token else None
        if o.curl_script:
            path = write_curl_script(requests, Path(o.curl_script), headers=headers)
            self.say(f"curl script for {len(requests)} files: {path}")
            return 0
        if not self.confirm():
            self.say("OK, stopping....")
            return 130
        results = download_files(requests, headers=headers, concurrency=o.jobs, clobber=o.clobber,
                                 skip_complete=not o.clobber)  # fmt: skip
        failed = 0
        new_codes = list(codes)
        new_strs = list(products["dl_str"])
        for i, result in zip(order, results, strict=True):
            new_codes[i], new_strs[i] = dl_code(result)
            if not result.ok:
                failed += 1
                log.warning("%s: %s", result.request.path.name, result.message)
        products["dl_code"] = new_codes
        products["dl_str"] = new_strs
        ok = len(results) - failed
        self.say(f"\n### Download complete: {ok} successful, {failed} failed")
        self.say(banner("Downloaded Selected Products:"))
        self.say(render_table(products, o.outcolumns_productTable, self.width))
        return 1 if failed else 0

    def confirm(self) -> bool:
        """Ask before downloading, only on a terminal and without ``--yes``."""
        if self.options.yes or not sys.stdin.isatty():
            return True
        answer = input("Do you want to continue and download these products [y/n]?  ").strip().lower()
        return answer in ("y", "yes")

    # -- web pages ---------------------------------------------------------------------------
    def webpages(self, selection: Selection) -> list[Path]:
        """One index.html per proposal (also when nothing new was downloaded)."""
        from jwstarchive.report import write_report

        o = self.options
        products = selection.products
        written = []
        for prop in sorted({int(p) for p in products["proposal_id"]}):
            rows = [i for i, p in enumerate(products["proposal_id"]) if p == prop]
            uncal = [i for i in rows if products["filetype"][i] == "_uncal.fits"]
            table = products[uncal or rows]
            htmldir = o.outdir if o.skip_propID2outsubdir else o.outdir / f"{prop:05d}"
            htmldir.mkdir(parents=True, exist_ok=True)
            image_cols = {_jpg_column(s) for s in o.webpage_level12_jpgs}
            ascii_cols = [c for c in o.webpage_cols4table if c not in image_cols]
            ascii_path = htmldir / f"{prop:05d}.products.txt"
            ascii_path.write_text(render_table(table, ascii_cols) + "\n")
            obs = selection.observations
            obs_rows = [i for i, p in enumerate(obs["proposal_id"]) if p == prop]
            index = write_report(
                table, htmldir, title=f"propID={prop}", columns=[c for c in o.webpage_cols4table],
                sort_by=o.webpage_sortcols, path_column="outfilename", thumbnails=o.webpage_mkthumbnails,
                header_keywords=o.webpage_fitskeys2table, observations=obs[obs_rows],
                thumbnail_size=o.webpage_thumbnails_width or 120,
            )  # fmt: skip
            self.say(f"Web page: {index}")
            written.append(Path(index))
        return written


def _jpg_column(suffix: str) -> str:
    """``_rate.jpg`` → ``rate``: the html column that shows that preview."""
    name = suffix.strip().lstrip("_")
    return name[: -len(".jpg")] if name.endswith(".jpg") else name


def _size(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


if __name__ == "__main__":
    sys.exit(jwst_download_main())
