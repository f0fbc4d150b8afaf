"""Every seed README example synthesizes the same template as with the reference."""

from __future__ import annotations

import pytest

from examples.seed_examples import EXAMPLES, Example

from .harness import assert_same_template


@pytest.mark.conformance
@pytest.mark.parametrize("example", list(EXAMPLES.values()), ids=list(EXAMPLES))
def test_seed_example_matches_reference(example: Example) -> None:
    assert_same_template(example)
