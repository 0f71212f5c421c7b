"""The `jwstarchive download` sub-command: the `jwst_download` tool (jwst_mast_query's options, one for one)."""

from __future__ import annotations

import argparse

from jwstarchive.cli.tools import DESCRIPTIONS, build_parser, handler


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``download`` to ``sub``."""
    help_text = DESCRIPTIONS[True].split(" (")[0]
    parser = sub.add_parser("download", help=help_text, description=DESCRIPTIONS[True])
    build_parser(parser, download=True)
    parser.set_defaults(handler=handler(download=True))
