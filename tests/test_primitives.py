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


DIFF_SPECS = [s for s in SPECS if not s.nondiff]


@pytest.mark.parametrize("spec", DIFF_SPECS, ids=[_id(s) for s in DIFF_SPECS])
@settings(deadline=None, max_examples=3)
@given(data=st.data())
def test_float32_derivatives_stay_float32(spec, data):
    """A float32 primitive's JVP and VJP programs hold no float64 value: an f64 step
    (say a mask built from Python floats) costs time on every backend, and on most
    GPUs a 32x slower unit."""
    import fgrad
    import fgrad.numpy as fnp
    from tests.checker import _diff_argnums, _fn_of_diff

    args = [np.asarray(a) for a in data.draw(spec.args(), label="args")]
    args = [a.astype(np.float32) if a.dtype == np.float64 else a for a in args]
    arrays = [fnp.asarray(a) for a in args]
    dnums = _diff_argnums(spec, args)
    f = _fn_of_diff(spec, arrays, dnums)
    primals = [arrays[i] for i in dnums]
    try:
        with np.errstate(all="ignore"):     # float32 rounding may leave the domain's interior
            outs = f(*primals)
    except (ValueError, TypeError, np.linalg.LinAlgError):
        return                     # not defined for these float32 values
    if not dnums or any(o.dtype != np.float32 for o in outs):
        return                     # float64 by definition (a conversion row, say)

    def pullback(*xs):
        out, vjp_fn = fgrad.vjp(f, *xs)
        return vjp_fn(tuple(fnp.ones_like(o) for o in out))

    def pushforward(*xs):
        return fgrad.jvp(f, tuple(xs), tuple(fnp.ones_like(x) for x in xs))

    for name, g in (("vjp", pullback), ("jvp", pushforward)):
        with np.errstate(all="ignore"):
            program = str(fgrad.make_jaxpr(g)(*primals))
        assert "f64[" not in program and "c128[" not in program, f"{name}:\n{program}"
