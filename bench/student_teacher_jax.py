"""The student-teacher protocol of seed 001 section 5 in JAX (the JAX baseline of
bench/simulate.ts): the step of bench/student_teacher_step.py, as bench/student_teacher_numpy.py (curl descent, float64,
per-layer Frobenius renormalization after every step, a fresh permutation of the training set
every epoch), compiled with jax.jit as one lax.scan over epochs of a lax.scan over minibatches,
on one CPU thread. Prints JSON: wall and CPU seconds per epoch (median of repeats, compilation
excluded: the compiled function is run once before timing).

If JAX is not importable, prints {"available": false, "note": ...} and exits 0.

usage: python3 bench/student_teacher_jax.py M N BATCH EPOCHS REPEATS [ACTIVATION]
"""
import json
import os
import sys
import time

# One thread for XLA's CPU backend (set before jax is imported); the bench also pins the process.
os.environ.setdefault(
    "XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
)
os.environ.setdefault("JAX_PLATFORMS", "cpu")

try:
    import jax
    import jax.numpy as jnp
    from jax import lax
except ImportError as e:  # the comparison is optional
    print(json.dumps({"available": False, "note": f"jax not importable: {e}"}))
    sys.exit(0)

from student_teacher_step import activation, step

jax.config.update("jax_enable_x64", True)


def make_run(M, N, batch, epochs, activation_name):
    P, Q = 250, 100
    steps = P // batch
    phi, dphi = activation(jnp, activation_name)
    eta = 0.1 * batch / P

    def run(key):
        k = jax.random.split(key, 8)
        W1t = jax.random.normal(k[0], (N, M)) / jnp.sqrt(M)
        W2t = jax.random.normal(k[1], (1, N)) / jnp.sqrt(N)
        X = jax.random.normal(k[2], (P, M)) / jnp.sqrt(2.0)
        Y = W2t @ phi(W1t @ X.T)  # 1 x P
        W1 = jax.random.normal(k[3], (N, M)) / jnp.sqrt(M)
        W2 = jax.random.normal(k[4], (1, N)) / jnp.sqrt(N)
        d1 = jnp.where(jax.random.uniform(k[5], (M,)) < 0.3, -1.0, 1.0)
        d2 = jnp.ones((N,))
        n1, n2 = jnp.linalg.norm(W1), jnp.linalg.norm(W2)

        def minibatch(w, idx):
            W1, W2 = w
            W1, W2 = step(phi, dphi, W1, W2, X[idx], Y[:, idx], eta, d1, d2)
            W1 = W1 * (n1 / jnp.linalg.norm(W1))
            W2 = W2 * (n2 / jnp.linalg.norm(W2))
            return (W1, W2), None

        def epoch(w, ek):
            perm = jax.random.permutation(ek, P).reshape(steps, batch)
            w, _ = lax.scan(minibatch, w, perm)
            return w, None

        w, _ = lax.scan(epoch, (W1, W2), jax.random.split(k[6], epochs))
        return w

    return jax.jit(run)


def main():
    M, N, batch, epochs, repeats = (int(v) for v in sys.argv[1:6])
    activation = sys.argv[6] if len(sys.argv) > 6 else "linear"
    run = make_run(M, N, batch, epochs, activation)
    jax.block_until_ready(run(jax.random.PRNGKey(0)))  # compile and warm up
    times, cpu = [], []
    for r in range(repeats):
        key = jax.random.PRNGKey(r + 1)
        t0, c0 = time.perf_counter(), time.process_time()
        jax.block_until_ready(run(key))
        times.append((time.perf_counter() - t0) / epochs)
        cpu.append((time.process_time() - c0) / epochs)
    times.sort()
    cpu.sort()
    print(json.dumps({"available": True, "M": M, "N": N, "batch": batch, "epochs": epochs,
                      "activation": activation, "secondsPerEpoch": times[len(times) // 2],
                      "cpuSecondsPerEpoch": cpu[len(cpu) // 2], "samplesSecondsPerEpoch": times,
                      "cpuSamplesSecondsPerEpoch": cpu, "python": sys.executable,
                      "jax": jax.__version__, "device": str(jax.devices()[0]),
                      "xlaFlags": os.environ.get("XLA_FLAGS")}))


if __name__ == "__main__":
    main()
