"""``fgrad.distributed``, ``DistributedDataParallel`` and ``DistributedSampler``.

The multi-process checks are scripts in ``tests/distributed/`` run under ``mpiexec -n 2``
(and ``-n 3``: uneven splits) in a subprocess with a timeout, so a hung process fails the
test instead of hanging it. The rest runs in this process, which never initializes MPI.
"""
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import fgrad
import fgrad.distributed as dist
from fgrad.nn.parallel import DistributedDataParallel as DDP
from fgrad.utils.data.distributed import DistributedSampler

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "tests" / "distributed"
HAS_MPI = importlib.util.find_spec("mpi4py") is not None
MPIEXEC = next((str(p) for p in (Path(sys.executable).parent / "mpiexec",) if p.exists()),
               shutil.which("mpiexec"))
needs_mpi = pytest.mark.skipif(not (HAS_MPI and MPIEXEC),
                               reason="mpi4py and mpiexec are not installed "
                                      "(pip install 'fgrad[mpi]')")
TIMEOUT = 60


def mpiexec(n: int, script: str, timeout: float = TIMEOUT):
    """Run ``tests/distributed/<script>`` on ``n`` processes; kill the whole job on timeout."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1",
               CUDA_VISIBLE_DEVICES=os.environ.get("CUDA_VISIBLE_DEVICES", ""))
    if script != "nccl.py":
        env["CUDA_VISIBLE_DEVICES"] = ""
    proc = subprocess.Popen([MPIEXEC, "-n", str(n), sys.executable, str(SCRIPTS / script)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=ROOT, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"mpiexec -n {n} {script} hung for {timeout} s:\n{out[-2000:]}\n"
                    f"{err[-4000:]}")
    return proc.returncode, out, err


@needs_mpi
@pytest.mark.parametrize("n", [2, 3])
def test_collectives_on_n_processes(n):
    rc, out, err = mpiexec(n, "collectives.py")
    assert rc == 0, f"{out[-2000:]}\n{err[-4000:]}"
    assert out.count("collectives ok") == n, out


@needs_mpi
def test_ddp_matches_one_process_on_the_whole_batch():
    rc, out, err = mpiexec(2, "ddp.py")
    assert rc == 0, f"{out[-2000:]}\n{err[-4000:]}"
    assert out.count("ddp ok") == 2, out


@needs_mpi
def test_a_failing_rank_ends_the_job_with_its_error():
    rc, out, err = mpiexec(2, "abort.py", timeout=30)
    assert rc != 0
    assert "ValueError: boom on purpose in rank 1" in err, err[-3000:]
    assert "rank 1 of 2 raised ValueError; aborting the job" in err, err[-3000:]
    assert "should never have finished" not in out


@needs_mpi
@pytest.mark.skipif(not fgrad.cuda.is_available(),
                    reason="the 'nccl' backend needs CuPy and a CUDA GPU (none here)")
def test_nccl_backend():
    n = fgrad.cuda.device_count()
    rc, out, err = mpiexec(n, "nccl.py")
    assert rc == 0, f"{out[-2000:]}\n{err[-4000:]}"
    assert out.count("nccl ok") == n, out


# ---------------------------------------------------------------- in this process ---
NOT_INIT = "Default process group has not been initialized, please make sure to call " \
           "init_process_group."


@pytest.mark.parametrize("call", [
    lambda: dist.get_rank(), lambda: dist.get_world_size(), lambda: dist.barrier(),
    lambda: dist.all_reduce(fgrad.ones(2)), lambda: dist.broadcast(fgrad.ones(2), 0),
    lambda: dist.all_reduce({"a": np.ones(2)}, op="mean"),
    lambda: DDP(fgrad.nn.Linear(2, 2)), lambda: DistributedSampler(range(4)),
    lambda: dist.destroy_process_group()])
def test_use_before_init_raises_pytorchs_error(call):
    assert not dist.is_initialized()
    with pytest.raises(ValueError, match="^" + NOT_INIT.replace(".", r"\.") + "$"):
        call()


def test_import_does_not_start_mpi():
    code = "import sys, fgrad, fgrad.distributed; print('mpi4py.MPI' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_missing_mpi4py_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "mpi4py", None)      # import mpi4py now fails
    monkeypatch.setitem(sys.modules, "mpi4py.MPI", None)
    with pytest.raises(RuntimeError, match=r"pip install 'fgrad\[mpi\]'"):
        dist.init_process_group("mpi")
    assert not dist.is_initialized()


def test_bad_backend_and_op():
    with pytest.raises(ValueError, match="Invalid backend"):
        dist.init_process_group("carrier-pigeon")
    with pytest.raises(ValueError, match="unknown reduction op"):
        dist.all_reduce(np.ones(2), op="median", group=dist.local_group())


def test_functional_collectives_on_one_process_world():
    g = dist.local_group()
    x = fgrad.numpy.asarray([[1.0, 2.0], [3.0, 4.0]])
    tree = {"a": x, "b": (x.astype(np.float32), None)}
    out = dist.all_reduce(tree, op=dist.ReduceOp.AVG, group=g)
    assert out["b"][1] is None and out["b"][0].dtype == np.float32
    np.testing.assert_array_equal(out["a"], x)
    assert dist.all_gather(x, group=g).shape == (1, 2, 2)
    assert dist.all_gather(x, group=g, tiled=True).shape == (2, 2)
    with pytest.raises(TypeError, match="floating-point"):
        dist.all_reduce(fgrad.numpy.arange(3), op="mean", group=g)
    # on facade tensors inside a pytree: a new tensor, recorded by autograd
    t = fgrad.tensor([1.0, 2.0], requires_grad=True)
    (s,) = dist.all_reduce([t * t], group=g)
    s.sum().backward()
    assert t.grad.tolist() == [2.0, 4.0]
    f = fgrad.jit(lambda x: dist.all_reduce(x * 2.0, op="max", group=g))
    np.testing.assert_array_equal(f(x), 2 * np.asarray(x))
    assert "all_reduce[op='max'" in str(fgrad.make_jaxpr(f)(x))


# ----------------------------------------------------------------------- sampler ---
@pytest.mark.parametrize("size", [0, 1, 7, 10, 12])
@pytest.mark.parametrize("replicas", [1, 2, 3, 5])
@pytest.mark.parametrize("drop_last", [False, True])
def test_sampler_without_shuffle_is_pytorchs(size, replicas, drop_last):
    torch = pytest.importorskip("torch")
    from torch.utils.data.distributed import DistributedSampler as TorchSampler
    if size == 0 and not drop_last:
        return                                  # PyTorch divides by zero padding nothing
    for rank in range(replicas):
        ours = DistributedSampler(range(size), replicas, rank, shuffle=False,
                                  drop_last=drop_last)
        theirs = TorchSampler(range(size), replicas, rank, shuffle=False, drop_last=drop_last)
        assert list(ours) == list(theirs) and len(ours) == len(theirs)


@pytest.mark.parametrize("replicas", [2, 3, 4])
def test_shuffled_shares_are_disjoint_complete_and_follow_the_epoch(replicas):
    n = 10
    def shares(epoch, drop_last=False, seed=0):
        out = []
        for rank in range(replicas):
            s = DistributedSampler(range(n), replicas, rank, seed=seed, drop_last=drop_last)
            s.set_epoch(epoch)
            out.append(list(s))
        return out
    a = shares(0)
    flat = [i for part in a for i in part]
    assert set(flat) == set(range(n)) and len(flat) == replicas * -(-n // replicas)
    padded = len(flat) - n                      # the padding repeats the head of the order
    order = [a[k % replicas][k // replicas] for k in range(len(flat))]
    assert order[n:] == order[:padded]
    dropped = [i for part in shares(0, drop_last=True) for i in part]
    assert len(dropped) == len(set(dropped)) == replicas * (n // replicas)
    assert shares(0) == a and shares(1) != a and shares(0, seed=1) != a


def test_sampler_rank_checks():
    with pytest.raises(ValueError, match=r"Invalid rank 3, rank should be in the interval \[0, 2\]"):
        DistributedSampler(range(5), num_replicas=3, rank=3)


# --------------------------------------------------------------- autograd hooks ---
def test_post_accumulate_grad_hook_sees_the_accumulated_grad():
    x = fgrad.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    handle = x.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.tolist()))
    (x * x).sum().backward()
    (3 * x).sum().backward()
    assert seen == [[2.0, 4.0], [5.0, 7.0]]
    fgrad.autograd.grad((x * x).sum(), x)           # autograd.grad accumulates nothing
    assert len(seen) == 2
    handle.remove()
    x.sum().backward()
    assert len(seen) == 2
    with pytest.raises(RuntimeError, match="non-leaf"):
        (x * 2).register_post_accumulate_grad_hook(lambda t: None)


def test_queue_callback_runs_after_the_last_gradient():
    from fgrad.facade.tape import _engine
    a = fgrad.tensor(1.0, requires_grad=True)
    b = fgrad.tensor(2.0, requires_grad=True)
    log = []
    a.register_post_accumulate_grad_hook(
        lambda t: _engine.queue_callback(lambda: log.append((a.grad.item(), b.grad.item()))))
    (a * b).backward()
    assert log == [(2.0, 1.0)]
    with pytest.raises(RuntimeError, match="only be installed during backward"):
        _engine.queue_callback(lambda: None)
