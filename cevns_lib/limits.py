"""Table 2 of arXiv:1905.03750: every one-parameter 90% C.L. limit, with the published value beside it.

:func:`table2` returns records with the keys ``experiment``, ``beam`` (prompt, delayed, full,
reactor, solar), ``setup`` (current, future), ``parameter`` (Lambda1..3), ``limit`` (1e-10 mu_B)
and ``paper`` (the published value, or None where the paper prints none).
"""

from .data import paper_limit
from .experiments import all_setups
from .mixing import DE_SALAS_2018_NO
from .moments import borexino_limits
from .statistics import DCHI2_90_1D, PARAMETERS, one_parameter_limits

#: Borexino Phase-II bound on the solar effective moment, in 1e-10 mu_B (Agostini et al. 2017).
BOREXINO_BOUND = 0.28
#: Two-flavour nu_1 fraction of 7Be solar neutrinos that reproduces the Borexino row (A11).
P2NU_E1_BOREXINO = 0.609


def setup_beams(setup):
    """Beam components analysed for a setup: prompt, delayed and full for SNS; reactor otherwise."""
    return ("prompt", "delayed", "full") if setup.source == "SNS" else ("reactor",)


def table2(level=DCHI2_90_1D, params=DE_SALAS_2018_NO, include_full=True, include_borexino=True):
    """All limits of Table 2 (plus the full SNS beam), as a list of dicts (see the module docstring)."""
    rows = []
    for s in all_setups():
        for beam in setup_beams(s):
            if beam == "full" and not include_full:
                continue
            lims = one_parameter_limits(s, beam, level=level, params=params)
            for p, v in zip(PARAMETERS, lims):
                rows.append({"experiment": s.experiment, "beam": beam, "setup": s.setup, "parameter": p,
                             "limit": float(v), "paper": paper_limit(s.experiment, beam, s.setup, p)})
    if include_borexino:
        for p, v in zip(PARAMETERS, borexino_limits(BOREXINO_BOUND, P2NU_E1_BOREXINO, params)):
            rows.append({"experiment": "Borexino", "beam": "solar", "setup": "current", "parameter": p,
                         "limit": float(v), "paper": paper_limit("Borexino", "solar", "current", p)})
    return rows
