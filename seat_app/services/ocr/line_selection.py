"""Choose which of a card's lines to recognise in full, from a cheap look at where each begins.

Recognition time grows with the width of what is read, and half a licence is text no
field needs: the title, the address, the stamp. Every line that carries a field begins
with its printed label, so the first three characters of each line are read first, small
(32 px high, about a third of the cost of full size; 99% of labels still come out right).
Then only the lines whose label a wanted field uses, and the values printed beside them,
are read in full. If a wanted field is still missing, the caller reads the rest.
"""
from __future__ import annotations

import numpy as np

from .engine import REC_HEIGHT_SMALL, OcrEngine
from .field_rules import ALL_LABELS, REQUIRED, RULES
from .geometry import quad_size
from .plate_locator import cut_out
from .results import DocumentKind

HEAD_HEIGHT = REC_HEIGHT_SMALL  # px given to the recogniser for a line's beginning
HEAD_SPAN = 2.4  # line heights from a line's left end: the detector's margin and three characters
HEAD_CHARS = 3
TAIL = 16


def read_heads(engine: OcrEngine, image: np.ndarray, quads: list[np.ndarray]) -> list[str]:
    """The text at the start of each line, read small."""
    crops = [cut_out(image, _head(quad), (0.0, 0.0)) for quad in quads]
    return [r.text for r in engine.recognise(crops, TAIL, HEAD_HEIGHT)]


def _head(quad: np.ndarray) -> np.ndarray:
    width, height = quad_size(quad)
    share = min(1.0, HEAD_SPAN * height / max(width, 1e-6))
    head = quad.astype(np.float32).copy()
    head[1] = quad[0] + (quad[1] - quad[0]) * share
    head[2] = quad[3] + (quad[2] - quad[3]) * share
    return head


def _prefix(label: str) -> str:
    return label[:HEAD_CHARS]


def _labels_of(kind: DocumentKind, names: tuple[str, ...] | None = None) -> set[str]:
    return {_prefix(label) for rule in RULES[kind] if names is None or rule.name in names for label in rule.labels}


def kind_from_heads(heads: list[str]) -> DocumentKind:
    """The kind whose own labels (not shared with another kind) begin the most lines."""
    scores = {}
    for kind in RULES:
        others = set().union(*(_labels_of(k) for k in RULES if k != kind))
        own = _labels_of(kind) - others
        scores[kind] = sum(any(p in head for p in own) for head in heads)
    kind, score = max(scores.items(), key=lambda item: item[1])
    tied = sum(s == score for s in scores.values()) > 1
    return kind if score >= 2 and not tied else DocumentKind.UNKNOWN


def wanted_lines(kind: DocumentKind, quads: list[np.ndarray], heads: list[str]) -> list[int]:
    """Indices of the lines that begin with a label a required field uses, and of the lines
    printed just right of those (values the detector split from their labels)."""
    labels = _labels_of(kind, REQUIRED[kind])
    chosen = [i for i, head in enumerate(heads) if any(p in head for p in labels)]
    # A line beginning with any printed label (性别, 发证日期...) holds its own field, not a split-off value.
    beside = {j for i in chosen for j in _beside(i, quads) if not _has_label(heads[j])}
    return sorted(set(chosen) | beside)


def unlabelled_lines(heads: list[str], read: list[int]) -> list[int]:
    """Indices of the lines not in ``read`` whose beginning holds no printed label: where a
    wanted label misread in its head hides. A line beginning with another label holds that field."""
    return [i for i, head in enumerate(heads) if i not in read and not _has_label(head)]


def _has_label(head: str) -> bool:
    return any(_prefix(label) in head for label in ALL_LABELS)


def _beside(index: int, quads: list[np.ndarray]) -> list[int]:
    """Lines on the same row as line ``index``, starting within six line heights of its end."""
    box = quads[index].astype(float)
    along = (box[1] - box[0]) + (box[2] - box[3])
    along /= max(np.linalg.norm(along), 1e-6)
    across = np.array([-along[1], along[0]])
    centre = box.mean(axis=0)
    height = float(np.linalg.norm(box[3] - box[0]))
    end = float(np.max((box - centre) @ along))
    found = []
    for j, other in enumerate(quads):
        gap = float(np.min((other - centre) @ along)) - end
        drift = abs(float((other.mean(axis=0) - centre) @ across))
        if j != index and drift < 0.5 * height and -height < gap < 6 * height:
            found.append(j)
    return found
