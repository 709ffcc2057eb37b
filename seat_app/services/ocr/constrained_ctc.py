"""Decode the recogniser's per-frame probabilities against a fixed-shape grammar.

The recogniser knows 6,600 characters and no plate rules, so on a worn plate it may
say 'O' where only a digit can stand, or add a stray mark at the edge. Correcting the
greedy string afterwards guesses; decoding here does not: it finds the best CTC path
whose characters fit one of the grammar's templates (one allowed set per position),
using the probabilities the model actually gave each candidate at each frame. A '0'
the model rated 30% beats an 'O' it rated 60% only where the grammar forbids 'O'.

Pure numpy; no OCR state. A template is a tuple of strings, one per position.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

NEG = -1e9
SEPARATOR_CHARS = "·•.-:' "  # printed between plate characters; they count as 'no character'


@dataclass(frozen=True)
class Decoded:
    text: str
    template: str
    score: float  # log-probability of the best path, plus the template's prior
    char_probs: tuple[float, ...]  # the best probability each character reached on its frames
    frames: tuple[tuple[int, int], ...]  # first and last frame of each character


class TemplateDecoder:
    """Best-path CTC decoding restricted to a set of named templates, all decoded at once."""

    def __init__(self, templates: dict[str, tuple[str, ...]], charset: list[str]) -> None:
        index = {ch: i for i, ch in enumerate(charset)}
        self.names = list(templates)
        self.lengths = np.array([len(t) for t in templates.values()])
        width = max(len(allowed) for t in templates.values() for allowed in t)
        positions = int(self.lengths.max())
        self.ids = np.zeros((len(templates), positions, width), np.int64)
        self.valid = np.zeros(self.ids.shape, bool)
        for n, template in enumerate(templates.values()):
            for k, allowed in enumerate(template):
                ids = [index[ch] for ch in allowed if ch in index]
                self.ids[n, k, : len(ids)] = ids
                self.valid[n, k, : len(ids)] = True
        self.separator_ids = [index[ch] for ch in SEPARATOR_CHARS if ch in index]
        self.charset = charset

    def decode(self, probs: np.ndarray, priors: dict[str, float] | None = None) -> list[Decoded]:
        """Every template's best reading of ``probs`` (frames x charset), best first."""
        return list(self.best_first(probs, priors))

    def best_first(self, probs: np.ndarray, priors: dict[str, float] | None = None) -> Iterator[Decoded]:
        """The templates' best readings, best first, each traced back only when asked for: the
        forward pass scores every template at once, and tracing one back is what costs."""
        blank = np.log(probs[:, 0] + probs[:, self.separator_ids].sum(axis=1) + 1e-12)
        emit = np.where(self.valid[None], np.log(probs[:, self.ids] + 1e-12), NEG)  # (T, N, K, W)
        history = self._forward(emit, blank)
        chars, blanks = history[-1]
        priors = priors or {}
        ranked = []
        for n, name in enumerate(self.names):
            length = int(self.lengths[n])
            end = max(chars[n, length - 1].max(), blanks[n, length])
            ranked.append((float(end) + priors.get(name, 0.0), n, name))
        for _, n, name in sorted(ranked, key=lambda r: (-r[0], r[1])):
            decoded = self._backtrack(n, name, history, probs, priors.get(name, 0.0))
            if decoded is not None:
                yield decoded

    def _forward(self, emit: np.ndarray, blank: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Viterbi scores at every frame: (chars[n, k, j], blanks[n, k]) where blanks[:, k] is the
        gap after k characters. Kept whole, so backtracking can recompute each choice."""
        frames, count, positions, width = emit.shape
        chars = np.full((count, positions, width), NEG)
        chars[:, 0] = emit[0, :, 0]
        blanks = np.full((count, positions + 1), NEG)
        blanks[:, 0] = blank[0]
        history = [(chars, blanks)]
        for t in range(1, frames):
            best = chars.max(axis=2)
            new_blanks = np.empty_like(blanks)
            new_blanks[:, 0] = blanks[:, 0] + blank[t]
            new_blanks[:, 1:] = np.maximum(blanks[:, 1:], best) + blank[t]
            arrive = np.maximum(chars, blanks[:, :-1, None])
            arrive[:, 1:] = np.maximum(arrive[:, 1:], self._from_previous_char(chars, best))
            chars, blanks = arrive + emit[t], new_blanks
            history.append((chars, blanks))
        return history

    def _from_previous_char(self, chars: np.ndarray, best: np.ndarray) -> np.ndarray:
        """Score of arriving at position k (k >= 1) straight from a *different* character at k-1."""
        best_j = chars.argmax(axis=2)
        second = np.partition(chars, -2, axis=2)[..., -2]
        best_char = np.take_along_axis(self.ids, best_j[..., None], axis=2)[..., 0]
        same = self.ids[:, 1:] == best_char[:, :-1, None]
        return np.where(same, second[:, :-1, None], best[:, :-1, None])

    def _backtrack(self, n: int, name: str, history, probs: np.ndarray, prior: float) -> Decoded | None:
        length = int(self.lengths[n])
        chars, blanks = history[-1]
        j_end = int(chars[n, length - 1].argmax())
        score = max(chars[n, length - 1, j_end], blanks[n, length])
        if score <= NEG / 2:
            return None
        state = (length - 1, j_end) if chars[n, length - 1, j_end] > blanks[n, length] else ("gap", length)
        picked: list[list] = [[None, None, None] for _ in range(length)]  # j, first frame, last frame
        for t in range(len(history) - 1, -1, -1):
            state = self._previous(n, state, t, history, picked)
        if any(p[0] is None for p in picked):
            return None
        return self._decoded(n, name, picked, probs, float(score) + prior)

    def _previous(self, n, state, t, history, picked):
        """Record the state at frame ``t`` and return the state it came from at ``t - 1``."""
        if state[0] == "gap":
            k = state[1]
            if t == 0 or k == 0:
                return state
            chars, blanks = history[t - 1]
            j = int(chars[n, k - 1].argmax())
            return (k - 1, j) if chars[n, k - 1, j] > blanks[n, k] else state
        k, j = state
        slot = picked[k]
        slot[0], slot[1] = j, t
        if slot[2] is None:
            slot[2] = t
        if t == 0:
            return state
        chars, blanks = history[t - 1]
        stay, from_gap = chars[n, k, j], blanks[n, k]
        prev_j = self._best_other(n, k - 1, j, chars) if k > 0 else None
        from_prev = chars[n, k - 1, prev_j] if prev_j is not None else NEG
        if stay >= from_gap and stay >= from_prev:
            return state
        return ("gap", k) if from_gap >= from_prev else (k - 1, prev_j)

    def _best_other(self, n: int, k: int, j_next: int, chars: np.ndarray) -> int:
        """The best character at position k that differs from character j_next of position k+1."""
        row = chars[n, k].copy()
        row[self.ids[n, k] == self.ids[n, k + 1, j_next]] = NEG
        return int(row.argmax())

    def _decoded(self, n, name, picked, probs, score) -> Decoded:
        text, char_probs, frames = [], [], []
        for k, (j, first, last) in enumerate(picked):
            char_id = int(self.ids[n, k, j])
            text.append(self.charset[char_id])
            char_probs.append(float(probs[first:last + 1, char_id].max()))
            frames.append((first, last))
        return Decoded("".join(text), name, score, tuple(char_probs), tuple(frames))
