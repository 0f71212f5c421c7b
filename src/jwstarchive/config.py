"""Options of the ``jwst_query`` / ``jwst_download`` tools: jwst_mast_query's, one for one, plus ours.

Every option is a command-line flag and a config-file key of the same name. Precedence:
code defaults < YAML config (``-c FILE``, else ``$JWST_QUERY_CFGFILE``) < options given on the
command line. Unlike jwst_mast_query, a command-line value equal to the default still wins over
the config file, YAML never turns ``01410`` into an octal number or ``2022-06-06`` into a date,
and every flag is typed (``--jpg_separate_subdir false`` is false).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from jwstarchive.errors import ConfigError, InputError
from jwstarchive.naming import normalize_program

__all__ = [
    "DEFAULT_MAST_URL",
    "MAST_OBS_MODES",
    "OPTIONS",
    "SCA_CHOICES",
    "Option",
    "ToolOptions",
    "add_tool_options",
    "default_config_text",
    "expand_env",
    "load_config_file",
    "resolve_options",
]

log = logging.getLogger(__name__)

DEFAULT_MAST_URL = "https://mast.stsci.edu"

#: The instrument modes jwst_mast_query accepts for ``--obsmode`` (FGS has none).
MAST_OBS_MODES: Mapping[str, tuple[str, ...]] = {
    "miri": ("CORON", "IFU", "IMAGE", "SLIT", "SLITLESS", "TARGACQ"),
    "nircam": ("CORON", "GRISM", "IMAGE", "TARGACQ", "WFSS"),
    "niriss": ("AMI", "IMAGE", "SOSS", "WFSS"),
    "nirspec": ("BOTS", "IFU", "MSA", "SLIT"),
    "fgs": (),
}

#: ``--sca`` choices (``a5``/``b5`` mean ``along``/``blong``).
SCA_CHOICES: tuple[str, ...] = (
    "a1", "a2", "a3", "a4", "a5", "along", "b1", "b2", "b3", "b4", "b5", "blong",
    "guider1", "guider2", "nrs1", "nrs2", "mirimage", "mirifulong", "mirifushort", "nis",
)  # fmt: skip

_TRUE = {"true", "yes", "y", "on", "1"}
_FALSE = {"false", "no", "n", "off", "0", "none", ""}


def _as_bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, int):
        return value != 0
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ConfigError(f"{name}: {value!r} is not a boolean; use true or false")


def _as_int(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise ConfigError(f"{name}: {value!r} is not an integer")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not re.fullmatch(r"[-+]?\d+", text):
        raise ConfigError(f"{name}: {value!r} is not an integer")
    return int(text)


def _as_float(value: Any, name: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name}: {value!r} is not a number") from None


def _as_list(value: Any, split: bool = False) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    if split and isinstance(value, str):
        return value.split()
    return [value]


@dataclass(frozen=True)
class Option:
    """One tool option: its config key (also the long flag), kind, default and help.

    ``kind`` is one of ``str``, ``int``, ``float``, ``bool``, ``flag`` (a bool given without a
    value on the command line), ``count``, ``strs``, ``ints``, ``optint`` (an int or none).
    """

    name: str
    kind: str
    default: Any
    help: str
    short: str | None = None
    choices: tuple[str, ...] | None = None
    download_only: bool = False
    flag: str | None = None  # long flag when it differs from --name (ours use dashes)
    metavar: str | None = None

    def coerce(self, value: Any) -> Any:
        """Turn a config or command-line value into this option's Python type (None stays None)."""
        if value is None:
            return None
        name = self.name
        if self.kind in ("bool", "flag"):
            return _as_bool(value, name)
        if self.kind in ("int", "count"):
            return _as_int(value, name)
        if self.kind == "optint":
            if isinstance(value, str) and value.strip().lower() in ("", "none"):
                return None
            return _as_int(value, name)
        if self.kind == "float":
            return _as_float(value, name)
        if self.kind == "ints":
            return [_as_int(v, name) for v in _as_list(value, split=True)]
        if self.kind == "strs":
            items = [str(v) for v in _as_list(value, split=isinstance(value, str))]
            if self.choices is not None:
                for item in items:
                    self._check_choice(item)
            return items
        text = str(value)
        if self.choices is not None:
            text = text.lower()
            self._check_choice(text)
        return text

    def _check_choice(self, item: str) -> None:
        assert self.choices is not None
        if item not in self.choices:
            raise ConfigError(f"{self.name}: {item!r} is not one of {', '.join(self.choices)}")


_WEB_COLS = [
    "proposal_id", "obsnum", "visit", "obsID", "parent_obsid", "sca", "FILTER", "PUPIL", "READPATT", "uncal", "dark",
    "rate", "rateints", "cal", "TARG_RA", "TARG_DEC", "NINTS", "NGROUPS", "NFRAMES", "DATE-BEG", "DATE-END",
    "EFFINTTM", "EFFEXPTM", "size", "obs_id", "outfilename",
]  # fmt: skip
_FITS_KEYS = [
    "TARG_RA", "TARG_DEC", "FILTER", "PUPIL", "READPATT", "NINTS", "NGROUPS", "NFRAMES", "DATE-BEG", "DATE-END",
    "EFFINTTM", "EFFEXPTM",
]  # fmt: skip

OPTIONS: tuple[Option, ...] = (
    Option("instrument", "str", None, "instrument (default: all)", "-i",
           choices=("niriss", "nircam", "nirspec", "miri", "fgs")),
    Option("obsmode", "strs", None, "observing modes, e.g. image wfss (NIRCAM/IMAGE, NIRCAM/WFSS)"),
    Option("verbose", "count", 0, "more output (repeat for more)", "-v"),
    Option("propID", "strs", None, "proposal (APT) id, e.g. 1410 or 01410; extra values are obsnums",
           metavar="PROPID"),
    Option("obsnums", "ints", None, "keep only these observation numbers"),
    Option("guidestars", "flag", False, "keep guide-star products too"),
    Option("guidestar_data_only", "flag", False, "keep only guide-star products"),
    Option("filetypes", "strs", ["fits"], "product suffixes to keep: uncal → _uncal.fits, rate.jpg, fits, jpg",
           "-f"),
    Option("calib_levels", "ints", None, "keep only these calib_level values"),
    Option("Nobs_per_batch", "optint", 2, "observations per product query (none: one query)"),
    Option("configfile", "str", None, "YAML config file (default $JWST_QUERY_CFGFILE)", "-c"),
    Option("login", "strs", None, "ignored (jwst_mast_query never used it); use --token"),
    Option("token", "str", None, "MAST API token (default $MAST_API_TOKEN); public data needs none"),
    Option("outrootdir", "str", None, "root output directory (default: current directory)"),
    Option("outsubdir", "str", None, "extra directory level after outrootdir"),
    Option("obsnum2outsubdir", "bool", False, "add an obsnumNN directory level"),
    Option("propIDs_obsnum2outsubdir", "ints", [], "proposals that always get the obsnumNN level"),
    Option("skip_propID2outsubdir", "flag", False, "no PPPPP proposal directory level"),
    Option("skip_check_if_outfile_exists", "flag", False, "do not look at local files (dl_code stays NA)"),
    Option("skip_check_filesize", "flag", False, "an existing file counts as complete whatever its size"),
    Option("obsid_select", "strs", [], "obsID/parent_obsid range: N+, N-, N, or N M", "-e"),
    Option("obsid_list", "strs", [], "obsID/parent_obsid values to keep"),
    Option("sca", "strs", None, "detectors to keep (a5 = along, b5 = blong)", choices=SCA_CHOICES),
    Option("mastcolumns_obsTable", "strs",
           ["proposal_id", "dataURL", "obsid", "obs_id", "t_min", "t_exptime", "instrument_name"],
           "columns asked from the CAOM observation query"),
    Option("outcolumns_obsTable", "strs",
           ["proposal_id", "obsnum", "obsid", "obs_id", "t_min", "t_exptime", "date_min", "instrument_name"],
           "columns of the obs table (filetype counts are appended)"),
    Option("sortcols_obsTable", "strs", ["date_min", "proposal_id", "obsnum"], "sort columns of the obs table"),
    Option("outcolumns_productTable", "strs",
           ["proposal_id", "obsnum", "obsID", "parent_obsid", "obs_id", "sca", "visit", "dataproduct_type",
            "productFilename", "filetype", "calib_level", "size", "dl_code", "dl_str"],
           "columns of the product table"),
    Option("sortcols_productTable", "strs", ["calib_level", "filetype", "obsID"], "sort columns of products"),
    Option("sortcols_summaryTable", "strs", ["date_start", "proposal_id", "obsnum"], "sort columns of the summary"),
    Option("jpg_separate_subdir", "bool", False, "put jpg products in a jpg/ subdirectory"),
    Option("lookbacktime", "float", 1.0,
           "days back from now (0: no lower limit); ignored with --date_select or a lone --propID", "-l"),
    Option("date_select", "strs", [], "t_min window, MJD or ISO: D+, D-, D, or D1 D2", "-d"),
    Option("savetables", "str", None, "save BASE.selprod.txt, BASE.obs.txt, BASE.summary.txt in outrootdir",
           "-s"),
    Option("makewebpages", "flag", False, "write index.html for each proposal", "-w"),
    Option("webpage_tablefigsize_width", "optint", None, "width attribute of the table images"),
    Option("webpage_tablefigsize_height", "optint", None, "height attribute of the table images"),
    Option("webpage_level12_jpgs", "strs",
           ["_uncal.jpg", "_dark.jpg", "_rate.jpg", "_rateints.jpg", "_trapsfilled.jpg", "_cal.jpg", "_crf.jpg"],
           "jpg suffixes shown as image columns"),
    Option("webpage_fitskeys2table", "strs", _FITS_KEYS, "FITS header keys copied into the page"),
    Option("webpage_cols4table", "strs", _WEB_COLS, "columns of the html table"),
    Option("webpage_sortcols", "strs", ["proposal_id", "obsnum", "visit", "sca"], "row order of the html table"),
    Option("webpage_mkthumbnails", "bool", True, "make thumbnails"),
    Option("webpage_thumbnails_overwrite", "bool", False, "remake existing thumbnails"),
    Option("webpage_thumbnails_width", "optint", 120, "thumbnail width in pixels"),
    Option("webpage_thumbnails_height", "optint", None, "thumbnail height (none: keep the aspect ratio)"),
    Option("skipdownload", "flag", False, "query and make tables, download nothing", "-n", download_only=True),
    Option("clobber", "flag", False, "download again files that exist and are complete", download_only=True),
    # ours
    Option("mast_url", "str", None, f"MAST base URL (default $JWSTARCHIVE_MAST_URL or {DEFAULT_MAST_URL})",
           flag="--mast-url", metavar="URL"),
    Option("jobs", "int", 8, "files downloaded at once (and product queries in flight)", flag="--jobs",
           metavar="N"),
    Option("yes", "flag", False, "do not ask before downloading", "-y", flag="--yes"),
    Option("curl_script", "str", None, "write a bash/curl script instead of downloading", flag="--curl-script",
           metavar="FILE", download_only=True),
)  # fmt: skip

_BY_NAME = {o.name: o for o in OPTIONS}


@dataclass
class ToolOptions:
    """The resolved options of one run (names and meanings as in jwst_mast_query)."""

    instrument: str | None
    obsmode: list[str] | None
    verbose: int
    propID: str | None  # noqa: N815 - jwst_mast_query spelling
    obsnums: list[int] | None
    guidestars: bool
    guidestar_data_only: bool
    filetypes: list[str] | None
    calib_levels: list[int] | None
    Nobs_per_batch: int | None
    configfile: str | None
    login: list[str] | None
    token: str | None
    outrootdir: str | None
    outsubdir: str | None
    obsnum2outsubdir: bool
    propIDs_obsnum2outsubdir: list[int]  # noqa: N815 - jwst_mast_query spelling
    skip_propID2outsubdir: bool  # noqa: N815 - jwst_mast_query spelling
    skip_check_if_outfile_exists: bool
    skip_check_filesize: bool
    obsid_select: list[str]
    obsid_list: list[str]
    sca: list[str] | None
    mastcolumns_obsTable: list[str]  # noqa: N815 - jwst_mast_query spelling
    outcolumns_obsTable: list[str]  # noqa: N815 - jwst_mast_query spelling
    sortcols_obsTable: list[str]  # noqa: N815 - jwst_mast_query spelling
    outcolumns_productTable: list[str]  # noqa: N815 - jwst_mast_query spelling
    sortcols_productTable: list[str]  # noqa: N815 - jwst_mast_query spelling
    sortcols_summaryTable: list[str]  # noqa: N815 - jwst_mast_query spelling
    jpg_separate_subdir: bool
    lookbacktime: float
    date_select: list[str]
    savetables: str | None
    makewebpages: bool
    webpage_tablefigsize_width: int | None
    webpage_tablefigsize_height: int | None
    webpage_level12_jpgs: list[str]
    webpage_fitskeys2table: list[str]
    webpage_cols4table: list[str]
    webpage_sortcols: list[str]
    webpage_mkthumbnails: bool
    webpage_thumbnails_overwrite: bool
    webpage_thumbnails_width: int | None
    webpage_thumbnails_height: int | None
    skipdownload: bool
    clobber: bool
    mast_url: str
    jobs: int
    yes: bool
    curl_script: str | None
    #: names of the options the user set (config file or command line), for "was it given" tests
    given: frozenset[str] = frozenset()

    @property
    def outdir(self) -> Path:
        """``abs(outrootdir or '.')[/outsubdir]``: where tables go and product directories start."""
        root = Path(self.outrootdir or ".")
        if self.outsubdir:
            root = root / self.outsubdir
        return root.absolute()

    def as_dict(self) -> dict[str, Any]:
        """The options as a plain dict (for -vvv dumps)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "given"}


# ----------------------------------------------------------------------------------------------
# YAML: YAML 1.2-like scalars, so 01410 stays a string and 2022-06-06 is not a date
# ----------------------------------------------------------------------------------------------
class _ConfigLoader(yaml.SafeLoader):
    """SafeLoader whose implicit ints are decimal without leading zeros, with no timestamps."""


_ConfigLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                                                           "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}  # fmt: skip
_ConfigLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_ConfigLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]*(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?)$"),
    list("-+0123456789."),
)
_ConfigLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_config_file(path: str | Path) -> dict[str, Any]:
    """Read a YAML config file into a dict of option values (not yet coerced).

    Raises
    ------
    ConfigError
        When the file is missing, is not YAML, or names an unknown option.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist; check -c/--configfile or $JWST_QUERY_CFGFILE")
    try:
        data = yaml.load(path.read_text(), Loader=_ConfigLoader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {path} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must be a mapping of option: value")
    for key in data:
        if key not in _BY_NAME:
            from difflib import get_close_matches

            near = get_close_matches(str(key), _BY_NAME, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise ConfigError(f"config file {path}: unknown option {key!r}{hint}")
    return dict(data)


_ENV_VAR = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


def expand_env(values: dict[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    """Replace ``$VAR`` / ``${VAR}`` in string values (and in lists of strings) from ``environ``.

    An unset variable in ``outrootdir`` gives a warning and no outrootdir (the current
    directory); anywhere else it is a :class:`ConfigError`.
    """
    out: dict[str, Any] = {}
    for key, value in values.items():
        try:
            if isinstance(value, str):
                out[key] = _expand(value, environ)
            elif isinstance(value, list):
                out[key] = [_expand(v, environ) if isinstance(v, str) else v for v in value]
            else:
                out[key] = value
        except KeyError as exc:
            name = exc.args[0]
            if key == "outrootdir":
                log.warning("environment variable $%s in outrootdir is not set: using the current directory", name)
                out[key] = None
            else:
                raise ConfigError(f"{key}: environment variable ${name} is not set") from None
    return out


def _expand(text: str, environ: Mapping[str, str]) -> str:
    def sub(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name not in environ:
            raise KeyError(name)
        return environ[name]

    return _ENV_VAR.sub(sub, text)


# ----------------------------------------------------------------------------------------------
# command line
# ----------------------------------------------------------------------------------------------
def add_tool_options(parser: argparse.ArgumentParser, *, download: bool) -> None:
    """Add every option to ``parser``; nothing gets a default, so only given options are set.

    ``-l`` is ``--lookbacktime`` (jwst_mast_query registered it for ``--obsid_list`` first and
    then lost it); ``--obsid_list`` has only its long name.
    """
    for opt in OPTIONS:
        if opt.download_only and not download:
            continue
        names = [opt.flag or f"--{opt.name}"]
        if opt.short:
            names.insert(0, opt.short)
        kw: dict[str, Any] = {"dest": opt.name, "default": argparse.SUPPRESS, "help": opt.help}
        if opt.kind == "count":
            kw["action"] = "count"
        elif opt.kind == "flag":
            kw.update(nargs="?", const=True, type=_cli(opt), metavar="BOOL")
        elif opt.kind in ("strs", "ints"):
            kw.update(nargs="+", type=_cli(opt))
        else:
            kw["type"] = _cli(opt)
        if opt.metavar and opt.kind != "flag":
            kw["metavar"] = opt.metavar
        parser.add_argument(*names, **kw)


def _cli(opt: Option) -> Callable[[str], Any]:
    """argparse ``type`` for one option: a scalar coercion that reports errors the argparse way."""

    def convert(text: str) -> Any:
        try:
            if opt.kind == "ints":
                return _as_int(text, opt.name)
            if opt.kind == "strs":
                if opt.choices is not None:
                    opt._check_choice(text)
                return text
            return opt.coerce(text)
        except ConfigError as exc:
            raise argparse.ArgumentTypeError(exc.message) from None

    convert.__name__ = opt.kind
    return convert


# ----------------------------------------------------------------------------------------------
# resolution
# ----------------------------------------------------------------------------------------------
def resolve_options(cli: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> ToolOptions:
    """Merge defaults < config file < command line into :class:`ToolOptions`.

    ``cli`` holds only the options given on the command line (``vars(namespace)``).
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {o.name: _copy(o.default) for o in OPTIONS}
    given: set[str] = set()

    configfile = cli.get("configfile") or env.get("JWST_QUERY_CFGFILE") or None
    if configfile:
        log.info("Loading config file %s", configfile)
        config = expand_env(load_config_file(configfile), env)
        for key, value in config.items():
            if value is None:
                values[key] = _empty(key)
                continue
            values[key] = _BY_NAME[key].coerce(value)
            given.add(key)
        values["configfile"] = str(configfile)

    for key, value in cli.items():
        if key not in _BY_NAME or key == "configfile":
            continue
        values[key] = value if _BY_NAME[key].kind in ("strs", "ints", "count") else _BY_NAME[key].coerce(value)
        given.add(key)

    if values["token"] is None:
        values["token"] = env.get("MAST_API_TOKEN") or None
    if values["mast_url"] is None:
        values["mast_url"] = env.get("JWSTARCHIVE_MAST_URL") or DEFAULT_MAST_URL
    values["mast_url"] = str(values["mast_url"]).rstrip("/")
    if values["login"]:
        log.warning("--login is ignored (jwst_mast_query never used it); give a MAST token with --token")

    _normalize_propid(values)
    if values["sca"] is not None:
        values["sca"] = [{"a5": "along", "b5": "blong"}.get(s, s) for s in values["sca"]]
    if values["jobs"] < 1:
        raise ConfigError(f"jobs: {values['jobs']} must be at least 1")
    if values["Nobs_per_batch"] is not None and values["Nobs_per_batch"] < 1:
        raise ConfigError(f"Nobs_per_batch: {values['Nobs_per_batch']} must be at least 1 (or none)")
    return ToolOptions(**values, given=frozenset(given))


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _empty(key: str) -> Any:
    """What an empty config value (``key:``) means: None for lists and texts, else the default.

    ``filetypes:`` left empty keeps every product, as in jwst_mast_query.
    """
    opt = _BY_NAME[key]
    if isinstance(opt.default, list) and not opt.default:
        return []
    if opt.kind in ("strs", "ints", "str", "optint"):
        return None
    return _copy(opt.default)


def _normalize_propid(values: dict[str, Any]) -> None:
    """``propID 1410 3 103`` → propID ``'01410'``, obsnums [3, 103] (replacing any --obsnums)."""
    prop = values.get("propID")
    if not prop:
        values["propID"] = None
        return
    try:
        values["propID"] = normalize_program(str(prop[0]).strip())
    except InputError as exc:
        raise ConfigError(f"propID: {exc.message}") from None
    if len(prop) > 1:
        values["obsnums"] = [_as_int(v, "propID (obsnums after the proposal)") for v in prop[1:]]


def default_config_text() -> str:
    """The commented default config shipped with the package (``jwst_query.cfg``)."""
    return resources.files("jwstarchive").joinpath("data/jwst_query.cfg").read_text()


def option(name: str) -> Option:
    """The :class:`Option` called ``name``."""
    return _BY_NAME[name]


def sequence_text(values: Sequence[Any] | None) -> str:
    """``[a, b]`` → ``"a b"`` (None → ``"-"``), for the one-line option summary."""
    return "-" if values is None else " ".join(str(v) for v in values)
