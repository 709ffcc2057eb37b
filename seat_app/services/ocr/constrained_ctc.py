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
        blank = np.log(probs[:, 0] + probs[:, self.separator_ids].sum(axis=1) + 1e-12)
        emit = np.where(self.valid[None], np.log(probs[:, self.ids] + 1e-12), NEG)  # (T, N, K, W)
        trace = self._forward(emit, blank)
        decoded = []
        for n, name in enumerate(self.names):
            prior = (priors or {}).get(name, 0.0)
            decoded.append(self._backtrack(n, name, trace, probs, prior))
        return sorted((d for d in decoded if d is not None), key=lambda d: d.score, reverse=True)

    def _forward(self, emit: np.ndarray, blank: np.ndarray) -> dict:
        frames, count, positions, width = emit.shape
        chars = np.full((count, positions, width), NEG)
        chars[:, 0] = emit[0, :, 0]
        blanks = np.full((count, positions + 1), NEG)  # blanks[:, k]: in a gap after k characters
        blanks[:, 0] = blank[0]
        steps = []
        for t in range(1, frames):
            chars, blanks, step = self._step(chars, blanks, emit[t], blank[t])
            steps.append(step)
        return {"chars": chars, "blanks": blanks, "steps": steps}

    def _step(self, chars: np.ndarray, blanks: np.ndarray, emit_t: np.ndarray, blank_t: float):
        best_j = chars.argmax(axis=2)
        best = np.take_along_axis(chars, best_j[..., None], axis=2)[..., 0]
        new_blanks = np.empty_like(blanks)
        new_blanks[:, 0] = blanks[:, 0] + blank_t
        blank_from_char = best > blanks[:, 1:]
        new_blanks[:, 1:] = np.where(blank_from_char, best, blanks[:, 1:]) + blank_t
        from_prev, prev_j = self._from_previous_char(chars, best, best_j)
        options = np.stack([chars, np.broadcast_to(blanks[:, :-1, None], chars.shape), from_prev])
        choice = options.argmax(axis=0)
        new_chars = np.take_along_axis(options, choice[None], axis=0)[0] + emit_t
        step = (choice.astype(np.int8), prev_j, blank_from_char, best_j)
        return new_chars, new_blanks, step

    def _from_previous_char(self, chars, best, best_j):
        """Score of arriving at position k straight from a *different* character at k-1."""
        count, positions, width = chars.shape
        second = np.where(np.arange(width)[None, None] == best_j[..., None], NEG, chars)
        second_j = second.argmax(axis=2)
        second_best = np.take_along_axis(second, second_j[..., None], axis=2)[..., 0]
        best_char = np.take_along_axis(self.ids, best_j[..., None], axis=2)[..., 0]
        same = self.ids[:, 1:] == best_char[:, :-1, None]
        from_prev = np.full(chars.shape, NEG)
        from_prev[:, 1:] = np.where(same, second_best[:, :-1, None], best[:, :-1, None])
        prev_j = np.zeros(chars.shape, np.int64)
        prev_j[:, 1:] = np.where(same, second_j[:, :-1, None], best_j[:, :-1, None])
        return from_prev, prev_j

    def _backtrack(self, n: int, name: str, trace: dict, probs: np.ndarray, prior: float) -> Decoded | None:
        length = int(self.lengths[n])
        chars, blanks = trace["chars"][n], trace["blanks"][n]
        j_end = int(chars[length - 1].argmax())
        in_char = chars[length - 1, j_end] > blanks[length]
        score = max(chars[length - 1, j_end], blanks[length])
        if score <= NEG / 2:
            return None
        state = (length - 1, j_end) if in_char else ("gap", length)
        picked: list[list] = [[None, None, None] for _ in range(length)]  # j, first frame, last frame
        for t in range(len(trace["steps"]), -1, -1):
            state = self._visit(n, state, t, trace, picked)
        if any(p[0] is None for p in picked):
            return None
        return self._decoded(n, name, picked, probs, float(score) + prior)

    def _visit(self, n, state, t, trace, picked):
        """Record the state at frame ``t`` and move to the state at ``t - 1``."""
        steps = trace["steps"]
        if state[0] == "gap":
            k = state[1]
            if t == 0 or k == 0:
                return state
            _, _, blank_from_char, best_j = steps[t - 1]
            return (k - 1, int(best_j[n, k - 1])) if blank_from_char[n, k - 1] else state
        k, j = state
        slot = picked[k]
        slot[0], slot[1] = j, t
        if slot[2] is None:
            slot[2] = t
        if t == 0:
            return state
        choice, prev_j, _, _ = steps[t - 1]
        move = choice[n, k, j]
        if move == 0:
            return state
        if move == 1:
            return ("gap", k)
        return (k - 1, int(prev_j[n, k, j]))

    def _decoded(self, n, name, picked, probs, score) -> Decoded:
        text, char_probs, frames = [], [], []
        for k, (j, first, last) in enumerate(picked):
            char_id = int(self.ids[n, k, j])
            text.append(self.charset[char_id])
            char_probs.append(float(probs[first:last + 1, char_id].max()))
            frames.append((first, last))
        return Decoded("".join(text), name, score, tuple(char_probs), tuple(frames))
