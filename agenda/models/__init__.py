"""The data model, one module per aggregate."""

from agenda.models.actor import Actor, ActorLink
from agenda.models.address_confirmation import AddressConfirmation
from agenda.models.audit import AuditEntry
from agenda.models.base import Base
from agenda.models.campaign import Campaign, CampaignPick
from agenda.models.change import DataChange
from agenda.models.event import Event, Occurrence
from agenda.models.feed_cache import FeedCacheEntry
from agenda.models.initiative import Initiative
from agenda.models.links import EventActor, EventInitiative, InitiativeActor
from agenda.models.match import MatchPair
from agenda.models.proposal_link import ProposalLink
from agenda.models.run import CollectionRun
from agenda.models.source import Source
from agenda.models.submission import Submission
from agenda.models.upload import Upload
from agenda.models.user import User

__all__ = ["Base", "Actor", "Source", "Event", "Occurrence", "CollectionRun", "DataChange",
           "User", "Campaign", "Initiative", "Submission", "AuditEntry", "FeedCacheEntry",
           "AddressConfirmation", "ProposalLink", "CampaignPick", "Upload", "MatchPair",
           "ActorLink", "EventActor", "InitiativeActor", "EventInitiative"]
