"""Baseline for bench/ode.ts: SciPy's RK45 (the same Dormand-Prince 5(4) pair) on the Arenstorf
orbit at the same tolerances. Prints JSON: median seconds of repeated runs and step counts."""
import json
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp

MU = 0.012277471
MUP = 1 - MU
Y0 = [0.994, 0.0, 0.0, -2.00158510637908252240537862224]
T = 17.0652165601579625588917206249


def arenstorf(_t, y):
    r1 = ((y[0] + MU) ** 2 + y[1] ** 2) ** 1.5
    r2 = ((y[0] - MUP) ** 2 + y[1] ** 2) ** 1.5
    return [
        y[2],
        y[3],
        y[0] + 2 * y[3] - MUP * (y[0] + MU) / r1 - MU * (y[0] - MUP) / r2,
        y[1] - 2 * y[2] - MUP * y[1] / r1 - MU * y[1] / r2,
    ]


tol = float(sys.argv[1]) if len(sys.argv) > 1 else 1e-10
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
times = []
for _ in range(repeats):
    start = time.perf_counter()
    sol = solve_ivp(arenstorf, (0, T), Y0, method="RK45", rtol=tol, atol=tol)
    times.append(time.perf_counter() - start)
err = float(np.max(np.abs(sol.y[:, -1] - np.array(Y0))))
print(json.dumps({"seconds": float(np.median(times)), "steps": int(sol.t.size - 1), "nfev": int(sol.nfev), "returnError": err}))
