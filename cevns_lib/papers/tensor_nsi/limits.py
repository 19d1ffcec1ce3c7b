"""Tensor NSI statistics, eq. (1.12) of the HNPS 2015 proceedings: limits, regions and the Table-1-shaped result.

The chi-square of the proceedings is statistics only, ((N_SM - N_NSI) / sqrt(N_SM))^2 with N_NSI the SM plus
tensor events (choice N10): the library's counting chi-square with sigma_alpha = 0
(:func:`cevns_lib.statistics.chi2_literal`). The Delta chi^2 levels are the library's
(:data:`cevns_lib.statistics.DCHI2_LEVELS`: 2.71 for one parameter at 90% C.L., 2.30, 4.61, 9.21 for two).
"""

from types import MappingProxyType

import numpy as np
from scipy.optimize import brentq

from ...statistics.counting import chi2_literal
from ...statistics.levels import DCHI2_90_1D, DCHI2_LEVELS
from ...validation import check_choice, check_finite_array, check_integer, check_positive
from .cross_sections import QUARKS, CrossSectionModel
from .events import BEAM_FLAVOUR, Events, beam_counts, sns_normalisation, sns_setups
from .moments import DEFAULT_MOMENTS, LAMBDA_TEV, MomentModel, magnetic_moment_quark

__all__ = [
    "DCHI2_2D", "chi2_proceedings", "delta_chi2", "epsilon_limit", "epsilon_limit_numeric", "moment_limit",
    "region_boundary", "is_closed", "region_area", "band_half_width", "assumptions", "table_records",
    "experiment_records"
]


#: Delta chi^2 of two-parameter regions, by confidence level in percent (the library's rule, choice E5).
DCHI2_2D = MappingProxyType({int(cl * 100): DCHI2_LEVELS[(cl, 2)] for cl in (0.68, 0.90, 0.99)})


def _counts(counts):
    out = (counts,) if isinstance(counts, Events) else tuple(counts)
    if not out or not all(isinstance(e, Events) for e in out):
        raise TypeError("counts must be an Events or a non-empty sequence of Events")
    for e in out:
        if not e.n_sm > 0:
            raise ValueError(f"{e.label}: no SM events, the chi-square of eq. (1.12) is undefined")
    return out


def _em_matrix(c_T, moments):
    v = np.array([moments.per_unit("u", c_T), moments.per_unit("d", c_T)])
    return np.outer(v, v)


def chi2_proceedings(n_nsi, n_sm):
    """Eq. (1.12): ((N_SM - N_NSI) / sqrt(N_SM))^2 (cevns_lib.statistics.chi2_literal without nuisance)."""
    return chi2_literal(n_nsi, n_sm, 0.0)


def delta_chi2(counts, eps_u, eps_d=0.0, c_T=1.0, include_em=False, moments=DEFAULT_MOMENTS):
    """Delta chi^2 of eq. (1.12) summed over independent counts, at tensor couplings (eps_u, eps_d).

    N_NSI = N_SM + N_T(eps) (no interference; the minimum, 0, is at eps = 0). With ``include_em`` the
    magnetic events of the induced moment mu = mu_u eps_u + mu_d eps_d (eq. 1.7) are added (choice N18).
    Vectorised over eps_u, eps_d.
    """
    counts = _counts(counts)
    u = check_finite_array(eps_u, "eps_u")
    d = check_finite_array(eps_d, "eps_d")
    em = _em_matrix(c_T, moments) if include_em else np.zeros((2, 2))
    total = 0.0
    for e in counts:
        a = e.matrix(c_T) + e.n_em * em
        x = a[0, 0] * u**2 + 2 * a[0, 1] * u * d + a[1, 1] * d**2
        total = total + chi2_proceedings(e.n_sm + x, e.n_sm)
    return total


def epsilon_limit(counts, quark="u", level=DCHI2_90_1D, c_T=1.0, include_em=False, moments=DEFAULT_MOMENTS):
    """One-parameter limit |eps^{qT}| where Delta chi^2 = ``level`` (default 2.71, 90% C.L.), the other coupling 0.

    Closed form: chi^2 = eps^4 sum_i N_T,i(1)^2 / N_SM,i, so eps = (level / sum_i N_T,i(1)^2 / N_SM,i)^(1/4);
    for one count (2.71 N_SM)^(1/4) / sqrt(N_T(1)). Scales as (flux mass time)^(-1/4) and as 1/c_T.
    """
    counts = _counts(counts)
    check_choice(quark, QUARKS, "quark")
    level = check_positive(level, "Delta chi^2 level")
    i = QUARKS.index(quark)
    em = _em_matrix(c_T, moments) if include_em else np.zeros((2, 2))
    s = sum((e.matrix(c_T)[i, i] + e.n_em * em[i, i]) ** 2 / e.n_sm for e in counts)
    if not s > 0:
        raise ValueError("no tensor events: the coupling is unconstrained")
    return float((level / s) ** 0.25)


def epsilon_limit_numeric(counts, quark="u", level=DCHI2_90_1D, c_T=1.0):
    """The same limit found by root finding on :func:`delta_chi2` (a check of the closed form)."""
    counts = _counts(counts)
    check_choice(quark, QUARKS, "quark")
    level = check_positive(level, "Delta chi^2 level")

    def f(x):
        args = (x, 0.0) if quark == "u" else (0.0, x)
        return float(delta_chi2(counts, *args, c_T=c_T)) - level

    hi = 1e-3
    while f(hi) < 0:
        hi *= 2.0
        if hi > 1e6:
            raise ValueError("no tensor events: the coupling is unconstrained")
    return brentq(f, 0.0, hi, xtol=1e-15, rtol=1e-13)


def moment_limit(eps_limit, quark, c_T=1.0, moments=DEFAULT_MOMENTS):
    """|mu| (mu_B) implied by a coupling limit through eq. (1.7)."""
    return float(abs(magnetic_moment_quark(eps_limit, quark, c_T, moments.Lambda_TeV,
                                           moments.m_u_MeV if quark == "u" else moments.m_d_MeV,
                                           moments.majorana_factor)))


def _g_theta(counts, theta, c_T):
    cu, sd = np.cos(theta), np.sin(theta)
    g = 0.0
    for e in counts:
        a = e.matrix(c_T)
        g = g + (a[0, 0] * cu**2 + 2 * a[0, 1] * cu * sd + a[1, 1] * sd**2) ** 2 / e.n_sm
    return g


def region_boundary(counts, level=DCHI2_2D[90], c_T=1.0, n_theta=3601):
    """Boundary of the allowed region Delta chi^2 <= level in the (eps_u, eps_d) plane.

    chi^2 = r^4 g(theta) along each ray, so the region is star-shaped with boundary
    r(theta) = (level / g(theta))^(1/4). Returns (eps_u, eps_d) arrays (inf where g = 0: a flat
    direction, as along eps_u = -k eps_d for a single target with F_Z = F_N).
    """
    counts = _counts(counts)
    level = check_positive(level, "Delta chi^2 level")
    theta = np.linspace(0.0, 2 * np.pi, check_integer(n_theta, "n_theta", minimum=8, maximum=10**6))
    g = _g_theta(counts, theta, c_T)
    gmax = np.max(g)
    with np.errstate(divide="ignore"):
        r = np.where(g > 1e-14 * gmax, (level / np.where(g > 0, g, 1.0)) ** 0.25, np.inf)
    return r * np.cos(theta), r * np.sin(theta)


def is_closed(counts, rtol=1e-12):
    """True if the allowed regions of these counts are bounded.

    Each count's quadratic form A_i is positive semi-definite, so chi^2 vanishes along a direction
    only if it is a common null vector of all A_i: the region is bounded iff sum_i A_i is positive
    definite (smallest eigenvalue above ``rtol`` times the largest; a single target with F_Z = F_N
    has an exact null vector (A+N, -(A+Z)), up to rounding).
    """
    counts = _counts(counts)
    w = np.linalg.eigvalsh(sum(e.matrix() for e in counts))
    return bool(w[0] > rtol * w[-1])


def region_area(counts, level=DCHI2_2D[90], c_T=1.0, n_theta=20000):
    """Area of the allowed region, 1/2 int r(theta)^2 dtheta = 1/2 int sqrt(level / g) dtheta; inf if open
    (see :func:`is_closed`)."""
    counts = _counts(counts)
    level = check_positive(level, "Delta chi^2 level")
    if not is_closed(counts):
        return float("inf")
    theta = np.linspace(0.0, np.pi, int(n_theta), endpoint=False)   # r(theta + pi) = r(theta)
    g = _g_theta(counts, theta, c_T)
    return float(np.sum(np.sqrt(level / g)) * (np.pi / len(theta)))     # 2 x 1/2 int_0^pi


def band_half_width(events, quark="u", level=DCHI2_2D[90], c_T=1.0):
    """Half-width in eps^{qT} (at fixed other coupling) of a single-count band: the limit at ``level``."""
    return epsilon_limit(events, quark, level, c_T)


def assumptions(model=None, moments=DEFAULT_MOMENTS, c_T=1.0, phi_20m_cm2_s=None, level=DCHI2_90_1D,
                mu_beam_mode="combined"):
    """The assumptions behind a table of limits, as a flat dict of scalars (printed beside every result)."""
    model = CrossSectionModel() if model is None else model
    norm = sns_normalisation()
    phi = norm["phi_20m_cm2_s"] if phi_20m_cm2_s is None else check_positive(phi_20m_cm2_s, "phi_20m_cm2_s")
    gp, gn = model.vector_couplings()
    return {
        "flux_normalisation_cm2_s": phi,
        "flux_normalisation_note": "unconfirmed default" if phi_20m_cm2_s is None else "user value",
        "exposure_s": norm["exposure_s"],
        "form_factor": model.form_factor,
        "neutron_skin_fm": model.neutron_skin_fm,
        "g_V_p": gp,
        "g_V_n": gn,
        "keep_T_over_E": "yes" if model.keep_T_over_E else "no",
        "nuclear_mass": model.nuclear_mass,
        "C_T_over_G_F": float(c_T),
        "kappa_T": float(c_T) ** 2,
        "cutoff_Lambda_TeV": moments.Lambda_TeV,
        "m_u_MeV": moments.m_u_MeV,
        "m_d_MeV": moments.m_d_MeV,
        "majorana_factor": moments.majorana_factor,
        "delta_chi2": level,
        "mu_beam_mode": mu_beam_mode,
        "statistics": "eq. (1.12), stat. only, one coupling",
    }


def table_records(phi_20m_cm2_s=None, c_T=1.0, Lambda_TeV=LAMBDA_TEV, form_factor="helm", level=DCHI2_90_1D,
                  majorana_factor=1.0, mu_beam_mode="combined", model=None, moments=None):
    """The project's Table-1-shaped result: one JSON-serialisable dict per target, beam and quark.

    Keys: target, baseline_m, beam ("nu_e": delayed nu_e, alpha = e; "nu_mu": prompt nu_mu + delayed
    anti-nu_mu, alpha = mu), alpha, quark ("u", "d"), n_sm, n_tensor_unit (N_T(1) at c_T = 1),
    epsilon_limit (90% C.L. one-parameter |eps^{qT}_alpha|), magnetic_moment_muB (|mu| from eq. 1.7),
    and the assumptions (:func:`assumptions`) as further scalar keys. The proceedings' own Table 1 is not
    available: nothing here is compared with it.
    """
    if model is None:
        model = CrossSectionModel(form_factor=form_factor)
    if moments is None:
        moments = MomentModel(Lambda_TeV=Lambda_TeV, majorana_factor=majorana_factor)
    info = assumptions(model, moments, c_T, phi_20m_cm2_s, level, mu_beam_mode)
    records = []
    for s in sns_setups(phi_20m_cm2_s):
        for beam in ("nu_e", "nu_mu"):
            counts = beam_counts(s, beam, model, mu_beam_mode if beam == "nu_mu" else "combined")
            n_sm = sum(e.n_sm for e in counts)
            for q in QUARKS:
                eps = epsilon_limit(counts, q, level, c_T)
                rec = {"target": s.target, "baseline_m": s.baseline_m, "beam": beam, "alpha": BEAM_FLAVOUR[beam],
                       "quark": q, "n_sm": n_sm, "n_tensor_unit": sum(e.tensor_unit(q) for e in counts),
                       "epsilon_limit": eps, "magnetic_moment_muB": moment_limit(eps, q, c_T, moments),
                       "mass_kg": s.mass_kg, "threshold_keV": s.threshold_keV}
                rec.update(info)
                records.append(rec)
    return records


def experiment_records(experiment, c_T=1.0, level=DCHI2_90_1D, moments=DEFAULT_MOMENTS):
    """Tensor-NSI limits of any Experiment (its own physics and exposure), one dict per flavour and quark.

    The counts are the experiment's e-flavour and mu-flavour components (each one count, as in eq. 1.12;
    statistics only); keys: experiment, alpha, quark, n_sm, n_tensor_unit, epsilon_limit,
    magnetic_moment_muB, delta_chi2.
    """
    from ...engine.yields import event_yields
    from ...experiment.experiment import Experiment

    if not isinstance(experiment, Experiment):
        raise TypeError(f"experiment must be a cevns_lib.experiment.Experiment, got {experiment!r}")
    y = event_yields(experiment)
    out = []
    for alpha in ("e", "mu", "tau"):
        comps = [c.name for c in experiment.components if c.flavour == alpha]
        if not comps:
            continue
        terms = {t: sum(y.terms[c][t] for c in comps) for t in ("sm", "tensor_uu", "tensor_ud", "tensor_dd", "mag")}
        ev = Events(f"{experiment.name} alpha = {alpha}", terms["sm"], terms["tensor_uu"], terms["tensor_ud"],
                    terms["tensor_dd"], terms["mag"])
        for q in QUARKS:
            eps = epsilon_limit(ev, q, level, c_T)
            out.append({"experiment": experiment.name, "alpha": alpha, "quark": q, "n_sm": ev.n_sm,
                        "n_tensor_unit": ev.tensor_unit(q), "epsilon_limit": eps,
                        "magnetic_moment_muB": moment_limit(eps, q, c_T, moments), "delta_chi2": level})
    return out
