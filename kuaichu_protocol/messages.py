"""The wire protocol shared by the server, the seat app and the phone page.

This is the only code ``server`` and ``seat_app`` share. The phone page (plain JS)
mirrors the same names; docs/protocol.md describes every message with an example.

Three channels:

* **Phone WebSocket** ``/ws/phone/{party_token}`` (JSON text frames, each with ``type``).
* **Seat WebSocket** ``/ws/seat``; its first frame is ``{type: "auth", token: session_token}``
  (the token never goes in the URL).
* **Data channel** ``control`` inside the WebRTC call, phone <-> seat, created by the
  phone (the phone is always the offerer; the seat answers).

``case_id`` is always the case's integer id, the same number as in the REST paths
(``/api/cases/{case_id}``); the server also accepts a string of digits from a seat.
Any malformed frame (not JSON, not an object, unknown ``type``, wrong field types,
larger than the server's ``ws_max_message_bytes``) gets ``{type: "error", code, message}``
back and the socket stays open.
"""
from __future__ import annotations

from enum import StrEnum


class CaseState(StrEnum):
    """DESIGN.md §4. ``collecting -> interrupted`` is the one addition: a call can drop mid-collection."""

    QUEUED = "queued"
    IN_CALL = "in_call"
    COLLECTING = "collecting"
    ESCALATED = "escalated"
    AWAITING_LIABILITY = "awaiting_liability"
    DETERMINED = "determined"
    CLOSED = "closed"
    REVIEW_REQUESTED = "review_requested"
    REVIEWED = "reviewed"
    CLAIM_REPORTED = "claim_reported"
    ABANDONED = "abandoned"
    INTERRUPTED = "interrupted"


class Role(StrEnum):
    OPERATOR = "operator"
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


# --- phone WebSocket -----------------------------------------------------------
class PhoneMsg(StrEnum):
    """Phone -> server."""

    JOIN = "join"  # {consent: true} -> enter (or re-enter) the queue for the token's case
    LOCATION = "location"  # {lat, lon, accuracy}
    SAFETY = "safety"  # {ticks: {hazard_lights: bool, triangle: bool, off_carriageway: bool}}
    SIGNAL = "signal"  # {sdp: {type, sdp}} | {candidate: {...}} -> relayed to the seat
    EVENT = "event"  # {name, data}: a copy of a data-channel event for the case record
    LEAVE = "leave"  # the driver gave up waiting (queued -> abandoned) or hung up


class ToPhoneMsg(StrEnum):
    """Server -> phone."""

    QUEUE = "queue"  # {position, estimated_wait_s}: sent on join, then when either changes noticeably
    ANSWERED = "answered"  # {seat_name, ice_servers} -> the phone now makes its offer
    SIGNAL = "signal"  # {sdp} | {candidate} from the seat
    INSTRUCTION = "instruction"  # {text}: pushed by the server when the data channel is down
    STATE = "state"  # {state}: the case moved (e.g. escalated, determined)
    ENDED = "ended"  # {reason}
    ERROR = "error"  # {code, message}


# --- seat WebSocket ------------------------------------------------------------
class SeatMsg(StrEnum):
    """Seat -> server. Answering is REST (POST /api/cases/{id}/answer), not WebSocket."""

    SIGNAL = "signal"  # {case_id, sdp} | {case_id, candidate} -> relayed to the phone
    HANGUP = "hangup"  # {case_id, reason}
    AUTH = "auth"  # {token}: the first frame, and only the first; the session token never goes in the URL
    QUEUE_RESYNC = "queue_resync"  # {}: the seat saw a gap in queue_changes; the server answers with a full queue


class ToSeatMsg(StrEnum):
    """Server -> seat."""

    # {version, items: [{case_id, number, state, waiting_s, district, road, lat, lon, rejoining, preferred_seat,
    # phone_online}]} in answer order: the whole queue, on connect and after a queue_resync. A rejoining case is
    # shown only to its previous seat (preferred_seat: true) for the first REJOIN_RESERVE_S seconds
    # (server/services/queue_view.py), then to every seat, still first.
    QUEUE = "queue"
    # {version, since, added: [item], updated: [item], removed: [case_id]}: what changed in this seat's queue
    # since the frame whose version was ``since``. A seat whose version is not ``since`` missed a frame: it
    # sends queue_resync and waits for the next ``queue``. waiting_s alone never makes an update.
    QUEUE_CHANGES = "queue_changes"
    SIGNAL = "signal"  # {case_id, sdp} | {case_id, candidate} from the phone
    PHONE_LEFT = "phone_left"  # {case_id}: socket closed or peer failed -> case interrupted
    PHONE_REJOINED = "phone_rejoined"  # {case_id}: an interrupted case is back in the queue
    CASE_UPDATED = "case_updated"  # {case_id, what}: location, safety ticks, photo uploaded...
    # {case_id, number, holder_user_id, by_user_id}: a supervisor gave the case to another holder; the
    # previous holder's writes are refused from now on (to the previous and the new holder's seats).
    CASE_TAKEN_OVER = "case_taken_over"
    # To officer and admin seats: {items: [{case_id, number, submitted_at, waiting_s, district, parties,
    # officer_user_id, officer_name, sent_back}]}, the cases awaiting liability, oldest submitted first.
    OFFICER_QUEUE = "officer_queue"
    # To supervisor and admin seats: the dashboard's "now" figures (server/domain/metrics.py).
    NOW = "now"
    ERROR = "error"  # {code, message}


# --- data channel "control" (phone <-> seat) ------------------------------------
DATA_CHANNEL_LABEL = "control"


class Command(StrEnum):
    """Seat -> phone: {type: "cmd", id, name, args}. The phone replies {type: "reply", id, ok, result | error}."""

    SWITCH_CAMERA = "switch_camera"  # args {facing: "environment" | "user"} -> result {facing, width, height}
    TAKE_PHOTO = "take_photo"  # args {} -> result {evidence_id, sha256, width, height}
    TORCH = "torch"  # args {on: bool} -> result {on} | error "unsupported"
    SHOW_INSTRUCTION = "show_instruction"  # args {text} -> result {}
    END = "end"  # args {reason} -> result {}


class PhoneEvent(StrEnum):
    """Phone -> seat: {type: "event", name, data}."""

    CAMERA_SWITCHED = "camera_switched"  # {facing, width, height}
    PHOTO_UPLOADED = "photo_uploaded"  # {evidence_id, sha256, width, height}
    BATTERY = "battery"  # {level, charging}
    PAGE_HIDDEN = "page_hidden"  # {} the browser paused the camera
    PAGE_VISIBLE = "page_visible"  # {}
    NETWORK = "network"  # {rtt_ms, effective_type}


# Safety steps shown on the phone while waiting; keys are stored in Case.safety.
SAFETY_TICKS = ("hazard_lights", "triangle", "off_carriageway")
