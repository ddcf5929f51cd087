"""An actor proposal as its submitter reads it back on the secret page (one labelled line per
value given)."""

from __future__ import annotations

from flask_babel import gettext

from agenda.region import Region
from agenda.web.actors.labels import STRUCTURE_LABELS, label
from agenda.web.shared.i18n import theme_label
from agenda.web.shared.links import http_url


def actor_lines(data: dict, region: Region) -> list:
    from agenda.web.submit.summary import Line

    town = " ".join(p for p in (data.get("postcode"), data.get("city")) if p)
    place = ", ".join(p for p in (data.get("address"), town) if p)
    themes = [region.theme(slug) for slug in data.get("themes") or []]
    website = data.get("website") or ""
    lines = [
        Line(gettext("Name"), data.get("title") or ""),
        Line(gettext("Kind of structure"), label(STRUCTURE_LABELS, data.get("structure"))),
        Line(gettext("Kind"), data.get("kind") or ""),
        Line(gettext("Approvals"), ", ".join(data.get("approvals") or [])),
        Line(gettext("SIREN number"), data.get("siren") or ""),
        Line(gettext("SIRET number"), data.get("siret") or ""),
        Line(gettext("RNA number"), data.get("rna") or ""),
        Line(gettext("Themes"), ", ".join(theme_label(t) for t in themes if t)),
        Line(gettext("Where"), place),
        Line(gettext("Website"), website, http_url(website)),
        Line(gettext("Public contact e-mail"), data.get("public_email") or ""),
        Line(gettext("Public phone"), data.get("public_phone") or ""),
    ]
    return [line for line in lines if line.text]
