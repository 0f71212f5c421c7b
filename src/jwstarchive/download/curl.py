"""The same downloads as a bash script of ``curl`` commands, for people who fetch elsewhere."""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterable, Mapping
from pathlib import Path

from jwstarchive import __version__
from jwstarchive.download.model import FileRequest

CURL_OPTIONS = "--fail --silent --show-error --location --retry 5 --retry-connrefused -C -"

_PREAMBLE = """\
#!/usr/bin/env bash
# {count} file(s) to download with curl; written by jwstarchive {version}.
# Each file goes to .<name>.part (resumed with -C - when run again), its md5 is checked when known,
# and only then is it renamed to its final name. Files already there are skipped.
# The exit status is 1 when any file failed.{secret}
set -u
failed=0
have() {{  # have PART MD5: true when MD5 is known and PART is already complete (killed before the rename)
    [ -n "$2" ] && [ -e "$1" ] && command -v md5sum >/dev/null 2>&1 && echo "$2  $1" | md5sum --check --status
}}
md5ok() {{  # md5ok PART MD5: true when MD5 is empty, md5sum is missing, or the md5 matches
    [ -z "$2" ] && return 0
    command -v md5sum >/dev/null 2>&1 || return 0
    if echo "$2  $1" | md5sum --check --status; then return 0; fi
    echo "md5 mismatch: $1 (removed; run again)" >&2
    rm -f -- "$1"
    return 1
}}
"""

_SECRET = "\n# It holds an access token: keep it private (it is readable by its owner only)."


def write_curl_script(requests: Iterable[FileRequest], path: Path, headers: Mapping[str, str] | None = None) -> Path:
    """Write a bash script with one ``curl`` per file to ``path``; make it executable; return ``path``.

    Each line skips an existing final file, downloads to ``.<name>.part`` with ``--fail --retry``
    and ``-C -`` (resume), checks the md5 when known and renames the file. ``headers`` (such as
    ``Authorization: token ...``) are passed with ``-H``; a script holding one gets mode 0700.
    """
    requests = list(requests)
    headers = dict(headers or {})
    secret = any(key.lower() in ("authorization", "cookie") for key in headers)
    header_args = " ".join(f"-H {shlex.quote(f'{key}: {value}')}" for key, value in headers.items())
    lines = [_PREAMBLE.format(count=len(requests), version=__version__, secret=_SECRET if secret else "")]
    directories = sorted({str(request.path.parent) for request in requests})
    if directories:
        lines.append("mkdir -p -- " + " ".join(shlex.quote(d) for d in directories) + "\n")
    for request in requests:
        final = shlex.quote(str(request.path))
        part = shlex.quote(str(request.part_path))
        md5 = shlex.quote(request.md5 or "")
        options = f"{CURL_OPTIONS} {header_args}".rstrip()
        lines.append(
            f"[ -e {final} ] || {{ {{ have {part} {md5} || curl {options} -o {part} {shlex.quote(request.url)}; }} "
            f"&& md5ok {part} {md5} && mv -f -- {part} {final}; }} "
            f'|| {{ echo "FAILED: "{final} >&2; failed=$((failed + 1)); }}\n'
        )
    lines.append('[ "$failed" -eq 0 ] || { echo "$failed file(s) failed" >&2; exit 1; }\n')
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o700 if secret else 0o755)
    with os.fdopen(fd, "w") as stream:
        stream.writelines(lines)
    os.chmod(path, 0o700 if secret else 0o755)
    return path
