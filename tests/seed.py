"""One seed per test run, for every random choice the tests make.

ARK_TEST_SEED repeats a run: each test's random.Random and hypothesis (through --hypothesis-seed) are
seeded from it, and the header of every pytest run prints it. Without it a run draws a fresh seed, so
runs explore different cases, and a failure can still be repeated exactly from the printed line."""

from __future__ import annotations

import os
import random

RUN_SEED = int(os.environ.get("ARK_TEST_SEED") or random.SystemRandom().randrange(2**32))


def rng_for(name: str) -> random.Random:
    """A generator of its own for one test: the same run seed gives each test the same draws, whatever
    ran before it."""
    return random.Random(f"{RUN_SEED}:{name}")
