"""Every primitive through the one checker (``tests/checker.py``), over the spec table.

Example counts come from the Hypothesis profile (``tests/conftest.py``):
``HYPOTHESIS_PROFILE=thorough`` for a long run.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from fgrad.primitives import REGISTRY
from tests.checker import check_spec
from tests.specs import all_specs

SPECS = all_specs()
RULES = ("impl", "abstract_eval", "jvp", "vjp", "batch")


def _id(spec):
    return f"{spec.prim}-{spec.id}" if spec.id else spec.prim


@pytest.mark.parametrize("spec", SPECS, ids=[_id(s) for s in SPECS])
@settings(deadline=None)
@given(data=st.data())
def test_primitive(spec, data):
    args = data.draw(spec.args(), label="args")
    seed = data.draw(st.integers(0, 2 ** 32 - 1), label="direction seed")
    check_spec(spec, tuple(args), np.random.default_rng(seed))


def test_every_primitive_has_a_spec_row():
    covered = {s.prim for s in SPECS}
    missing = sorted(set(REGISTRY) - covered)
    assert not missing, f"primitives with no spec row in tests/specs: {', '.join(missing)}"


def test_every_spec_row_names_a_primitive():
    unknown = sorted({s.prim for s in SPECS} - set(REGISTRY))
    assert not unknown, f"spec rows naming no registered primitive: {', '.join(unknown)}"


def test_every_spec_row_has_a_reference_or_a_reason():
    bad = [_id(s) for s in SPECS if s.ref is None and not s.note]
    assert not bad, f"spec rows with neither a NumPy reference nor a note saying why: {bad}"


def test_every_primitive_has_every_rule():
    gaps = []
    for name, prim in REGISTRY.items():
        for rule in RULES:
            if getattr(prim, rule, None) is None and rule not in prim.missing:
                gaps.append(f"{name}.{rule}")
    assert not gaps, ("rules neither defined nor declared with not_implemented(): "
                      + ", ".join(gaps))


def test_nondiff_rows_match_the_registry():
    wrong = sorted({_id(s) for s in SPECS if s.prim in REGISTRY
                    and REGISTRY[s.prim].nondiff and not s.nondiff})
    assert not wrong, f"rows of nondiff primitives not marked nondiff: {wrong}"
