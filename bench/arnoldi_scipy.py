"""Baseline for bench/arnoldi.ts: SciPy's ARPACK (scipy.sparse.linalg.eigs, which='LR') on the
same sparse matrix (read from the CSR file that bench/arnoldi.ts writes), single-threaded.
Prints JSON: median seconds over repeats, the rightmost eigenvalue, operator applications."""
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.linalg import LinearOperator, eigs

path, k, tol, repeats = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
with open(path) as f:
    data = json.load(f)
n = data["n"]
A = csr_matrix((np.array(data["values"]), np.array(data["columns"]), np.array(data["rowStart"])), shape=(n, n))
applications = [0]


def matvec(v):
    applications[0] += 1
    return A @ v


op = LinearOperator((n, n), matvec=matvec, dtype=np.float64)
times = []
values = None
for _ in range(repeats):
    applications[0] = 0
    t0 = time.perf_counter()
    values = eigs(op, k=k, which="LR", tol=tol, ncv=max(2 * k + 1, k + 20), v0=np.ones(n), return_eigenvectors=False)
    times.append(time.perf_counter() - t0)
top = max(values, key=lambda z: z.real)
print(json.dumps({"seconds": float(np.median(times)), "rightmost": [top.real, top.imag], "applications": applications[0]}))
