"""VOSI capabilities: the TAPRegExt description of the service, built from the registries.

Languages and their features come from the ADQL function registry
(``jwstarchive.adql.functions.language_features``), output formats from the output-format
registry, and the limits from :class:`~jwstarchive.server.settings.Limits`; nothing here is
listed by hand twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from jwstarchive.server.formats import FormatRegistry
from jwstarchive.server.settings import Limits
from jwstarchive.server.vosi.xml import attr, text

__all__ = ["Feature", "language_features", "render_capabilities"]

log = logging.getLogger(__name__)

OBSCORE_MODEL = ("ivo://ivoa.net/std/ObsCore#core-1.1", "ObsCore-1.1")
UPLOAD_METHODS = (
    "ivo://ivoa.net/std/TAPRegExt#upload-inline",
    "ivo://ivoa.net/std/TAPRegExt#upload-http",
    "ivo://ivoa.net/std/TAPRegExt#upload-https",
)
ADQL_VERSIONS = (("2.0", "ivo://ivoa.net/std/ADQL#v2.0"), ("2.1", "ivo://ivoa.net/std/ADQL#v2.1"))


@dataclass(frozen=True)
class Feature:
    """One ``languageFeatures/feature``: its feature-list type, form and description."""

    type: str
    form: str
    description: str


#: Feature types that TAPRegExt validators in use (STILTS taplint 3.4.7) do not know yet and
#: report as errors; the functions still work, they are just not advertised.
UNADVERTISED_FEATURE_TYPES = frozenset({"ivo://ivoa.net/std/TAPRegExt#features-adql-conditional"})


def language_features(backend: str) -> list[Feature]:
    """The ADQL language features the registry declares for ``backend``."""
    from jwstarchive.adql.functions import language_features as registry_features

    return [
        Feature(f.type, f.form, f.description)
        for f in registry_features(backend)
        if f.type not in UNADVERTISED_FEATURE_TYPES
    ]


def _features_xml(features: Iterable[Feature]) -> list[str]:
    by_type: dict[str, list[Feature]] = {}
    for feature in features:
        by_type.setdefault(feature.type, []).append(feature)
    parts = []
    for ftype, members in by_type.items():
        parts.append(f'      <languageFeatures type="{attr(ftype)}">')
        for f in members:
            parts.append("        <feature>")
            parts.append(f"          <form>{text(f.form)}</form>")
            if f.description:
                parts.append(f"          <description>{text(f.description)}</description>")
            parts.append("        </feature>")
        parts.append("      </languageFeatures>")
    return parts


def _vosi(standard_id: str, url: str) -> str:
    return (
        f'  <capability standardID="{attr(standard_id)}">\n'
        '    <interface xsi:type="vs:ParamHTTP">\n'
        f'      <accessURL use="full">{text(url)}</accessURL>\n'
        "    </interface>\n"
        "  </capability>"
    )


def render_capabilities(
    tap_url: str,
    formats: FormatRegistry,
    limits: Limits,
    features: Iterable[Feature],
) -> bytes:
    """The VOSI capabilities document of the TAP service at ``tap_url`` (no trailing slash)."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<vosi:capabilities xmlns:vosi="http://www.ivoa.net/xml/VOSICapabilities/v1.0" '
        'xmlns:vr="http://www.ivoa.net/xml/VOResource/v1.0" '
        'xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" '
        'xmlns:tr="http://www.ivoa.net/xml/TAPRegExt/v1.0" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
        '  <capability standardID="ivo://ivoa.net/std/TAP" xsi:type="tr:TableAccess">',
        '    <interface role="std" xsi:type="vs:ParamHTTP" version="1.1">',
        f'      <accessURL use="base">{text(tap_url)}</accessURL>',
        "    </interface>",
        f'    <dataModel ivo-id="{OBSCORE_MODEL[0]}">{OBSCORE_MODEL[1]}</dataModel>',
        "    <language>",
        "      <name>ADQL</name>",
    ]
    parts.extend(f'      <version ivo-id="{ivo_id}">{version}</version>' for version, ivo_id in ADQL_VERSIONS)
    parts.append("      <description>ADQL 2.1 (ADQL 2.0 queries are accepted too).</description>")
    parts.extend(_features_xml(features))
    parts.append("    </language>")
    for fmt in formats:
        ivo = f' ivo-id="{attr(fmt.ivo_id)}"' if fmt.ivo_id else ""
        parts.append(f"    <outputFormat{ivo}>")
        parts.append(f"      <mime>{text(fmt.media_type)}</mime>")
        parts.extend(f"      <alias>{text(a)}</alias>" for a in (fmt.key, *fmt.aliases) if "/" not in a or a == fmt.key)
        parts.append("    </outputFormat>")
    parts.extend(f'    <uploadMethod ivo-id="{method}"/>' for method in UPLOAD_METHODS)
    parts += [
        "    <retentionPeriod>",
        f"      <default>{limits.default_retention}</default>",
        f"      <hard>{limits.max_retention}</hard>",
        "    </retentionPeriod>",
        "    <executionDuration>",
        f"      <default>{limits.default_execution_duration}</default>",
        f"      <hard>{limits.max_execution_duration}</hard>",
        "    </executionDuration>",
        "    <outputLimit>",
        f'      <default unit="row">{limits.default_maxrec}</default>',
        f'      <hard unit="row">{limits.hard_maxrec}</hard>',
        "    </outputLimit>",
        "    <uploadLimit>",
        f'      <hard unit="byte">{limits.upload_max_bytes}</hard>',
        "    </uploadLimit>",
        "  </capability>",
        _vosi("ivo://ivoa.net/std/VOSI#capabilities", tap_url + "/capabilities"),
        _vosi("ivo://ivoa.net/std/VOSI#availability", tap_url + "/availability"),
        _vosi("ivo://ivoa.net/std/VOSI#tables-1.1", tap_url + "/tables"),
        _vosi("ivo://ivoa.net/std/DALI#examples", tap_url + "/examples"),
        "</vosi:capabilities>",
    ]
    return ("\n".join(parts) + "\n").encode()
