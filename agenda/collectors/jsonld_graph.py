"""References inside a page's JSON-LD: Yoast and other graph writers give a node once, with
its ``@id``, and point to it elsewhere as ``{"@id": ...}`` (the event's place, its organiser,
its image, a place's address). Here those pointers are replaced by the nodes they name."""

from __future__ import annotations

_MAX_DEPTH = 12
_REFERRING = ("location", "organizer", "image", "address", "geo")


def node_index(documents: list) -> dict[str, dict]:
    """Every node of the page that has an ``@id`` and says more than its ``@id``, by ``@id``."""
    index: dict[str, dict] = {}
    pending = [(document, 0) for document in documents]
    while pending:
        value, depth = pending.pop()
        if depth > _MAX_DEPTH:
            continue
        if isinstance(value, list):
            pending += [(item, depth + 1) for item in value]
        elif isinstance(value, dict):
            node_id = value.get("@id")
            if isinstance(node_id, str) and len(value) > 1:
                index.setdefault(node_id, value)
            pending += [(item, depth + 1) for item in value.values()
                        if isinstance(item, (dict, list))]
    return index


def with_references(node: dict, index: dict[str, dict], depth: int = 0) -> dict:
    """``node`` with its place, organiser, image, address and geo pointers followed (a copy
    when one was followed; two levels deep: an event's place's address)."""
    if not index or depth > 1:
        return node
    changes = {key: _followed(node[key], index, depth) for key in _REFERRING if key in node}
    changes = {key: value for key, value in changes.items() if value is not node[key]}
    return {**node, **changes} if changes else node


def _followed(value, index: dict[str, dict], depth: int):
    if isinstance(value, list):
        items = [_followed(item, index, depth) for item in value[:20]]
        return items if any(a is not b for a, b in zip(items, value)) else value
    if not isinstance(value, dict):
        return value
    target = value
    if len(value) == 1 and isinstance(value.get("@id"), str):
        target = index.get(value["@id"], value)
    return with_references(target, index, depth + 1)
