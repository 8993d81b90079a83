"""Tight NumPy loop of the student-teacher protocol of seed 001 section 5 (the baseline of
bench/simulate.ts): one vectorized step per minibatch (BLAS underneath), float64, curl descent with
per-layer Frobenius renormalization after every step. Prints JSON: wall and CPU seconds per epoch
(median of repeats, and every repeat) for the sizes given on the command line, and which BLAS
ran: the OpenBLAS core type chosen at run time (threadpoolctl, where installed; it reads
OpenBLAS's own openblas_get_corename), else NumPy's build configuration, and the
OPENBLAS_CORETYPE this process saw (unset: OpenBLAS picks the best kernel for the CPU).

usage: python3 bench/student_teacher_numpy.py M N BATCH EPOCHS REPEATS ACTIVATION
"""
import json
import os
import sys
import time

import numpy as np
from student_teacher_step import activation, step


def run(M, N, batch, epochs, activation_name, seed=0):
    rng = np.random.default_rng(seed)
    P, Q = 250, 100
    W1t = rng.normal(0, 1 / np.sqrt(M), (N, M))
    W2t = rng.normal(0, 1 / np.sqrt(N), (1, N))
    phi, dphi = activation(np, activation_name)
    X = rng.normal(0, 1 / np.sqrt(2), (P, M))
    Y = W2t @ phi(W1t @ X.T)  # 1 x P
    W1 = rng.normal(0, 1 / np.sqrt(M), (N, M))
    W2 = rng.normal(0, 1 / np.sqrt(N), (1, N))
    d1 = np.where(rng.random(M) < 0.3, -1.0, 1.0)
    d2 = np.where(rng.random(N) < 0.0, -1.0, 1.0)
    n1, n2 = np.linalg.norm(W1), np.linalg.norm(W2)
    eta = 0.1 * batch / P
    for _ in range(epochs):
        perm = rng.permutation(P)
        for s in range(P // batch):
            idx = perm[s * batch:(s + 1) * batch]
            W1, W2 = step(phi, dphi, W1, W2, X[idx], Y[:, idx], eta, d1, d2)
            W1 *= n1 / np.linalg.norm(W1)
            W2 *= n2 / np.linalg.norm(W2)
    return W1, W2


def blas_info():
    """Which BLAS library and kernel NumPy uses in this process."""
    info = {"OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE")}
    try:
        import threadpoolctl

        info["threadpoolctl"] = [
            {k: p.get(k) for k in ("internal_api", "version", "architecture", "num_threads", "filepath")}
            for p in threadpoolctl.threadpool_info()
            if p.get("user_api") == "blas"
        ]
    except ImportError:
        blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
        info["build"] = {k: blas.get(k) for k in ("name", "version", "openblas configuration")}
        info["note"] = "threadpoolctl not installed: the kernel chosen at run time is not known"
    return info


def main():
    M, N, batch, epochs, repeats = (int(v) for v in sys.argv[1:6])
    activation = sys.argv[6] if len(sys.argv) > 6 else "linear"
    run(M, N, batch, 2, activation)  # warm-up
    times, cpu = [], []
    for r in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        run(M, N, batch, epochs, activation, seed=r)
        times.append((time.perf_counter() - t0) / epochs)
        cpu.append((time.process_time() - c0) / epochs)
    times.sort()
    cpu.sort()
    print(json.dumps({"M": M, "N": N, "batch": batch, "epochs": epochs, "activation": activation,
                      "secondsPerEpoch": times[len(times) // 2], "cpuSecondsPerEpoch": cpu[len(cpu) // 2],
                      "samplesSecondsPerEpoch": times, "cpuSamplesSecondsPerEpoch": cpu,
                      "numpy": np.__version__, "python": sys.executable, "blas": blas_info()}))


if __name__ == "__main__":
    main()
