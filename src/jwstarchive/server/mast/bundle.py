"""The curl download script MAST's ``Download/bundle.sh`` returns (reference/mast_api.md §6.4).

Layout: ``MAST_<YYYY-MM-DDTHHMM>/JWST/<obs_id>/<file>``, a ``MANIFEST.HTML`` listing every URI,
a prompt for the token (``$1``, else ``$MAST_API_TOKEN``, else asked for) when any file is still
exclusive-access, and one resumable ``curl`` per file against this server's ``Download/file``.
URIs that name no product are listed in the manifest as not found and not fetched.
"""

from __future__ import annotations

import html
import shlex
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

__all__ = ["BundleEntry", "render_bundle"]


@dataclass(frozen=True)
class BundleEntry:
    """One requested URI: where it goes, and whether it needs a token (None: no such product)."""

    uri: str
    obs_id: str | None
    filename: str | None
    exclusive: bool = False

    @property
    def found(self) -> bool:
        """Whether the URI names a product of the archive."""
        return self.filename is not None and self.obs_id is not None

    @property
    def relative_path(self) -> str:
        """``JWST/<obs_id>/<file>`` inside the download folder."""
        return f"JWST/{self.obs_id}/{self.filename}"


HEADER = """#!/bin/bash
#
# Requires bash version >= 4
#
# The following script uses cURL to download data products from the jwstarchive server
# ({server}), in the layout and with the options of a MAST bundle script. Public data need
# no login; exclusive-access data need a MAST API token.
#
# Files: {count}
#
if ! command -v curl > /dev/null 2>&1; then
  echo "ERROR: curl is not installed: install it and run this script again" >&2
  exit 1
fi
"""

TOKEN = """
# Some files are exclusive-access: a token is needed (first argument, $MAST_API_TOKEN, or asked for)
if [ -n "$1" ]; then
  MAST_API_TOKEN="$1"
fi
if [ -z "$MAST_API_TOKEN" ]; then
  read -r -p "Please enter your token here: " MAST_API_TOKEN
fi
"""

FOLDER = """
DOWNLOAD_FOLDER={folder}
CONT=""
if [ -e "$DOWNLOAD_FOLDER" ]; then
  read -r -p "Folder $DOWNLOAD_FOLDER exists: (C)ontinue the download there or use (N)ew folder? [N] " ANSWER
  if [ "$ANSWER" = "C" ] || [ "$ANSWER" = "c" ]; then
    CONT="-C -"
  else
    n=1
    while [ -e "{folder}-$n" ]; do n=$((n + 1)); done
    DOWNLOAD_FOLDER="{folder}-$n"
  fi
fi
mkdir -p "$DOWNLOAD_FOLDER"
"""


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _manifest(entries: list[BundleEntry], user: str | None, stamp: str) -> str:
    rows = []
    for e in entries:
        access = "EXCLUSIVE_ACCESS" if e.exclusive else "PUBLIC"
        status = "OK" if e.found else "NOT FOUND"
        path = e.relative_path if e.found else ""
        cells = (e.uri, path, access if e.found else "", status, user or "anonymous")
        rows.append("<tr>" + "".join(f"<td>{html.escape(_printable(c))}</td>" for c in cells) + "</tr>")
    return (
        "<!DOCTYPE html>\n<html><head><title>MAST download manifest " + stamp + "</title></head><body>\n"
        f"<h1>MAST download manifest</h1>\n<p>Total Files: {sum(e.found for e in entries)}</p>\n"
        "<table border=\"1\">\n<tr><th>URI</th><th>File</th><th>Access</th><th>Status</th>"
        "<th>Logged In User</th></tr>\n" + "\n".join(rows) + "\n</table>\n</body></html>"
    )


def render_bundle(
    entries: list[BundleEntry], server: str, *, user: str | None = None, now: datetime | None = None
) -> str:
    """The bash script that downloads ``entries`` from ``server`` (its base URL)."""
    now = now or datetime.now(UTC)
    folder = "MAST_" + now.strftime("%Y-%m-%dT%H%M")
    script = folder + ".sh"
    server = server.rstrip("/")
    found = [e for e in entries if e.found]
    parts = [HEADER.format(server=server, count=len(found))]
    if any(e.exclusive for e in found):
        parts.append(TOKEN)
    parts.append(FOLDER.format(folder=folder))
    parts.append(
        'cat > "${DOWNLOAD_FOLDER}/MANIFEST.HTML" <<\'MANIFEST_EOF\'\n'
        + _manifest(entries, user, folder)
        + "\nMANIFEST_EOF\n"
    )
    for e in found:
        url = f"{server}/api/v0.1/Download/file?bundle_name={quote(script)}&uri={quote(e.uri, safe=':/')}"
        auth = '-H "Authorization: token $MAST_API_TOKEN" ' if e.exclusive else ""
        parts.append(
            "\nprintf '<<< Downloading File: %s\\n                  To: %s\\n' "
            f'{shlex.quote(e.uri)} "${{DOWNLOAD_FOLDER}}/"{shlex.quote(e.relative_path)}\n'
            f"curl {auth}--globoff --location-trusted -f --progress-bar --create-dirs $CONT "
            f'--output "./${{DOWNLOAD_FOLDER}}/"{shlex.quote(e.relative_path)} {shlex.quote(url)}\n'
        )
    parts.append("\nexit 0\n")
    return "".join(parts)
