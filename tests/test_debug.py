"""fgrad.debug.print / callback: run-time values under jit, vmap and grad (as jax.debug)."""
import numpy as np

import fgrad
import fgrad.numpy as fnp


def test_eager(capsys):
    fgrad.debug.print("a={} b={b}", fnp.asarray([1.0, 2.0]), b=3)
    assert capsys.readouterr().out == "a=[1. 2.] b=3\n"


def test_jit_prints_at_run_time_every_call(capsys):
    traces = []

    def f(x):
        traces.append(1)
        fgrad.debug.print("x={}", x)
        fgrad.debug.print("const={}", fnp.asarray(7.0))   # constant inputs: not folded
        fgrad.debug.print("x={}", x)                      # an identical print: not merged
        return x * 2

    jf = fgrad.jit(f)
    jaxpr = str(fgrad.make_jaxpr(f)(fnp.asarray(0.0)))
    assert "debug_callback" in jaxpr
    capsys.readouterr()
    for v in (1.0, 2.0):
        assert float(jf(fnp.asarray(v))) == 2 * v
    assert capsys.readouterr().out == "x=1.0\nconst=7.0\nx=1.0\nx=2.0\nconst=7.0\nx=2.0\n"
    assert len(traces) == 2          # make_jaxpr + one jit trace, not one per call


def test_vmap_prints_the_batch_and_grad_prints_primals(capsys):
    x = fnp.asarray(np.arange(6.0).reshape(2, 3))
    out = fgrad.vmap(lambda r: (fgrad.debug.print("{}", r), fnp.sum(r))[1], in_axes=1)(x)
    assert out.tolist() == [3.0, 5.0, 7.0]
    assert capsys.readouterr().out == str(np.arange(6.0).reshape(2, 3).T) + "\n"

    def f(x):
        fgrad.debug.print("x={}", x)
        return x ** 3
    assert float(fgrad.grad(f)(2.0)) == 12.0
    assert float(fgrad.grad(fgrad.grad(f))(2.0)) == 12.0
    assert fgrad.jvp(f, (fnp.asarray(2.0),), (fnp.asarray(1.0),))[1].tolist() == 12.0
    assert float(fgrad.jit(fgrad.grad(f))(2.0)) == 12.0
    assert capsys.readouterr().out == "x=2.0\n" * 4


def test_callback_pytrees_and_no_arrays(capsys):
    seen = []
    fgrad.debug.callback(lambda t, k=None: seen.append((t["a"].tolist(), k)),
                         {"a": fnp.ones(2)}, k="s")
    assert seen == [([1.0, 1.0], "s")]
    jf = fgrad.jit(lambda x: (fgrad.debug.print("hello"), x + 1)[1])
    jf(fnp.asarray(1.0))
    jf(fnp.asarray(1.0))
    assert capsys.readouterr().out == "hello\nhello\n"
