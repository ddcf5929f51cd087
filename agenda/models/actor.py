"""An actor: an organisation of the social and solidarity economy (association, cooperative,
mutual, foundation, ESS company, public body...), with its numbers, themes, place and links.

Numbers identify an actor: two records with the same SIREN or RNA number are one actor (both
columns are unique).  ``status`` says how far the record can be trusted: "confirmed" by staff,
"to_check" when it was made from a source's organiser or an import (shown « à vérifier »),
"proposed" while a proposal from the public form waits for moderation (not shown).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from agenda.models.base import (
    Base,
    SearchVector,
    UTCDateTime,
    search_vector_indexes,
    utcnow,
)

# The kinds of structure (``Actor.structure``); ``Actor.kind`` stays the actor's own free words
# ("tiers-lieu", "réseau"...).
STRUCTURES = ("association", "cooperative", "mutual", "foundation", "company", "public", "other")
ACTOR_STATUSES = ("confirmed", "to_check", "proposed")
# Where a record came from: made by staff, a proposal, a source's organiser, an import of a
# spreadsheet, a GoGoCarto map.
ACTOR_ORIGINS = ("staff", "proposal", "organizer", "source", "import", "gogocarto")
# How two actors are linked: ``actor`` is a member of the network ``other``, or they are partners.
ACTOR_RELATIONS = ("member", "partner")


class Actor(Base):
    __tablename__ = "actors"
    __table_args__ = (CheckConstraint(f"status IN {ACTOR_STATUSES}", name="status"),
                      *search_vector_indexes("actors"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str | None] = mapped_column(String(50))
    structure: Mapped[str | None] = mapped_column(String(20), index=True)
    approvals: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    siren: Mapped[str | None] = mapped_column(String(9), unique=True)
    siret: Mapped[str | None] = mapped_column(String(14))
    rna: Mapped[str | None] = mapped_column(String(10), unique=True)
    website: Mapped[str | None] = mapped_column(String(2000))
    themes: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    description_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    contact_email: Mapped[str | None] = mapped_column(String(254))  # public contact
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(500))
    postcode: Mapped[str | None] = mapped_column(String(10))
    commune_code: Mapped[str | None] = mapped_column(String(5), index=True)
    commune_name: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(3), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), default="confirmed",
                                        server_default="confirmed")
    origin: Mapped[str | None] = mapped_column(String(12))
    # The origin's own id ("gogocarto:<map host>:<element id>", "import:<key>"): a re-import
    # finds the record again instead of adding one.
    origin_key: Mapped[str | None] = mapped_column(String(500), unique=True)
    # What an import could not accept as it was (an invalid SIREN...): [{"field", "value",
    # "code"}], kept for staff to fix, never dropped silently.
    flags: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    # A trusted actor's proposals are published without waiting for moderation.
    trusted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # PostgreSQL's search (agenda.search.pg), read only there
    search_vector: Mapped[str | None] = mapped_column(SearchVector, deferred=True)


class ActorLink(Base):
    """Two actors linked by staff: ``actor`` is a member of the network ``other``, or partner."""

    __tablename__ = "actor_links"
    __table_args__ = (
        CheckConstraint(f"relation IN {ACTOR_RELATIONS}", name="relation"),
        CheckConstraint("actor_id <> other_id", name="distinct"),
        UniqueConstraint("actor_id", "other_id", "relation"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"),
                                          index=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"),
                                          index=True)
    relation: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
