"""Settings shared by every test.

One torch thread per process: the tests' matrices are small, and on the 2-core CI machine
a second BLAS/OpenMP thread only adds overhead (small products ran 5–10× faster with one
thread). ``make test`` runs two test processes side by side instead (pytest-xdist, see
tools/run_tests.py), one per core.
"""
import torch

torch.set_num_threads(1)
