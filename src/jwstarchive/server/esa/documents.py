"""ESA TAP+ documents: share groups and items, the job search list, the login refusal page.

Share documents use unprefixed element names (astroquery's parsers match qualified names with
namespaces off); texts are CDATA as ESA writes them.
"""

from __future__ import annotations

from jwstarchive.server.esa.user_tables import SharedGroup, SharedItem
from jwstarchive.server.uws.documents import HEAD, NAMESPACES, render_job
from jwstarchive.server.uws.models import Job
from jwstarchive.server.vosi.xml import attr

__all__ = ["render_groups", "render_job_search", "render_shared_items", "unauthorized_page"]


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def render_groups(groups: list[SharedGroup], names: dict[str, str]) -> bytes:
    """``share?action=GetGroups``: the caller's groups with their users."""
    lines = [HEAD.rstrip("\n"), "<sharedGroups>"]
    for g in groups:
        lines.append(f'<sharedGroup id="{attr(g.group_id)}" owner="{attr(g.owner)}">')
        lines.append(f"\t<title>{_cdata(g.title)}</title>")
        lines.append(f"\t<description>{_cdata(g.description)}</description>")
        if g.users:
            lines.append("\t<users>")
            lines.extend(f'\t\t<user id="{attr(u)}" name="{attr(names.get(u, u))}"/>' for u in g.users)
            lines.append("\t</users>")
        lines.append("</sharedGroup>")
    lines.append("</sharedGroups>")
    return ("\n".join(lines) + "\n").encode()


def render_shared_items(owner: str, items: list[SharedItem]) -> bytes:
    """``share?action=GetSharedItems``: the items the caller shared."""
    lines = [HEAD.rstrip("\n"), f'<sharedItems owner="{attr(owner)}">']
    for item in items:
        lines.append(f'<sharedItem id="{attr(item.item_id)}" type="0">')
        lines.append(f"\t<title>{_cdata(item.title)}</title>")
        lines.append(f"\t<description>{_cdata(item.description)}</description>")
        lines.append("\t<sharedToItems>")
        for share_to, share_type, mode in item.relations:
            lines.append(
                f'<sharedToItem shareTo="{attr(share_to)}" shareType="{attr(share_type)}" shareMode="{attr(mode)}"/>'
            )
        lines.append("\t</sharedToItems>")
        lines.append("</sharedItem>")
    lines.append("</sharedItems>")
    return ("\n".join(lines) + "\n").encode()


def render_job_search(jobs: list[Job], async_url: str) -> bytes:
    """``/jobs/async``: a ``uws:jobs`` list holding full ``uws:job`` elements (TAP+ search)."""
    parts = [HEAD + f'<uws:jobs {NAMESPACES} version="1.1">\n']
    for job in jobs:
        body = render_job(job, f"{async_url}/{job.job_id}").decode()
        body = body[len(HEAD) :].replace(f"<uws:job {NAMESPACES} ", "<uws:job ", 1)
        parts.append(body)
    parts.append("</uws:jobs>\n")
    return "".join(parts).encode()


def unauthorized_page(message: str) -> bytes:
    """The 401 page of a failed login (Tomcat's wording, which clients look for)."""
    return (
        '<!doctype html><html lang="en"><head><title>HTTP Status 401 – Unauthorized</title></head>'
        f"<body><h1>HTTP Status 401 – Unauthorized</h1><p><b>Message</b> {attr(message)}</p></body></html>\n"
    ).encode()
