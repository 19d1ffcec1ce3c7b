"""Input validation shared by the library: clear errors instead of silent NaN."""

import numbers

import numpy as np

__all__ = [
    "check_finite_scalar", "check_positive", "check_finite_array", "check_nonnegative_array", "check_table",
    "check_vector3", "read_only", "match_name", "match_names", "check_integer", "BASELINE_RANGE_M", "check_baseline",
    "check_choice", "frozen_copy"
]


def check_finite_scalar(value, name):
    """Return ``float(value)``; raise if it is not a finite real number."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


def check_positive(value, name, allow_zero=False):
    """Return ``float(value)``; raise unless it is finite and > 0 (or >= 0 with ``allow_zero``)."""
    value = check_finite_scalar(value, name)
    if value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be {bound}, got {value!r}")
    return value


def check_finite_array(values, name, dtype=float):
    """Return ``values`` as a numpy array; raise if any entry is not finite."""
    try:
        arr = np.asarray(values, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric, got {values!r}") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {values!r}")
    return arr


def check_nonnegative_array(values, name):
    """Finite, non-negative float array."""
    arr = check_finite_array(values, name)
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {values!r}")
    return arr


def check_table(x, y, what, x_name, y_name):
    """(x, y) of a tabulated function as flat float arrays: x finite, >= 0 and strictly increasing, y finite, at
    least two rows of equal length. ``what`` names the table in the messages ("efficiency table")."""
    x = check_nonnegative_array(x, f"{what} {x_name}").ravel()
    y = check_finite_array(y, f"{what} {y_name}").ravel()
    if x.size < 2 or x.size != y.size:
        raise ValueError(f"{what}: needs at least two ({x_name}, {y_name}) rows of equal length")
    if np.any(np.diff(x) <= 0):
        raise ValueError(f"{what}: {x_name} must increase strictly")
    return x, y


def check_vector3(values, name, dtype=complex):
    """A finite vector of shape (3,) (or (..., 3) for batches)."""
    arr = check_finite_array(values, name, dtype=dtype)
    if arr.ndim == 0 or arr.shape[-1] != 3:
        raise ValueError(f"{name} must have 3 components (shape (3,) or (..., 3)), got shape {arr.shape}")
    return arr


def read_only(arr):
    """The array, made read-only (returned to callers who must not change library state)."""
    arr = np.asarray(arr)
    arr.flags.writeable = False
    return arr


def match_name(name, allowed, what):
    """The entry of ``allowed`` that ``name`` names, compared case-insensitively (the one matching rule of the
    library, for experiments, aliases, parameters and datasets); a ValueError listing ``allowed`` otherwise.

    ``allowed``: the canonical names (an iterable, or a mapping whose keys are the names accepted and whose values
    are the canonical names returned, for aliases); ``what`` names the kind of name in the message.
    """
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a name (text), got {name!r}")
    table = dict(allowed) if hasattr(allowed, "keys") else {a: a for a in allowed}
    folded = {}
    for key, value in table.items():
        folded.setdefault(key.casefold(), value)
    key = name.strip().casefold()
    if key not in folded:
        shown = list(dict.fromkeys(v if isinstance(v, str) else k for k, v in table.items()))
        raise ValueError(f"unknown {what} {name!r}; allowed: {', '.join(shown)}")
    return folded[key]


def match_names(names, allowed, what, overlapping=(), reason="they share events"):
    """A name or a sequence of names of ``allowed`` (each through :func:`match_name`) as a tuple of canonical
    names, for a combination: a ValueError for none, a name given twice, or both names of a pair of
    ``overlapping`` ((a, b) pairs of canonical names that must not be combined; ``reason`` says why)."""
    if isinstance(names, str):
        names = (names,)
    try:
        names = tuple(match_name(n, allowed, what) for n in names)
    except TypeError:
        raise ValueError(f"{what}s must be a name or a sequence of names from {', '.join(allowed)}") from None
    if not names:
        raise ValueError(f"no {what} given; allowed: {', '.join(allowed)}")
    if len(set(names)) != len(names):
        raise ValueError(f"{what} given twice in {names}")
    for a, b in overlapping:
        if a in names and b in names:
            raise ValueError(f"{a} and {b} cannot be combined: {reason}")
    return names


def check_integer(value, name, minimum=1, maximum=None):
    """``value`` as an int in [minimum, maximum]: a TypeError for a non-integer (2.7 is not silently 2), a
    ValueError naming ``name`` outside the range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"at least {minimum}" + ("" if maximum is None else f" and at most {maximum}")
        raise ValueError(f"{name} must be {bound}, got {value!r}")
    return value


#: The distances a source-detector baseline may have (m): from a centimetre to beyond the Sun.
BASELINE_RANGE_M = (1e-2, 1e12)


def check_baseline(value, name="baseline_m"):
    """A source-detector distance in metres within :data:`BASELINE_RANGE_M`, or a ValueError naming ``name``."""
    value = check_positive(value, f"{name} (m)")
    lo, hi = BASELINE_RANGE_M
    if not lo <= value <= hi:
        raise ValueError(f"{name} must lie between {lo:g} m and {hi:g} m, got {value!r}")
    return value


def check_choice(value, allowed, name):
    """``value`` if it is one of the texts ``allowed``, else a ValueError naming ``name`` and the allowed values."""
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"unknown {name} {value!r}; allowed: {', '.join(map(str, allowed))}")
    return value


def frozen_copy(values, dtype=float):
    """A read-only copy of ``values`` as a numpy array (of ``dtype``; None keeps the values' own type)."""
    arr = np.array(values, dtype=dtype)
    arr.flags.writeable = False
    return arr
