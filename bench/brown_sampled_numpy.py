"""Sampled non-self-adjoint matrices of side 2,000 for bench/brown-sampled.ts, drawn with NumPy
(an independent sampler and eigensolver, LAPACK's geev): Ginibre (iid N(0, 1/N)), elliptic
(sqrt(tau) S + sqrt(1 - tau) G with S a GOE of off-diagonal variance 1/N, and for tau < 0
sqrt(|tau|) (H - H')/sqrt(2) + sqrt(1 - |tau|) G), U T with U Haar orthogonal (QR of a Gaussian
matrix, signs fixed by R's diagonal) and T = diag(1, 2) half each, and the rank-one perturbations
+ theta u u' (u uniform on the sphere). Writes bench/results/brown-sampled-eigenvalues.json: per
case the sorted moduli (or elliptic radii), the rightmost eigenvalue and, where perturbed, the
eigenvalue farthest out. Usage: python3 bench/brown_sampled_numpy.py [N] [seed]"""
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np

N = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
rng = np.random.default_rng(seed)


def ginibre():
    return rng.normal(0, 1 / np.sqrt(N), (N, N))


def goe():
    a = rng.normal(0, 1 / np.sqrt(N), (N, N))
    return (a + a.T) / np.sqrt(2)


def elliptic(tau):
    if tau >= 0:
        return np.sqrt(tau) * goe() + np.sqrt(1 - tau) * ginibre()
    h = ginibre()
    return np.sqrt(-tau) * (h - h.T) / np.sqrt(2) + np.sqrt(1 + tau) * ginibre()


def haar_times_diagonal():
    q, r = np.linalg.qr(rng.normal(size=(N, N)))
    q = q * np.sign(np.diag(r))
    t = np.where(np.arange(N) < N // 2, 1.0, 2.0)
    return q * t  # U diag(t)


def rank_one(theta):
    u = rng.normal(size=N)
    u /= np.linalg.norm(u)
    return theta * np.outer(u, u)


def summary(x, radius=np.abs, outlier=None):
    started = time.perf_counter()
    ev = np.linalg.eigvals(x)
    seconds = time.perf_counter() - started
    out = {
        "radius": [round(float(v), 6) for v in np.sort(radius(ev))],
        "rightmost": [float(ev[np.argmax(ev.real)].real), float(abs(ev[np.argmax(ev.real)].imag))],
        "eigvalsSeconds": seconds,
    }
    if outlier is not None:
        k = np.argmin(np.abs(ev - outlier))
        out["outlier"] = [float(ev[k].real), float(ev[k].imag)]
    return out


cases = {}
cases["ginibre"] = summary(ginibre())
for tau in (0.5, -0.4):
    cases[f"elliptic({tau})"] = summary(
        elliptic(tau), radius=lambda z, t=tau: np.hypot(z.real / (1 + t), z.imag / (1 - t))
    )
cases["haarTimesDiagonal"] = summary(haar_times_diagonal())
cases["ginibre + (-1.6) u u'"] = summary(ginibre() + rank_one(-1.6), outlier=-1.6)
cases["elliptic(0.5) + 2 u u'"] = summary(elliptic(0.5) + rank_one(2.0), outlier=2.25)
result = {"N": N, "seed": seed, "numpy": np.__version__, "cases": cases}
path = os.path.join(os.path.dirname(__file__), "results", "brown-sampled-eigenvalues.json")
with open(path, "w") as f:
    json.dump(result, f, separators=(",", ":"))
print(json.dumps({k: {"rightmost": v["rightmost"], "outlier": v.get("outlier")} for k, v in cases.items()}))
