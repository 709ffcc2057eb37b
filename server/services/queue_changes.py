"""What a seat is sent of the queue after its first whole one: the changes, and when a phone's place goes out.

The hub (hub.py) keeps a SeatQueueState per seat socket; docs/protocol.md has the frames
(``queue``, ``queue_changes``, ``queue_resync``).
"""
from __future__ import annotations

from kuaichu_protocol.messages import ToSeatMsg
from server.services.hub_sockets import SharedMessage

#: A phone gets a new estimate when it moved by at least this share of the last one sent (and 30 s).
ESTIMATE_RESEND_SHARE = 0.2
ESTIMATE_RESEND_MIN_S = 30


class SeatQueueState:
    """What one seat socket was last sent: the version, and its seat-specific items (None: send it all)."""

    __slots__ = ("version", "specific")

    def __init__(self) -> None:
        self.version: int | None = None
        self.specific: dict[int, dict] = {}


NO_CHANGE: tuple[list, list, list] = ([], [], [])


def _same(a: dict, b: dict) -> bool:
    """Equal but for waiting_s, which the seat counts on by itself."""
    return all(a[k] == b.get(k) for k in a if k != "waiting_s") and len(a) == len(b)


def diff(before: dict[int, dict], after: dict[int, dict]) -> tuple[list, list, list]:
    """(added items, updated items, removed case ids) from one view of the queue to the next."""
    added = [item for cid, item in after.items() if cid not in before]
    updated = [item for cid, item in after.items() if cid in before and not _same(before[cid], item)]
    removed = [cid for cid in before if cid not in after]
    return added, updated, removed


def merge(shared: tuple[list, list, list], own: tuple[list, list, list]) -> tuple[list, list, list]:
    """One seat's changes: the shared ones and its own. A case that moved between the two (it left the
    queue and came back rejoining within one push) is one update, never a removal and an addition."""
    added, updated = shared[0] + own[0], shared[1] + own[1]
    removed = set(shared[2]) | set(own[2])
    back = {item["case_id"] for item in added} & removed
    return ([i for i in added if i["case_id"] not in back], updated + [i for i in added if i["case_id"] in back],
            [cid for cid in [*shared[2], *own[2]] if cid not in back])


def changes_frame(version: int, since: int, change: tuple[list, list, list]) -> SharedMessage:
    added, updated, removed = change
    return SharedMessage(type=ToSeatMsg.QUEUE_CHANGES, version=version, since=since, added=added,
                         updated=updated, removed=removed)


def worth_sending(last: dict | None, place: dict) -> bool:
    """A phone's place goes out when it is new, its position moved, or its estimate moved noticeably."""
    if last is None or last["position"] != place["position"]:
        return True
    before, now = last["estimated_wait_s"], place["estimated_wait_s"]
    return abs(now - before) >= max(ESTIMATE_RESEND_MIN_S, ESTIMATE_RESEND_SHARE * before)
