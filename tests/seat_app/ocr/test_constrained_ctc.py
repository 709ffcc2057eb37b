"""The grammar decoder on hand-made probability tables: it must pick what the model saw where
the grammar allows it, and only fall back to a lower-rated character where it does not."""
from __future__ import annotations

import numpy as np
import pytest

from seat_app.services.ocr.constrained_ctc import TemplateDecoder

CHARSET = ["blank", "A", "B", "O", "0", "1", "I", "·", "X"]
TEMPLATES = {"two_letters_digit": ("AB", "AB", "01"), "letter_two_digits": ("AB", "01", "01")}


def table(frames: list[dict[str, float]]) -> np.ndarray:
    """One row per frame; unnamed probability mass goes to blank."""
    probs = np.full((len(frames), len(CHARSET)), 1e-4)
    for row, frame in zip(probs, frames):
        for ch, p in frame.items():
            row[CHARSET.index(ch)] = p
        row[0] = max(1e-4, 1 - sum(frame.values()))
    return probs / probs.sum(axis=1, keepdims=True)


@pytest.fixture
def decoder() -> TemplateDecoder:
    return TemplateDecoder(TEMPLATES, CHARSET)


def test_reads_what_the_model_saw_when_it_fits(decoder):
    probs = table([{"A": 0.9}, {}, {"B": 0.9}, {}, {"1": 0.9}, {}])
    best = decoder.decode(probs)[0]
    assert (best.text, best.template) == ("AB1", "two_letters_digit")
    assert min(best.char_probs) > 0.85


def test_grammar_turns_a_letter_o_into_zero_only_where_a_digit_must_stand(decoder):
    probs = table([{"A": 0.9}, {}, {"O": 0.6, "0": 0.3}, {}, {"1": 0.9}, {}])
    best = decoder.decode(probs)[0]
    assert best.text == "A01"
    assert best.char_probs[1] == pytest.approx(0.3, abs=0.02)  # honest: the probability 0 really had


def test_repeated_character_needs_a_blank_between(decoder):
    """'AA' is two characters only with a gap between them; one run of A is one A."""
    run = table([{"A": 0.95}, {"A": 0.95}, {}, {"1": 0.9}, {}])
    assert decoder.decode(run)[0].text != "AA1"
    gapped = table([{"A": 0.95}, {}, {"A": 0.95}, {}, {"1": 0.9}, {}])
    assert decoder.decode(gapped)[0].text == "AA1"


def test_separator_dot_counts_as_no_character(decoder):
    probs = table([{"A": 0.9}, {"·": 0.9}, {"B": 0.9}, {}, {"1": 0.9}])
    assert decoder.decode(probs)[0].text == "AB1"


def test_a_prior_can_tip_a_doubtful_template_but_not_a_clear_one(decoder):
    doubtful = table([{"A": 0.9}, {}, {"B": 0.5, "0": 0.45}, {}, {"1": 0.9}])
    assert decoder.decode(doubtful)[0].template == "two_letters_digit"
    tipped = decoder.decode(doubtful, {"two_letters_digit": -2.0})[0]
    assert tipped.template == "letter_two_digits"
    clear = table([{"A": 0.95}, {}, {"B": 0.97}, {}, {"1": 0.95}])
    assert decoder.decode(clear, {"two_letters_digit": -2.0})[0].text == "AB1"


def test_every_template_is_reported_best_first(decoder):
    probs = table([{"A": 0.9}, {}, {"B": 0.9}, {}, {"1": 0.9}])
    results = decoder.decode(probs)
    assert [r.template for r in results] == ["two_letters_digit", "letter_two_digits"]
    assert results[0].score > results[1].score


def test_too_few_frames_for_the_template_gives_nothing(decoder):
    assert decoder.decode(table([{"A": 0.9}, {"1": 0.9}])) == []


def test_readings_traced_back_lazily_come_in_the_order_of_their_scores(decoder):
    """best_first traces a template back only when asked for; the order is still that of the scores."""
    rng = np.random.default_rng(7)
    for _ in range(50):
        probs = rng.dirichlet(np.full(len(CHARSET), 0.3), size=int(rng.integers(3, 9)))
        lazy = decoder.best_first(probs, {"letter_two_digits": float(rng.normal())})
        scores = [d.score for d in lazy]
        assert scores == sorted(scores, reverse=True)
        assert len(scores) == len(decoder.decode(probs, {"letter_two_digits": 0.0}))
