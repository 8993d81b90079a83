"""One minibatch step of seed 001's student-teacher protocol (section 5, eqs. 5-6: curl descent,
the hidden-layer update's input columns flipped by d1, the readout's by d2), written once for
NumPy and JAX (`xp` is numpy or jax.numpy) so that bench/student_teacher_numpy.py and
bench/student_teacher_jax.py time the very same arithmetic. Renormalization is left to the
caller (NumPy scales in place, JAX cannot).
"""


def activation(xp, name):
    """phi and phi'(a, h = phi(a)) of the rule's activation."""
    phi = {"linear": lambda a: a, "tanh": xp.tanh, "relu": lambda a: xp.maximum(a, 0)}[name]
    dphi = {
        "linear": lambda a, h: xp.ones_like(a),
        "tanh": lambda a, h: 1 - h * h,
        "relu": lambda a, h: (a > 0).astype(a.dtype),
    }[name]
    return phi, dphi


def step(phi, dphi, W1, W2, xb, yb, eta, d1, d2):
    """W1 - eta mean(W2' e phi'(a) x') D1 and W2 - eta mean(e h') D2 for the minibatch xb (S x M),
    targets yb (1 x S); returns them unnormalized."""
    batch = xb.shape[0]
    a = W1 @ xb.T  # N x S
    h = phi(a)
    e = W2 @ h - yb  # 1 x S
    delta = (W2.T * dphi(a, h)) * e  # N x S
    g2 = (e @ h.T) / batch
    g1 = (delta @ xb) / batch
    return W1 - eta * g1 * d1, W2 - eta * g2 * d2
