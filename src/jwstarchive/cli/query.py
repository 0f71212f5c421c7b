"""The `jwstarchive query` sub-command: the `jwst_query` tool (jwst_mast_query's options, one for one)."""

from __future__ import annotations

import argparse

from jwstarchive.cli.tools import DESCRIPTIONS, build_parser, handler


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``query`` to ``sub``."""
    help_text = DESCRIPTIONS[False].split(" (")[0]
    parser = sub.add_parser("query", help=help_text, description=DESCRIPTIONS[False])
    build_parser(parser, download=False)
    parser.set_defaults(handler=handler(download=False))
