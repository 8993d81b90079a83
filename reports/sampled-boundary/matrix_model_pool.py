"""Samples of seed 001's matrix model X = w D1 + W1' W1 (eq. 98 at alpha_r = 0; W1 N x M with
entries N(0, 1/M), w = |W2|^2 with W2 of N entries N(0, 1/N), round(alpha_h M) of D1's signs -1):
the smallest eigenvalue and w of each sample, for calibrate-estimator.ts. The rule's reduced
Jacobian on the manifold is -X/2 exactly (rule inputs of variance 1/2), so these are the
quantities `learndyn phase curl-descent --sampled` measures, at a cost of a dense symmetric
eigenvalue each instead of a sketched Jacobian.

  python3 matrix_model_pool.py window OUT.json  # the 8 ratios of each run's window, T = 220, 440, 880
  python3 matrix_model_pool.py edge OUT.json    # at the sizes nearest c*, T = 110 ... 3520

Sizes follow the runs: M = round(c T / (1 + c)), N = T - M. Single-threaded BLAS keeps it
polite on a shared machine (about 5 and 4 minutes on one core).
"""
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402
import scipy.linalg as sl  # noqa: E402

# The windows of the three runs (README.md) and c* to 4 digits (src/phase/boundary.ts
# criticalRatio; only used to choose sizes, the analysis takes edges at the realized sizes).
WINDOWS = {0.2: (0.32, 0.46), 0.5: (0.24, 0.38), 0.8: (0.20, 0.34)}
CSTAR = {0.2: 0.3898, 0.5: 0.3097, 0.8: 0.2688}


def rnd(v):
    return int(np.floor(v + 0.5))  # JavaScript's Math.round for positive v


def draw(rng, M, N, k):
    G = rng.standard_normal((N, M))
    w = float(np.sum(rng.standard_normal(N) ** 2) / N)
    X = G.T @ G / M
    d = np.full(M, w)
    d[:k] = -w
    X[np.diag_indices(M)] += d
    return float(sl.eigvalsh(X, subset_by_index=[0, 0])[0]), w


def sample(rng, a, T, c, n):
    M = rnd(c * T / (1 + c))
    N = T - M
    k = rnd(a * M)
    xs, ws = zip(*(draw(rng, M, N, k) for _ in range(n)))
    return dict(alphaH=a, T=T, c=c, M=M, N=N, k=k, xmin=list(xs), w=list(ws))


def main():
    mode, out = sys.argv[1], sys.argv[2]
    rng = np.random.default_rng(20261205)
    points = []
    t0 = time.time()
    if mode == "window":
        for a, (lo, hi) in WINDOWS.items():
            for T in (220, 440, 880):
                points += [sample(rng, a, T, lo + j * (hi - lo) / 7, 1000) for j in range(8)]
    elif mode == "edge":
        counts = {110: 2000, 220: 1000, 440: 600, 880: 400, 1760: 200, 3520: 100}
        for a, c in CSTAR.items():
            for T, n in counts.items():
                points.append(sample(rng, a, T, c, n))
                print(a, T, round(time.time() - t0), "s", file=sys.stderr, flush=True)
    else:
        raise SystemExit(f"mode must be window or edge, got {mode!r}")
    with open(out, "w") as f:
        json.dump({"mode": mode, "seconds": time.time() - t0, "points": points}, f)


if __name__ == "__main__":
    main()
