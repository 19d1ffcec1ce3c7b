"""Table 2 of arXiv:1905.03750: every one-parameter 90% C.L. limit, with the published value beside it.

:func:`table2` returns records with the keys ``experiment``, ``beam`` (prompt, delayed, full,
reactor, solar), ``stage`` (current, future), ``parameter`` (Lambda1..3), ``limit`` (1e-10 mu_B)
and ``paper`` (the published value, or None where the paper prints none).

Also here: the comparison helpers (:func:`table2_comparison`, rounding to the printed digits), the
alternative MINER and RED100 future configurations that reproduce the paper's future entries
(choice A8; *not* Table 1 as printed) and the Borexino ellipses of Figure 8.
"""

import dataclasses

import numpy as np

from ...data import BLOCK_OF_BEAM, paper_inputs, paper_limit, read_csv
from ...experiment.registry import all_setups, get_setup
from ...physics.mixing import DE_SALAS_2018_NO
from ...physics.moments import borexino_limits, solar_probabilities
from ...statistics.counting import PARAMETERS, one_parameter_limits
from ...statistics.levels import DCHI2_90_1D
from ...validation import check_finite_scalar, check_integer

__all__ = [
    "setup_beams", "table2", "experiment_table2", "NOT_REPRODUCED", "is_reproduced", "printed_value",
    "round_as_printed", "agrees_when_rounded", "table2_comparison", "alternative_future_setups", "borexino_ellipse"
]


def __getattr__(name):
    # BOREXINO_BOUND (the Borexino bound on the solar effective moment, 1e-10 mu_B), P2NU_E1_BOREXINO (choice A11),
    # MINER_ALTERNATIVE_GAIN and RED100_ALTERNATIVE_MASS_KG (choice A8): read from data/ on first use.
    if name in ("BOREXINO_BOUND", "P2NU_E1_BOREXINO", "MINER_ALTERNATIVE_GAIN", "RED100_ALTERNATIVE_MASS_KG"):
        return paper_inputs()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def setup_beams(experiment):
    """Beam components analysed for a setup: prompt, delayed and full for SNS; reactor otherwise."""
    return ("prompt", "delayed", "full") if experiment.source == "SNS" else ("reactor",)


def table2(level=DCHI2_90_1D, params=DE_SALAS_2018_NO, include_full=True, include_borexino=True):
    """All limits of Table 2 (plus the full SNS beam), as a list of dicts (see the module docstring)."""
    rows = []
    for s in all_setups():
        for beam in setup_beams(s):
            if beam == "full" and not include_full:
                continue
            lims = one_parameter_limits(s, beam, level=level, params=params)
            for p, v in zip(PARAMETERS, lims):
                rows.append({"experiment": s.experiment, "beam": beam, "stage": s.stage, "parameter": p,
                             "limit": float(v), "paper": paper_limit(s.experiment, beam, s.stage, p)})
    if include_borexino:
        inputs = paper_inputs()
        for p, v in zip(PARAMETERS, borexino_limits(inputs["BOREXINO_BOUND"], inputs["P2NU_E1_BOREXINO"], params)):
            rows.append({"experiment": "Borexino", "beam": "solar", "stage": "current", "parameter": p,
                         "limit": float(v), "paper": paper_limit("Borexino", "solar", "current", p)})
    return rows


def experiment_table2(experiment, level=DCHI2_90_1D, params=DE_SALAS_2018_NO):
    """Table-2-shaped limits on |Lambda_1..3| (1e-10 mu_B) of any experiment, every beam of its source.

    Records as :func:`table2`; ``paper`` is the published value when the experiment is a Table 1 setup.
    """
    beams = setup_beams(experiment) if experiment.source in ("SNS", "reactor") else ("all",)
    rows = []
    for beam in beams:
        lims = one_parameter_limits(experiment, beam, level=level, params=params)
        for p, v in zip(PARAMETERS, lims):
            table1 = experiment.file.startswith("miranda2019/")
            paper = paper_limit(experiment.experiment, beam, experiment.stage, p) if table1 else None
            rows.append({"experiment": experiment.experiment, "beam": beam, "stage": experiment.stage, "parameter": p,
                         "limit": float(v), "paper": paper})
    return rows


#: (experiment, stage) pairs of Table 2 that do not follow from Table 1 as printed (choice A8).
NOT_REPRODUCED = (("MINER", "future"), ("RED100", "future"))


def is_reproduced(record):
    """True unless the record is a MINER or RED100 future entry (the documented exceptions, choice A8)."""
    return (record["experiment"], record["stage"]) not in NOT_REPRODUCED


def printed_value(experiment, beam, stage, parameter):
    """The Table 2 value as printed (text, e.g. '0.90'), or None where the paper prints none."""
    block = BLOCK_OF_BEAM.get(beam)
    for r in read_csv("reference", "paper_table2_limits.csv"):
        if (r["block"], r["experiment"], r["stage"], r["parameter"]) == (block, experiment, stage, parameter):
            return r["value"]
    return None


def round_as_printed(value, printed):
    """``value`` rounded to as many decimals as the printed text ``printed`` has ('0.90' -> 2)."""
    if not isinstance(printed, str) or not printed.replace(".", "", 1).isdigit():
        raise ValueError(f"printed must be a number as printed, in plain decimals such as '0.90', got {printed!r}")
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return f"{check_finite_scalar(value, 'value'):.{decimals}f}"


def agrees_when_rounded(value, printed):
    """True if ``value`` rounded like the printed number gives the printed text."""
    return round_as_printed(value, printed) == printed


def table2_comparison(rows=None):
    """:func:`table2` records with ``ratio`` (ours / paper), ``printed`` (text), ``rounded`` (ours rounded
    like the printed value), ``rounds_to_printed`` and ``reproduced`` (False for MINER, RED100 future) added."""
    rows = table2() if rows is None else rows
    out = []
    for r in rows:
        r = dict(r)
        printed = printed_value(r["experiment"], r["beam"], r["stage"], r["parameter"])
        r["printed"] = printed
        r["ratio"] = r["limit"] / r["paper"] if r["paper"] else None
        r["rounded"] = round_as_printed(r["limit"], printed) if printed else None
        r["rounds_to_printed"] = r["rounded"] == printed if printed else None
        r["reproduced"] = is_reproduced(r)
        out.append(r)
    return out


def alternative_future_setups():
    """Future MINER and RED100 setups that reproduce the paper's future entries (choice A8), clearly *not* Table 1.

    Returns a dict label -> Experiment:

    * MINER: luminosity gain F = 60 over the current setup instead of Table 1's 2000; with the future
      100% efficiency and 10 years that is a 3 kg target (Table 1 prints 100 kg);
    * RED100: a 10-ton xenon target (F = 2000 over the current setup; Table 1 prints 100 kg, F = 20).
    """
    gain, red_mass = paper_inputs()["MINER_ALTERNATIVE_GAIN"], paper_inputs()["RED100_ALTERNATIVE_MASS_KG"]
    miner_cur, miner_fut = get_setup("MINER", "current"), get_setup("MINER", "future")
    per_kg_gain = (miner_fut.efficiency.value * miner_fut.years) / (miner_cur.efficiency.value * miner_cur.years)
    miner_mass = gain * miner_cur.mass_kg / per_kg_gain
    red_fut = get_setup("RED100", "future")
    note = "alternative (choice A8): chosen to reproduce the paper's future entries, not Table 1 as printed"
    return {
        f"MINER future, {miner_mass:g} kg (F = {gain:g}; alternative, choice A8)":
            dataclasses.replace(miner_fut, mass_kg=miner_mass, status=miner_fut.status + (("alternative", note),)),
        f"RED100 future, {red_mass / 1000:g} t (alternative, choice A8)":
            dataclasses.replace(red_fut, mass_kg=red_mass,
                                status=red_fut.status + (("alternative", note),)),
    }


def borexino_ellipse(plane=(1, 2), n_points=181, mu_bound=None, p2nu_e1=None, params=DE_SALAS_2018_NO):
    """Boundary of the Borexino-allowed region in a plane (|Lambda_i|, |Lambda_j|), third Lambda zero.

    (1 - P_ei) |Lambda_i|^2 + (1 - P_ej) |Lambda_j|^2 <= mu_bound^2 (eq. 38; no cross term because the
    solar flux is an incoherent mixture of mass states). Returns an (n_points, 2) array of the
    quarter ellipse in the first quadrant, in the unit of ``mu_bound`` (default 1e-10 mu_B).
    """
    inputs = paper_inputs()
    mu_bound = inputs["BOREXINO_BOUND"] if mu_bound is None else mu_bound
    p2nu_e1 = inputs["P2NU_E1_BOREXINO"] if p2nu_e1 is None else p2nu_e1
    plane = tuple(plane)
    if len(plane) != 2 or plane[0] == plane[1] or any(p not in (1, 2, 3) for p in plane):
        raise ValueError(f"plane must be two different indices out of 1, 2, 3, got {plane!r}")
    n_points = check_integer(n_points, "n_points", minimum=2)
    one_minus_p = 1.0 - solar_probabilities(p2nu_e1, params)
    phi = np.linspace(0.0, 0.5 * np.pi, n_points)
    a = mu_bound / np.sqrt(one_minus_p[plane[0] - 1])
    b = mu_bound / np.sqrt(one_minus_p[plane[1] - 1])
    return np.column_stack([a * np.cos(phi), b * np.sin(phi)])
