"""The data model, one module per aggregate."""

from agenda.models.actor import Actor
from agenda.models.base import Base
from agenda.models.change import DataChange
from agenda.models.event import Event, Occurrence
from agenda.models.run import CollectionRun
from agenda.models.source import Source

__all__ = ["Base", "Actor", "Source", "Event", "Occurrence", "CollectionRun", "DataChange"]
