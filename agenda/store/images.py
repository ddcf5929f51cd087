"""Proposal images on disk, under ``<instance>/images/``: one file per image, named by a random
token (nobody can guess the others' names), written atomically, never overwritten."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

FOLDER = "images"
_NAME = re.compile(r"[A-Za-z0-9_-]{20,64}\.webp")


def save_image(instance_path: Path, data: bytes, *, extension: str = "webp") -> str:
    """Store ``data``; its file name (which ``image_path`` finds again)."""
    folder = Path(instance_path) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(18)}.{extension}"
    partial = folder / f".{name}.part"
    partial.write_bytes(data)
    os.replace(partial, folder / name)
    return name


def image_path(instance_path: Path, name: str) -> Path | None:
    """The stored file called ``name``, or None (an unknown or malformed name)."""
    if not _NAME.fullmatch(name):
        return None
    path = Path(instance_path) / FOLDER / name
    return path if path.is_file() else None
