"""UWS 1.1 XML documents: job, job list, parameters and results.

Elements are written with the literal ``uws:`` prefix: astroquery's job parser matches
qualified names such as ``uws:phase`` and finds nothing in a default-namespace document;
namespace-aware clients (pyvo, STILTS) read the prefixed form as well.
"""

from __future__ import annotations

from datetime import datetime

from jwstarchive.server.uws.models import Job
from jwstarchive.server.vosi.xml import attr, text

__all__ = ["iso", "render_job", "render_job_list", "render_parameters", "render_results"]

NAMESPACES = (
    'xmlns:uws="http://www.ivoa.net/xml/UWS/v1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def iso(value: datetime) -> str:
    """UTC ISO-8601 with milliseconds and a trailing ``Z``."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _time(name: str, value: datetime | None) -> str:
    if value is None:
        return f'  <uws:{name} xsi:nil="true"/>'
    return f"  <uws:{name}>{iso(value)}</uws:{name}>"


def _parameters(job: Job, indent: str = "  ") -> list[str]:
    lines = [f"{indent}<uws:parameters>"]
    for name, value in job.parameters:
        lines.append(f'{indent}  <uws:parameter id="{attr(name)}">{text(value)}</uws:parameter>')
    lines.append(f"{indent}</uws:parameters>")
    return lines


def _results(job: Job, job_url: str, indent: str = "  ") -> list[str]:
    lines = [f"{indent}<uws:results>"]
    for r in job.results:
        lines.append(
            f'{indent}  <uws:result id="{attr(r.id)}" xlink:type="simple" '
            f'xlink:href="{attr(job_url)}/results/{attr(r.id)}" size="{r.size}" mime-type="{attr(r.media_type)}"/>'
        )
    lines.append(f"{indent}</uws:results>")
    return lines


def render_job(job: Job, job_url: str) -> bytes:
    """The job document (``GET /async/<id>``)."""
    lines = [f'<uws:job {NAMESPACES} version="1.1">', f"  <uws:jobId>{text(job.job_id)}</uws:jobId>"]
    if job.run_id:
        lines.append(f"  <uws:runId>{text(job.run_id)}</uws:runId>")
    lines.append(f"  <uws:ownerId>{text(job.owner)}</uws:ownerId>" if job.owner else '  <uws:ownerId xsi:nil="true"/>')
    lines.append(f"  <uws:phase>{job.phase.value}</uws:phase>")
    lines.append(f"  <uws:creationTime>{iso(job.creation_time)}</uws:creationTime>")
    lines.append(_time("startTime", job.start_time))
    lines.append(_time("endTime", job.end_time))
    lines.append(f"  <uws:executionDuration>{job.execution_duration}</uws:executionDuration>")
    lines.append(_time("destruction", job.destruction))
    lines.extend(_parameters(job))
    lines.extend(_results(job, job_url))
    if job.error_message is not None:
        lines.append(f'  <uws:errorSummary type="{attr(job.error_type or "fatal")}" hasDetail="true">')
        lines.append(f"    <uws:message>{text(job.error_message)}</uws:message>")
        lines.append("  </uws:errorSummary>")
    lines.append("</uws:job>")
    return (HEAD + "\n".join(lines) + "\n").encode()


def render_job_list(jobs: list[Job], async_url: str) -> bytes:
    """The job list (``GET /async``)."""
    lines = [f'<uws:jobs {NAMESPACES} version="1.1">']
    for job in jobs:
        lines.append(f'  <uws:jobref id="{attr(job.job_id)}" xlink:href="{attr(async_url)}/{attr(job.job_id)}">')
        lines.append(f"    <uws:phase>{job.phase.value}</uws:phase>")
        if job.run_id:
            lines.append(f"    <uws:runId>{text(job.run_id)}</uws:runId>")
        lines.append(
            f"    <uws:ownerId>{text(job.owner)}</uws:ownerId>" if job.owner else '    <uws:ownerId xsi:nil="true"/>'
        )
        lines.append(f"    <uws:creationTime>{iso(job.creation_time)}</uws:creationTime>")
        lines.append("  </uws:jobref>")
    lines.append("</uws:jobs>")
    return (HEAD + "\n".join(lines) + "\n").encode()


def render_parameters(job: Job) -> bytes:
    """``GET /async/<id>/parameters``."""
    lines = _parameters(job, indent="")
    lines[0] = f"<uws:parameters {NAMESPACES}>"
    return (HEAD + "\n".join(lines) + "\n").encode()


def render_results(job: Job, job_url: str) -> bytes:
    """``GET /async/<id>/results``."""
    lines = _results(job, job_url, indent="")
    lines[0] = f"<uws:results {NAMESPACES}>"
    return (HEAD + "\n".join(lines) + "\n").encode()
