"""Run under ``mpiexec -n 2``: rank 1 raises while rank 0 waits for it in a collective.
The job must end at once with the error (MPI_Abort from fgrad's excepthook), not hang."""
import fgrad
import fgrad.distributed as dist

dist.init_process_group()
if dist.get_rank() == 1:
    raise ValueError("boom on purpose in rank 1")
t = fgrad.ones(3)
dist.all_reduce(t)           # never completes: rank 1 is gone
print("rank 0 finished a collective it should never have finished")
