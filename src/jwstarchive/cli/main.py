"""The `jwstarchive` command: generate, serve, demo, parse names.

Errors: a ``JWSTArchiveError`` becomes one line on stderr; bad input (usage, identifiers,
scales, directories) exits 2, other failures 1. ``-v`` shows tracebacks.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jwstarchive import __version__
from jwstarchive.errors import ArchiveError, ConfigError, InputError, JWSTArchiveError

log = logging.getLogger(__name__)

USAGE_ERRORS = (InputError, ConfigError)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jwstarchive",
        description="JWST archive toolkit: generate and serve a local archive, query ESA and MAST.",
    )
    parser.add_argument("--version", action="version", version=f"jwstarchive {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv: debug)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gen = sub.add_parser("generate", help="build a generated archive directory")
    gen.add_argument("--scale", default="demo", help="demo, small, 1e5, 1e6 or 1e7 (products)")
    gen.add_argument("--out", required=True, type=Path, help="archive directory to create")
    gen.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    gen.add_argument("--force", action="store_true", help="replace an existing archive in --out")

    serve = sub.add_parser("serve", help="serve an archive over TAP, ESA TAP+ and MAST protocols")
    serve.add_argument("--archive", type=Path, help="archive directory (default: the demo archive)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000, help="port (0 picks a free one)")
    serve.add_argument("--tls-port", type=int, default=None, help="also serve HTTPS on this port")

    demo = sub.add_parser("demo", help="demo archive → local server → jwst_download with web pages, then stop")
    demo.add_argument("--out", type=Path, help="archive directory (default: the user cache)")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--program", default="1366", help="program to download (default 1366)")
    demo.add_argument("--downloads", type=Path, help="download directory (default: next to the archive)")
    demo.add_argument("--summary-only", action="store_true", help="only generate and summarise the archive")

    summary = sub.add_parser("summary", help="summarise an archive directory")
    summary.add_argument("archive", type=Path)

    name = sub.add_parser("name", help="parse JWST file names or identifiers and show their parts")
    name.add_argument("identifiers", nargs="+")
    for module in _command_modules():
        module.register(sub)
    return parser


#: Modules that add sub-commands: each has ``register(subparsers)``, which adds its parsers
#: with ``set_defaults(handler=function)``; the handler takes the parsed args and returns the exit code.
COMMAND_MODULES = (
    "jwstarchive.cli.accounts",
    "jwstarchive.cli.query",
    "jwstarchive.cli.download",
    "jwstarchive.cli.keywords",
    "jwstarchive.cli.duplicates",
)


def _command_modules() -> list[Any]:
    return [importlib.import_module(name) for name in COMMAND_MODULES]


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if verbose < 2:  # one line per HTTP request is debugging detail
        logging.getLogger("httpx").setLevel(logging.WARNING)


def _generate(args: argparse.Namespace) -> int:
    from jwstarchive.catalog.generate import generate
    from jwstarchive.catalog.summary import render_summary

    result = generate(args.out, scale=args.scale, seed=args.seed, force=args.force)
    print(render_summary(result.archive))
    return 0


def _demo(args: argparse.Namespace) -> int:
    """Generate the demo archive if needed, serve it on a free loopback port, run jwst_download on it."""
    import signal
    import subprocess

    from jwstarchive.catalog.generate import demo_archive
    from jwstarchive.catalog.summary import render_summary
    from jwstarchive.cli.tools import run_tool

    archive = demo_archive(args.out, seed=args.seed)
    print(render_summary(archive))
    if args.summary_only:
        return 0
    downloads = (args.downloads or archive.parent / "demo_downloads").absolute()
    command = [sys.executable, "-m", "jwstarchive.cli.main", "-q", "serve", "--archive", str(archive), "--port", "0"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        first = server.stdout.readline().strip()
        prefix = "Serving jwstarchive at "
        if not first.startswith(prefix):
            raise ArchiveError(f"the demo server did not start (it said {first!r})")
        url = first[len(prefix) :]
        print(f"\n{first}\njwst_download --mast-url {url} --propID {args.program} -f fits jpg "
              f"--outrootdir {downloads} --makewebpages --yes")  # fmt: skip
        given = {"mast_url": url, "propID": [args.program], "filetypes": ["fits", "jpg"],
                 "outrootdir": str(downloads), "makewebpages": True, "yes": True}  # fmt: skip
        status = run_tool(given, download=True)
        index = downloads / f"{int(args.program):05d}" / "index.html"
        print(f"\nReport: {index}" if index.is_file() else "\nNo report was written")
        return status
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _summary(args: argparse.Namespace) -> int:
    from jwstarchive.catalog.summary import render_summary

    print(render_summary(args.archive))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from jwstarchive.catalog.generate import demo_archive
    from jwstarchive.server.serve import run

    archive = args.archive if args.archive is not None else demo_archive(None)
    if not (archive / "catalog.duckdb").is_file():
        raise ArchiveError(
            f"{archive} is not an archive: create one with `jwstarchive generate --out {archive}`"
        )
    return run(archive, host=args.host, port=args.port, tls_port=args.tls_port) or 0


def _name(args: argparse.Namespace) -> int:
    from jwstarchive.naming import describe

    for text in args.identifiers:
        print(describe(text))
    return 0


COMMANDS = {
    "generate": _generate,
    "serve": _serve,
    "demo": _demo,
    "summary": _summary,
    "name": _name,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `jwstarchive` command; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    _setup_logging(args.verbose, args.quiet)
    try:
        handler = getattr(args, "handler", None) or COMMANDS[args.command]
        return int(handler(args) or 0)
    except USAGE_ERRORS as exc:
        if args.verbose:
            log.exception("details")
        print(f"jwstarchive {args.command}: error: {exc.message}", file=sys.stderr)
        return 2
    except JWSTArchiveError as exc:
        if args.verbose:
            log.exception("details")
        print(f"jwstarchive {args.command}: error: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"jwstarchive {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
