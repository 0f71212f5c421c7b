"""Options and config of jwst_query / jwst_download (reference §7 items 1, 2, 25–28, 40 and the fixed defects)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from jwstarchive.config import add_tool_options, default_config_text, load_config_file, resolve_options
from jwstarchive.errors import ConfigError


def parse(*argv: str, download: bool = True) -> dict:
    parser = argparse.ArgumentParser(exit_on_error=False)
    add_tool_options(parser, download=download)
    return vars(parser.parse_args(list(argv)))


def resolve(*argv: str, env: dict[str, str] | None = None, cfg: str | None = None, tmp: Path | None = None):
    environ = dict(env or {})
    if cfg is not None:
        assert tmp is not None
        path = tmp / "tool.cfg"
        path.write_text(cfg)
        environ["JWST_QUERY_CFGFILE"] = str(path)
    return resolve_options(parse(*argv), environ)


# 1. proposal ids are 5-digit strings however written
@pytest.mark.parametrize("argv", [("--propID", "1410"), ("--propID", "01410")])
def test_propid_on_the_command_line_is_zero_padded(argv: tuple[str, ...]) -> None:
    assert resolve(*argv).propID == "01410"


@pytest.mark.parametrize("text", ["propID: 1410", "propID: '01410'", "propID: 01410", "propID: [1410]"])
def test_propid_in_the_config_is_zero_padded_and_never_octal(text: str, tmp_path: Path) -> None:
    # jwst_mast_query read an unquoted 01410 as the octal 776 (proposal 00776): fixed
    assert resolve(cfg=text, tmp=tmp_path).propID == "01410"


# 2. extra propID values are obsnums and replace --obsnums
def test_propid_extra_values_become_obsnums() -> None:
    options = resolve("--propID", "1410", "3", "103", "--obsnums", "7")
    assert (options.propID, options.obsnums) == ("01410", [3, 103])


def test_obsnums_with_leading_zeros_stay_decimal(tmp_path: Path) -> None:
    assert resolve(cfg="obsnums: [010, 3]", tmp=tmp_path).obsnums == [10, 3]


# 25. $VAR expansion
def test_outrootdir_variable_expands_from_the_environment(tmp_path: Path) -> None:
    options = resolve(cfg="outrootdir: $JWSTDOWNLOAD_OUTDIR/sub", env={"JWSTDOWNLOAD_OUTDIR": "/data"}, tmp=tmp_path)
    assert options.outrootdir == "/data/sub"
    braces = resolve(cfg="outrootdir: ${JWSTDOWNLOAD_OUTDIR}", env={"JWSTDOWNLOAD_OUTDIR": "/d2"}, tmp=tmp_path)
    assert braces.outdir == Path("/d2")


def test_unset_outrootdir_variable_warns_and_uses_the_current_directory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    options = resolve(cfg="outrootdir: $NOT_SET_ANYWHERE_X", tmp=tmp_path)
    assert options.outrootdir is None
    assert options.outdir == tmp_path
    assert "NOT_SET_ANYWHERE_X" in caplog.text


def test_unset_variable_in_another_key_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"savetables: environment variable \$NOT_SET_Y is not set"):
        resolve(cfg="savetables: $NOT_SET_Y", tmp=tmp_path)


# 26. precedence: defaults < config < command line (even a command-line value equal to the default)
def test_config_overrides_defaults_and_command_line_overrides_config(tmp_path: Path) -> None:
    cfg = "lookbacktime: 5\ninstrument: niriss\nfiletypes: [uncal]\n"
    options = resolve(cfg=cfg, tmp=tmp_path)
    assert (options.lookbacktime, options.instrument, options.filetypes) == (5.0, "niriss", ["uncal"])
    # upstream kept 5 here because 1.0 is the code default: fixed
    assert resolve("-l", "1.0", "-i", "nircam", cfg=cfg, tmp=tmp_path).lookbacktime == 1.0
    assert resolve("-l", "1.0", "-i", "nircam", cfg=cfg, tmp=tmp_path).instrument == "nircam"


def test_booleans_are_typed_on_the_command_line_and_in_the_config(tmp_path: Path) -> None:
    cfg = "jpg_separate_subdir: 'False'\nobsnum2outsubdir: yes\nclobber: true\n"
    options = resolve(cfg=cfg, tmp=tmp_path)
    assert (options.jpg_separate_subdir, options.obsnum2outsubdir, options.clobber) == (False, True, True)
    options = resolve("--jpg_separate_subdir", "true", "--clobber", "false", cfg=cfg, tmp=tmp_path)
    assert (options.jpg_separate_subdir, options.clobber) == (True, False)
    assert resolve("--clobber").clobber is True
    assert resolve("--webpage_thumbnails_width", "150").webpage_thumbnails_width == 150
    assert resolve("--propIDs_obsnum2outsubdir", "1409").propIDs_obsnum2outsubdir == [1409]


def test_bad_boolean_in_the_config_names_the_option(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="clobber: 'maybe' is not a boolean"):
        resolve(cfg="clobber: maybe", tmp=tmp_path)


def test_dates_in_the_config_stay_text(tmp_path: Path) -> None:
    # upstream: a datetime.date and an int, both crashed the limit parser
    assert resolve(cfg="date_select: 2022-06-06", tmp=tmp_path).date_select == ["2022-06-06"]
    assert resolve(cfg="date_select: 2022-06-06 2022-06-08", tmp=tmp_path).date_select == ["2022-06-06", "2022-06-08"]
    assert resolve(cfg="date_select: 59430", tmp=tmp_path).date_select == ["59430"]


def test_unknown_config_key_names_the_nearest_option(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown option 'filetype'; did you mean 'filetypes'"):
        resolve(cfg="filetype: [uncal]", tmp=tmp_path)


# 27. $JWST_QUERY_CFGFILE and -c
def test_config_from_the_environment_and_c_wins(tmp_path: Path) -> None:
    other = tmp_path / "other.cfg"
    other.write_text("instrument: miri\n")
    assert resolve(cfg="instrument: niriss", tmp=tmp_path).instrument == "niriss"
    assert resolve("-c", str(other), cfg="instrument: niriss", tmp=tmp_path).instrument == "miri"


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        resolve("-c", str(tmp_path / "nope.cfg"))


# 28. token: --token, then config, then $MAST_API_TOKEN
def test_token_precedence(tmp_path: Path) -> None:
    env = {"MAST_API_TOKEN": "from-env"}
    assert resolve(env=env).token == "from-env"
    assert resolve(env=env, cfg="token: from-cfg", tmp=tmp_path).token == "from-cfg"
    assert resolve("--token", "from-cli", env=env, cfg="token: from-cfg", tmp=tmp_path).token == "from-cli"
    assert resolve().token is None  # public data needs none


# 40. short flags
def test_short_flags() -> None:
    given = parse("-l", "3", "-e", "5+", "-d", "59000+", "-s", "base", "-w", "-n", "-f", "uncal", "-i", "nircam",
                  "-c", "x.cfg", "-vv")  # fmt: skip
    assert given["lookbacktime"] == 3.0
    assert given["obsid_select"] == ["5+"]
    assert given["date_select"] == ["59000+"]
    assert given["savetables"] == "base"
    assert given["makewebpages"] is True and given["skipdownload"] is True
    assert given["filetypes"] == ["uncal"] and given["instrument"] == "nircam"
    assert given["configfile"] == "x.cfg" and given["verbose"] == 2
    assert "obsid_list" not in given
    assert parse("--obsid_list", "1", "2")["obsid_list"] == ["1", "2"]


def test_download_options_only_on_jwst_download() -> None:
    with pytest.raises(SystemExit):
        parse("--clobber", download=False)


def test_sca_choices_and_aliases() -> None:
    assert resolve("--sca", "a5", "b5", "a1").sca == ["along", "blong", "a1"]
    with pytest.raises((SystemExit, argparse.ArgumentError)):
        parse("--sca", "a9")


def test_ours_mast_url_from_option_and_environment() -> None:
    assert resolve().mast_url == "https://mast.stsci.edu"
    assert resolve(env={"JWSTARCHIVE_MAST_URL": "http://127.0.0.1:9/"}).mast_url == "http://127.0.0.1:9"
    assert resolve("--mast-url", "http://h:1", env={"JWSTARCHIVE_MAST_URL": "http://x"}).mast_url == "http://h:1"
    assert resolve("--jobs", "3", "--yes").jobs == 3


def test_shipped_config_loads_and_every_key_is_an_option(tmp_path: Path) -> None:
    text = default_config_text()
    path = tmp_path / "jwst_query.cfg"
    path.write_text(text)
    keys = load_config_file(path)
    assert {"propID", "filetypes", "outrootdir", "webpage_cols4table", "mast_url"} <= set(keys)
    options = resolve(cfg=text, env={"JWSTDOWNLOAD_OUTDIR": str(tmp_path)}, tmp=tmp_path)
    assert options.outdir == tmp_path
    assert options.filetypes == ["fits"]
    assert options.lookbacktime == 1.0 and "lookbacktime" not in options.given
