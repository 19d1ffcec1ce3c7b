"""Gauss-Legendre quadrature: the one helper every integral of the library uses.

:func:`gauss_legendre` gives the nodes and weights on [-1, 1] (cached, read-only); :func:`gauss_interval` maps
them onto [a, b]. The number of nodes is bounded by :data:`MAX_NODES`: beyond it the node computation (an
eigenvalue problem, O(n^3)) takes seconds and no integral of the library needs it.
"""

from functools import lru_cache
from numbers import Integral

import numpy as np

__all__ = ["MAX_NODES", "check_nodes", "gauss_legendre", "gauss_interval"]

#: The largest number of Gauss-Legendre nodes per segment the library computes.
MAX_NODES = 5000


def check_nodes(n, name="n"):
    """``n`` as an int in [1, MAX_NODES]; a ValueError or TypeError naming the argument otherwise."""
    if isinstance(n, bool) or not isinstance(n, Integral | np.integer):
        raise TypeError(f"{name} must be an integer number of quadrature nodes, got {n!r}")
    if not 1 <= n <= MAX_NODES:
        raise ValueError(f"{name} must be at least 1 and at most {MAX_NODES} quadrature nodes per segment "
                         f"(more take seconds to compute and change no result), got {n!r}")
    return int(n)


@lru_cache(maxsize=None)
def _nodes(n):
    x, w = np.polynomial.legendre.leggauss(n)
    x.flags.writeable = False
    w.flags.writeable = False
    return x, w


def gauss_legendre(n):
    """Gauss-Legendre nodes and weights on [-1, 1] (read-only arrays of length ``n``)."""
    return _nodes(check_nodes(n))


def gauss_interval(a, b, n):
    """Nodes and weights of an ``n``-point Gauss-Legendre rule on [a, b]: sum(w * f(x)) ~ int_a^b f(x) dx."""
    x, w = gauss_legendre(n)
    return 0.5 * (b - a) * x + 0.5 * (b + a), 0.5 * (b - a) * w
