"""The leak tests' canary search finds exactly what a plain substring loop finds."""

from __future__ import annotations

import random

from tests.conftest import found_in


def test_same_as_the_plain_loop() -> None:
    rng = random.Random(7)
    alphabet = "abcdeé 0123456789/-."
    text = "".join(rng.choice(alphabet) for _ in range(20_000))
    inside = [text[i : i + n] for i, n in ((0, 9), (19_990, 10), (5_000, 6), (7_777, 31))]
    outside = ["".join(rng.choice(alphabet) for _ in range(12)) for _ in range(300)]
    canaries = [*inside, *outside, "ab", "zzzzzzzzzz"]
    assert found_in(text, canaries) == [c for c in canaries if c in text]
    assert set(inside) <= set(found_in(text, canaries))
    assert found_in("", canaries) == []
    assert found_in(text, []) == []
