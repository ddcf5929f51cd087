"""The index folder (``<instance>/search``): which Whoosh index is live, the dirty flag, the locks.

    search/
      CURRENT            name of the live index folder, replaced atomically by a rebuild
      DIRTY              present when the live index may lack changes (the reason inside)
      REBUILD            lock file: one process rebuilds at a time
      v1-20261121T093000-4f2a/    a Whoosh index (its own MAIN_WRITELOCK: one writer)

A rebuild writes a fresh index beside the live one and then points CURRENT at it, so readers in
other processes switch from one complete index to the other; the folder name carries the schema
version, so an index written by an older schema counts as missing and is rebuilt.
"""

from __future__ import annotations

import os
import secrets
import shutil
from datetime import datetime, timezone
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from agenda.errors import AgendaError
from agenda.search.documents import SCHEMA_VERSION, build_schema


class IndexUnavailable(AgendaError):
    """The search index is missing, outdated or damaged: listings fall back to SQL."""

    code = "search.unavailable"


class IndexBusy(AgendaError):
    """Another process holds the index's write lock."""

    code = "search.busy"


class IndexFolder:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.schema = build_schema()
        self._indexes: dict[str, whoosh_index.FileIndex] = {}

    # --- the live index ------------------------------------------------------------------

    def live_name(self) -> str | None:
        """The live index's folder name; None when there is none of this schema version."""
        try:
            name = (self.root / "CURRENT").read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        if not name.startswith(f"v{SCHEMA_VERSION}-") or not (self.root / name).is_dir():
            return None
        return name

    def open(self, name: str) -> whoosh_index.FileIndex:
        """The Whoosh index of folder ``name`` (opened once per process)."""
        ix = self._indexes.get(name)
        if ix is None:
            try:
                ix = whoosh_index.open_dir(str(self.root / name), schema=self.schema)
            except Exception as error:  # missing TOC, unreadable or damaged files
                raise IndexUnavailable(f"The search index {name} cannot be opened: {error!r}",
                                       code="search.damaged") from error
            self._indexes = {name: ix}
        return ix

    def forget(self) -> None:
        """Reopen the index at the next use."""
        self._indexes = {}

    def live(self) -> tuple[str, whoosh_index.FileIndex]:
        name = self.live_name()
        if name is None:
            raise IndexUnavailable("There is no search index yet.", code="search.missing")
        return name, self.open(name)

    def token(self) -> tuple[str, int]:
        """What identifies the live index's current content: (folder, Whoosh generation)."""
        name, ix = self.live()
        try:
            return name, ix.latest_generation()
        except OSError as error:
            raise IndexUnavailable(f"The search index {name} vanished.") from error

    # --- rebuilding ----------------------------------------------------------------------

    def create(self) -> tuple[str, whoosh_index.FileIndex]:
        """A new empty index folder, not live yet."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        name = f"v{SCHEMA_VERSION}-{stamp}-{secrets.token_hex(3)}"
        (self.root / name).mkdir(parents=True)
        return name, whoosh_index.create_in(str(self.root / name), self.schema)

    def publish(self, name: str) -> None:
        """Make ``name`` the live index (an atomic rename) and delete the other index folders."""
        temporary = self.root / f"CURRENT.{os.getpid()}.tmp"
        temporary.write_text(name + "\n", encoding="utf-8")
        os.replace(temporary, self.root / "CURRENT")
        for other in self.root.iterdir():
            if other.is_dir() and other.name != name:
                shutil.rmtree(other, ignore_errors=True)  # readers keep their open files

    def rebuild_lock(self):
        """The lock a rebuild holds (``acquire()`` without blocking returns False if taken)."""
        self.root.mkdir(parents=True, exist_ok=True)
        return FileStorage(str(self.root)).lock("REBUILD")

    # --- the dirty flag ------------------------------------------------------------------

    def mark_dirty(self, reason: str) -> None:
        """The live index may lack changes: the next catch-up compares it with the database."""
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "DIRTY").write_text(reason[:500] + "\n", encoding="utf-8")

    def is_dirty(self) -> bool:
        return (self.root / "DIRTY").exists()

    def clear_dirty(self) -> None:
        (self.root / "DIRTY").unlink(missing_ok=True)
