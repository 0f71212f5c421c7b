"""Command-line tools: `jwstarchive`, `jwst_query`, `jwst_download`."""
