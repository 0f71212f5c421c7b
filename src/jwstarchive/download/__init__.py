"""Byte transfer: many files at once, Range resume, size and md5 checks, temporary name then rename.

``download_files`` fetches a list of `FileRequest` and returns one `FileResult` each;
``write_curl_script`` writes the same work as a bash script of ``curl`` commands; ``dl_code`` and
``existing_file_code`` give jwst_mast_query's ``dl_code`` / ``dl_str`` values.
"""

from __future__ import annotations

from jwstarchive.download.codes import dl_code, existing_file_code, is_success
from jwstarchive.download.curl import write_curl_script
from jwstarchive.download.engine import USER_AGENT, complete_on_disk, download_files, md5_from_etag
from jwstarchive.download.model import FileRequest, FileResult, part_path
from jwstarchive.download.progress import DownloadProgress, LogProgress, RichProgress, SilentProgress

__all__ = [
    "USER_AGENT",
    "DownloadProgress",
    "FileRequest",
    "FileResult",
    "LogProgress",
    "RichProgress",
    "SilentProgress",
    "complete_on_disk",
    "dl_code",
    "download_files",
    "existing_file_code",
    "is_success",
    "md5_from_etag",
    "part_path",
    "write_curl_script",
]
