"""columnsconfig, the bundle curl script (run for real with bash and curl) and ``/whoami``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx
import pytest
from mast_portal import Portal

from jwstarchive.catalog.schema_si import INSTRUMENT_TABLES

FORM = {"Content-type": "application/x-www-form-urlencoded"}
SERVICES = [
    "Mast.Caom.Cone",
    "Mast.Caom.Filtered",
    "Mast.Caom.Filtered.Position",
    "Mast.Caom.Products",
    *(spec[1] for spec in INSTRUMENT_TABLES.values()),
]


@pytest.mark.parametrize(
    "path", ["/portal/Mashup/Mashup.asmx/columnsconfig", "/portal_jwst/Mashup/Mashup.asmx/columnsconfig"]
)
@pytest.mark.parametrize("service", SERVICES)
def test_columnsconfig_describes_every_result_column(
    portal: Portal, http: httpx.Client, path: str, service: str
) -> None:
    config = http.post(portal.url + path, content=f"colConfigId={service}", headers=FORM)
    assert config.status_code == 200
    config = config.json()
    if service == "Mast.Caom.Products":
        doc = portal.invoke(service, {"obsid": "87600080"}, pagesize=1)
    elif service == "Mast.Caom.Cone":
        doc = portal.invoke(service, {"ra": 53.16, "dec": -27.79, "radius": 0.1}, pagesize=1)
    elif service == "Mast.Caom.Filtered.Position":
        doc = portal.invoke(service, {"columns": "*", "filters": [], "position": "53.16, -27.79, 0.1"}, pagesize=1)
    else:
        doc = portal.invoke(service, {"columns": "*", "filters": []}, pagesize=1)
    assert doc["status"] == "COMPLETE"
    assert [f["name"] for f in doc["fields"]] == list(config)
    for entry in config.values():
        assert entry["vot.datatype"] in {"char", "datetime", "boolean", "int", "long", "float", "double"}


def test_columnsconfig_drives_discrete_and_continuous(portal: Portal, http: httpx.Client) -> None:
    config = http.post(
        portal.url + "/portal/Mashup/Mashup.asmx/columnsconfig", content="colConfigId=Mast.Caom.Cone", headers=FORM
    ).json()
    assert config["s_ra"]["vot.datatype"] == "double" and config["t_min"]["vot.datatype"] == "double"
    assert config["obsid"]["vot.datatype"] == "long" and config["calib_level"]["vot.datatype"] == "int"
    assert config["filters"]["separator"] == ";" and "separator" not in config["obs_id"]
    assert config["distance"]["vot.unit"] == "arcsec"


@pytest.mark.parametrize("body", ["colConfigId=Mast.Nothing", "", "colConfigId="])
def test_columnsconfig_unknown_is_empty(portal: Portal, http: httpx.Client, body: str) -> None:
    response = http.post(portal.url + "/portal/Mashup/Mashup.asmx/columnsconfig", content=body, headers=FORM)
    assert response.status_code == 200 and response.json() == {}


def _catalog_files(catalog, where: str, limit: int) -> list[tuple[str, str, int]]:
    return catalog.execute(
        "SELECT productFilename, obs_id, size FROM mast.caom_product "
        f"WHERE {where} AND parent_obsid = obsID ORDER BY productFilename LIMIT {limit}"
    ).fetchall()


@pytest.fixture(scope="module")
def public_files(catalog) -> list[tuple[str, str, int]]:
    rows = _catalog_files(catalog, "dataRights = 'PUBLIC' AND productFilename LIKE '%.fits'", 2)
    rows += _catalog_files(catalog, "dataRights = 'PUBLIC' AND productFilename LIKE '%.json'", 1)
    assert len(rows) == 3
    return rows


@pytest.fixture(scope="module")
def private_file(catalog) -> tuple[str, str, int]:
    [row] = _catalog_files(catalog, "dataRights = 'EXCLUSIVE_ACCESS' AND proposal_id = '7123'", 1)
    return row


def _bundle(
    http: httpx.Client, url: str, names: list[str], path: str = "/api/v0.1/Download/bundle.sh"
) -> httpx.Response:
    body = "&".join(f"uri=mast:JWST/product/{n}" for n in names)
    return http.post(url + path, content=body, headers=FORM)


def _run_script(script: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MAST_API_TOKEN"}
    return subprocess.run(
        ["bash", str(script), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def test_bundle_script_downloads_public_files(live_server, http: httpx.Client, public_files, tmp_path: Path) -> None:
    response = _bundle(http, live_server.url, [n for n, _, _ in public_files] + ["not_a_product.fits"])
    assert response.status_code == 200
    script = tmp_path / "bundle.sh"
    script.write_text(response.text)
    assert response.text.startswith("#!/bin/bash")
    assert "Authorization" not in response.text
    proc = _run_script(script, tmp_path)
    assert proc.returncode == 0, proc.stderr
    [folder] = [p for p in tmp_path.iterdir() if p.is_dir() and p.name.startswith("MAST_")]
    for name, obs_id, size in public_files:
        path = folder / "JWST" / obs_id / name
        assert path.stat().st_size == size
    manifest = (folder / "MANIFEST.HTML").read_text()
    assert "Total Files: 3" in manifest and "not_a_product.fits" in manifest and "NOT FOUND" in manifest


def test_bundle_script_needs_a_token_for_exclusive_files(
    live_server, http: httpx.Client, private_file, run_jwstarchive, tmp_path: Path
) -> None:
    name, obs_id, size = private_file
    for path in ("/api/v0.1/Download/bundle", "/jwst/api/v0.1/download/bundle"):
        response = _bundle(http, live_server.url, [name], path)
        assert response.status_code == 200
        assert "Authorization: token $MAST_API_TOKEN" in response.text
    script = tmp_path / "bundle.sh"
    script.write_text(response.text)
    without = tmp_path / "anonymous"
    without.mkdir()
    _run_script(script, without, "not-a-token")
    assert not list(without.glob(f"MAST_*/JWST/{obs_id}/{name}"))
    made = run_jwstarchive("token", "create", "--user", "demo", "--archive", str(live_server.archive))
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    with_token = tmp_path / "demo"
    with_token.mkdir()
    proc = _run_script(script, with_token, token)
    assert proc.returncode == 0, proc.stderr
    [got] = list(with_token.glob(f"MAST_*/JWST/{obs_id}/{name}"))
    assert got.stat().st_size == size


def test_bundle_without_uris_is_refused(live_server, http: httpx.Client) -> None:
    response = http.post(live_server.url + "/api/v0.1/Download/bundle.sh", content="", headers=FORM)
    assert response.status_code == 400 and "uri" in response.text


def test_whoami(live_server, http: httpx.Client, run_jwstarchive) -> None:
    anonymous = http.get(live_server.url + "/whoami", headers={"Accept": "application/json"}).json()
    assert anonymous["anon"] is True and anonymous["ezid"] == "anonymous" and anonymous["token"] is None
    made = run_jwstarchive("token", "create", "--user", "demo", "--archive", str(live_server.archive))
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    for kwargs in (
        {"cookies": {"mast_token": token}},
        {"headers": {"Authorization": f"token {token}"}},
        {"headers": {"Authorization": f"Bearer {token}"}},
    ):
        with httpx.Client(timeout=60, **kwargs) as client:
            me = client.get(live_server.url + "/whoami").json()
        assert me["anon"] is False and me["ezid"] == "demo" and me["token"] == token
        assert me["attrib"]["display_name"] == "demo"
        assert "mast:exclusive_access" in me["scopes"]
    wrong = http.get(live_server.url + "/whoami", headers={"Authorization": "token 0123456789abcdef"}).json()
    assert wrong["anon"] is True
