"""Chi-square functions (eqs. 34-35) and confidence limits on the transition magnetic moments.

Event numbers are linear in mu_eff^2 and mu_eff^2 is a quadratic form in the moduli
m = (|Lambda_1|, |Lambda_2|, |Lambda_3|) (for fixed phases), so the magnetic-moment excess is

    X(m) = m^T Q m,   Q = sum_f n_em[f] M_f ,

with M_f the quadratic form of flavour f (:func:`cevns_lib.physics.quadratic_form`) and n_em[f] the
EM events per unit mu_eff^2 (:mod:`cevns_lib.engine`). Q is built once per setup, beam and phase
choice; every chi-square evaluation afterwards is a few numpy operations. Moduli are in units of
1e-10 mu_B throughout this module.

Statistics (an experiment's ``statistic``): "counting" (the effective eq. (35), a nuisance on the excess,
choice A1), "counting-literal" (eq. (35) as printed), "coherent-csi-2017" (eq. (34) with the COHERENT 2017
counts of ``data/measurements/coherent-csi-2017.toml``, valid only at that exposure) and
"coherent-csi-2017-asimov" (eq. (34) with Asimov data and backgrounds scaled with the exposure, choice A15).
Nuisance parameters are minimised analytically (both chi-squares are quadratic in them).

Luminosity (Figure 3, choices A8 and A15): :func:`luminosity_scan` (limits versus a luminosity factor),
:func:`systematic_factor`, :func:`luminosity_gain` (Table 1 current -> future) and
:func:`luminosity_factor_from_limits` (the gain implied by a pair of printed limits).
"""

from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import numpy as np
from scipy.optimize import brentq

from ..constants import MU_UNIT
from ..data import data_path, read_toml
from ..engine.yields import event_yields
from ..experiment.experiment import check_experiment
from ..physics.mixing import DE_SALAS_2018_NO
from ..physics.moments import mass_state_form, quadratic_form
from ..sources.components import DEFAULT_SELECTION, select
from ..validation import check_finite_array, check_finite_scalar, check_nonnegative_array, check_positive, read_only
from .levels import DCHI2_90_1D, check_level

__all__ = [
    "csi_measurement", "csi_inputs", "sigma_alpha_by_stage", "BEAM_FLAVOURS", "PARAMETERS", "CSI_INPUTS",
    "check_csi_data", "chi2_csi", "chi2_csi_nuisances", "chi2_literal", "chi2_excess", "closed_form_limit",
    "Analysis", "ExcessInterval", "FORM_OF_STATISTIC", "default_form", "exposure_ratio", "em_matrix",
    "beam_components", "require_mass_states", "mass_state_beam", "transition_coefficients", "parameter_components",
    "analysis", "one_parameter_limits"
]


@lru_cache(maxsize=None)
def csi_measurement():
    """The COHERENT 2017 CsI measurement used in eq. (34): a read-only dict of its tables."""
    path = data_path("measurements", "coherent-csi-2017.toml")
    raw = read_toml("measurements", "coherent-csi-2017.toml")
    for table, keys in (("counts", ("n_meas", "b_on", "b_ss")), ("uncertainties", ("sigma_alpha", "sigma_beta")),
                        ("exposure", ("mass_kg", "pot", "baseline_m", "nu_per_pot")),
                        ("published", ("sm_prediction",))):
        for k in keys:
            try:
                check_positive(raw[table][k], f"{path}: {table}.{k}")
            except KeyError:
                raise ValueError(f"{path}: missing {table}.{k}") from None
    return MappingProxyType({k: MappingProxyType(v) if isinstance(v, dict) else v for k, v in raw.items()})


def csi_inputs():
    """The eq. (34) inputs of the COHERENT 2017 measurement (counts and nuisance widths): a read-only mapping."""
    m = csi_measurement()
    return MappingProxyType({**m["counts"], **m["uncertainties"]})


def sigma_alpha_by_stage():
    """sigma_alpha of the paper's counting setups by setup kind, read from their files (choice A2)."""
    from ..experiment.registry import all_setups

    out = {}
    for s in all_setups():
        if s.statistic == "counting":
            out.setdefault(s.stage, set()).add(s.sigma_alpha)
    if any(len(v) != 1 for v in out.values()):
        raise ValueError(f"the Table 1 setup files disagree on sigma_alpha within a setup kind: {out}")
    return MappingProxyType({k: v.pop() for k, v in out.items()})


def __getattr__(name):
    # Inputs read from data/ on first use, never at import: CSI_DATA (the eq. (34) inputs), the COHERENT
    # SM expectation, and sigma_alpha of eq. (35) by stage (choices A1, A2).
    if name == "CSI_DATA":
        return csi_inputs()
    if name == "COHERENT_2017_SM_PREDICTION":
        return csi_measurement()["published"]["sm_prediction"]
    if name == "SIGMA_ALPHA":
        return sigma_alpha_by_stage()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


BEAM_FLAVOURS = {
    "prompt": ("nu_mu_prompt",),
    "delayed": ("nu_e", "nu_mu_bar"),
    "full": ("nu_mu_prompt", "nu_e", "nu_mu_bar"),
    "reactor": ("nu_e_bar",),
}


PARAMETERS = ("Lambda1", "Lambda2", "Lambda3")


#: The inputs of eq. (34): counts and the nuisance widths.
CSI_INPUTS = ("n_meas", "b_on", "b_ss", "sigma_alpha", "sigma_beta")


def _csi_args(n_meas, b_on, b_ss, sigma_alpha, sigma_beta):
    """The eq. (34) inputs, each defaulting to the COHERENT 2017 measurement, checked (finite, >= 0)."""
    d = csi_inputs()
    given = {"n_meas": n_meas, "b_on": b_on, "b_ss": b_ss, "sigma_alpha": sigma_alpha, "sigma_beta": sigma_beta}
    out = tuple(check_positive(d[k] if v is None else v, k, allow_zero=True) for k, v in given.items())
    if out[0] + 2.0 * out[2] + out[1] <= 0:
        raise ValueError("n_meas + 2 b_ss + b_on (the statistical variance of eq. 34) must be > 0")
    return out


def check_csi_data(csi_data):
    """A mapping of eq. (34) inputs (names of :data:`CSI_INPUTS`) as a dict of floats >= 0, or a ValueError naming
    the key."""
    if csi_data is None:
        return {}
    if not hasattr(csi_data, "items"):
        raise TypeError(f"csi_data must be a mapping of {', '.join(CSI_INPUTS)}, got {csi_data!r}")
    bad = [k for k in csi_data if k not in CSI_INPUTS]
    if bad:
        raise ValueError(f"unknown csi_data key {bad[0]!r}; allowed: {', '.join(CSI_INPUTS)}")
    return {k: check_positive(v, f"csi_data {k}", allow_zero=True) for k, v in csi_data.items()}


def _chi2_csi(n_th, n_meas, b_on, b_ss, sigma_alpha, sigma_beta):
    s2 = n_meas + 2.0 * b_ss + b_on
    return (n_meas - n_th - b_on) ** 2 / (s2 + (sigma_alpha * n_th) ** 2 + (sigma_beta * b_on) ** 2)


def _chi2_literal(n_th, n_sm, sigma_alpha):
    return (n_sm - n_th) ** 2 / (n_sm + (sigma_alpha * n_th) ** 2)


def _chi2_excess(x, n_sm, sigma_alpha):
    return x**2 / (n_sm + (sigma_alpha * x) ** 2)


def chi2_csi(n_th, n_meas=None, b_on=None, b_ss=None, sigma_alpha=None, sigma_beta=None):
    """Eq. (34) minimised over the signal and background nuisances alpha, beta (closed form).

    chi^2 = min_{a,b} (N_meas - N_th(1+a) - B_on(1+b))^2 / s^2 + (a/sa)^2 + (b/sb)^2
          = (N_meas - N_th - B_on)^2 / (s^2 + sa^2 N_th^2 + sb^2 B_on^2),  s^2 = N_meas + 2 B_ss + B_on.

    ``n_th`` (events, >= 0) may be an array. Inputs default to the COHERENT 2017 measurement (``CSI_DATA``).
    """
    args = _csi_args(n_meas, b_on, b_ss, sigma_alpha, sigma_beta)
    return _chi2_csi(check_nonnegative_array(n_th, "n_th (theoretical events)"), *args)


def chi2_csi_nuisances(n_th, alpha, beta, n_meas=None, b_on=None, b_ss=None, sigma_alpha=None, sigma_beta=None):
    """Eq. (34) before minimisation, at given nuisances alpha and beta (for tests and plots)."""
    n_meas, b_on, b_ss, sigma_alpha, sigma_beta = _csi_args(n_meas, b_on, b_ss, sigma_alpha, sigma_beta)
    n_th = check_nonnegative_array(n_th, "n_th (theoretical events)")
    alpha, beta = check_finite_array(alpha, "alpha"), check_finite_array(beta, "beta")
    if not (sigma_alpha > 0 and sigma_beta > 0):
        raise ValueError("sigma_alpha and sigma_beta must be > 0 for the nuisance terms of eq. (34)")
    s2 = n_meas + 2.0 * b_ss + b_on
    return ((n_meas - n_th * (1 + alpha) - b_on * (1 + beta)) ** 2 / s2
            + (alpha / sigma_alpha) ** 2 + (beta / sigma_beta) ** 2)


def chi2_literal(n_th, n_sm, sigma_alpha):
    """Eq. (35) read literally (Asimov data N_meas = N_SM, nuisance on the total N_th), minimised over alpha.

    min_a (N_SM - N_th (1+a))^2 / N_SM + (a/sa)^2 = (N_SM - N_th)^2 / (N_SM + sa^2 N_th^2).
    """
    return _chi2_literal(check_nonnegative_array(n_th, "n_th (theoretical events)"), check_positive(n_sm, "n_sm"),
                         check_positive(sigma_alpha, "sigma_alpha", allow_zero=True))


def chi2_excess(x, n_sm, sigma_alpha):
    """Effective eq. (35) (project default): nuisance on the TMM excess X only, minimised over alpha.

    min_a (X(1+a))^2 / N_SM + (a/sa)^2 = X^2 / (N_SM + sa^2 X^2). ``x`` (events, finite) may be an array.
    """
    return _chi2_excess(check_finite_array(x, "x (excess events)"), check_positive(n_sm, "n_sm"),
                        check_positive(sigma_alpha, "sigma_alpha", allow_zero=True))


def closed_form_limit(n_sm, n_em_per_unit, sigma_alpha, level=DCHI2_90_1D):
    """One-parameter limit of the effective chi-square in closed form.

    |Lambda|_lim = (level N_SM)^(1/4) / sqrt(n_em) (1 - level sa^2)^(-1/4), with n_em the EM events
    per unit |Lambda|^2 (in the unit of the result).
    """
    n_sm = check_positive(n_sm, "n_sm (SM events)")
    n_em_per_unit = check_positive(n_em_per_unit, "n_em_per_unit (EM events per unit squared)")
    sigma_alpha = check_positive(sigma_alpha, "sigma_alpha", allow_zero=True)
    level = check_positive(level, "Delta chi^2 level")
    if level * sigma_alpha**2 >= 1:
        return np.inf
    return (level * n_sm) ** 0.25 / np.sqrt(n_em_per_unit) * (1 - level * sigma_alpha**2) ** -0.25


@dataclass(frozen=True)
class Analysis:
    """A chi-square in the moduli (1e-10 mu_B) for one setup and beam component.

    ``n_sm`` is the SM number (all flavours), ``q`` the 3x3 matrix with X = m^T q m,
    ``form`` one of "csi" (eq. 34), "excess" (effective eq. 35) or "literal" (eq. 35 as printed).
    ``scale`` multiplies the luminosity (Figure 3).
    """

    n_sm: float
    q: np.ndarray
    form: str
    sigma_alpha: float
    csi: tuple = ()
    label: str = ""

    def __post_init__(self):
        q = np.array(self.q, dtype=float)
        if q.shape != (3, 3) or not np.all(np.isfinite(q)):
            raise ValueError(f"q must be a finite 3x3 matrix, got {self.q!r}")
        object.__setattr__(self, "q", read_only(q))
        if self.form not in ("csi", "excess", "literal"):
            raise ValueError(f"unknown chi-square form {self.form!r}; allowed: 'csi', 'excess', 'literal'")
        check_positive(self.n_sm, "n_sm (SM events)")
        check_positive(self.sigma_alpha, "sigma_alpha", allow_zero=True)
        inputs = check_csi_data(dict(self.csi))
        object.__setattr__(self, "_csi_inputs", _csi_args(*(inputs.get(k) for k in CSI_INPUTS)))

    def excess(self, m):
        """X(m) = m^T Q m for moduli m of shape (..., 3) in 1e-10 mu_B."""
        m = np.asarray(m, dtype=float)
        return np.einsum("...i,ij,...j->...", m, self.q, m)

    def chi2_of_excess(self, x):
        """chi^2 as a function of the excess X (events; vectorised)."""
        x = np.asarray(x, dtype=float)
        if self.form == "csi":
            return _chi2_csi(self.n_sm + x, *self._csi_inputs)
        if self.form == "literal":
            return _chi2_literal(self.n_sm + x, self.n_sm, self.sigma_alpha)
        return _chi2_excess(x, self.n_sm, self.sigma_alpha)

    def chi2(self, m):
        """chi^2 at moduli m (..., 3) in 1e-10 mu_B."""
        return self.chi2_of_excess(self.excess(m))

    def best_excess(self, x_min=0.0):
        """The excess X >= ``x_min`` (events) where the chi-square is smallest: the data's excess
        N_meas - B_on - N_SM for the CsI data form (eq. 34), 0 for the Asimov forms of eq. (35)."""
        x = 0.0
        if self.form == "csi":
            d = {**csi_inputs(), **dict(self.csi)}
            x = d["n_meas"] - d["b_on"] - self.n_sm
        return max(float(x), float(x_min))

    def chi2_min(self, x_min=0.0):
        """The smallest chi-square over the excesses X >= ``x_min``."""
        return float(self.chi2_of_excess(self.best_excess(x_min)))

    def delta_chi2(self, m):
        return self.chi2(m) - self.chi2_min()

    def excess_interval(self, level=DCHI2_90_1D, x_min=0.0, n_check=400):
        """The allowed excesses {X >= x_min : chi^2(X) - min chi^2 <= level}: an :class:`ExcessInterval`.

        The one place the library solves Delta chi^2(X) = level for a counting statistic. The ends come from
        bracketing and Brent's method, starting at the best excess; the lower end is ``x_min`` unless the data
        exclude it. The monotonicity of Delta chi^2(X) on both sides of the minimum is then verified on a grid
        of ``n_check`` points reaching 4 X_hi; if it fails (a chi-square with a local maximum), the outermost
        crossing found on a dense grid is used instead, so that the interval is the outer edge of the allowed set.
        """
        level = check_level(level)
        x_min = check_finite_scalar(x_min, "x_min (events)")
        c_min = self.chi2_min(x_min)
        g = lambda x: float(self.chi2_of_excess(x)) - c_min - level  # noqa: E731
        x0 = self.best_excess(x_min)
        scale = max(self.n_sm, 1.0)
        tiny = 1e-300          # relative tolerances only: the roots may be tiny (tiny levels) or huge

        def root(a, b):
            return brentq(g, a, b, xtol=tiny + 1e-14 * abs(b - a), rtol=1e-13, maxiter=500)

        lo = x_min
        if g(x_min) > 0:
            lo = root(x_min, x0)
        if g(1e30 * scale) < 0:
            hi = np.inf
        else:
            # bracket the upper root from a first guess of its distance, sqrt(level x scale), in both directions
            step = np.sqrt(level * scale)
            left, right = x0, x0 + step
            while g(right) < 0:
                left, right = right, x0 + 2.0 * (right - x0)
            while right - x0 > 1e-280 * scale and g(x0 + 0.5 * (right - x0)) > 0:
                right = x0 + 0.5 * (right - x0)
            left = max(left, x0 + 0.5 * (right - x0)) if g(x0 + 0.5 * (right - x0)) < 0 else left
            hi = root(left, right)
        top = (hi if np.isfinite(hi) else 1e6 * scale) * 4.0
        start = max(x0, (hi if np.isfinite(hi) else scale) * 1e-6)
        xs = np.unique(np.concatenate([[x0], np.geomspace(start, top, n_check)]))
        vals = self.chi2_of_excess(xs) - c_min
        tol = 1e-12 * max(1.0, level)
        monotonic = bool(np.all(np.diff(vals) >= -tol))
        if x0 > x_min:
            below = np.linspace(x_min, x0, n_check)
            monotonic = monotonic and bool(np.all(np.diff(self.chi2_of_excess(below)) <= tol))
        if not monotonic:
            fine = np.geomspace(start, top, 20 * n_check)
            gv = self.chi2_of_excess(fine) - c_min - level
            up = np.nonzero((gv[:-1] <= 0) & (gv[1:] > 0))[0]
            if len(up) == 0:
                hi = np.inf
            else:
                k = up[-1]
                hi = root(fine[k], fine[k + 1])
        return ExcessInterval(lo=float(lo), hi=float(hi), level=level, monotonic=monotonic)

    def limit(self, direction, level=DCHI2_90_1D):
        """Largest t with Delta chi^2(t * direction) <= level (1e-10 mu_B): sqrt(X_hi / d^T Q d), with X_hi the
        upper end of :meth:`excess_interval`.

        ``direction``: a non-negative 3-vector of moduli (e.g. (1, 0, 0) for |Lambda_1|). Returns inf if
        Delta chi^2 never reaches the level (a blind direction, or a systematics-limited literal chi2).
        """
        d = np.asarray(direction, dtype=float)
        if d.shape != (3,) or np.any(d < 0) or not np.any(d > 0):
            raise ValueError(f"direction must be a non-negative, non-zero 3-vector, got {direction!r}")
        level = check_level(level)
        big = float(np.max(d))
        d = d / big
        norm = big * float(np.sqrt(d @ d))
        d = d / float(np.sqrt(d @ d))     # the limit along d scales as 1 / |d|
        c = self.excess(d)
        # no excess along d (a blind direction; allow for rounding in the quadratic form)
        if c <= 1e-12 * np.abs(self.q).max():
            return np.inf
        hi = self.excess_interval(level).hi
        return float(np.sqrt(hi / c)) / norm if np.isfinite(hi) else np.inf


@dataclass(frozen=True)
class ExcessInterval:
    """Allowed excesses lo <= X <= hi (events) at a Delta chi^2 level.

    ``hi`` is inf when the chi-square saturates below the level (systematics-limited), ``monotonic`` tells
    whether Delta chi^2(X) was verified to rise monotonically beyond its minimum (then the interval is the
    whole allowed set); otherwise ``hi`` is the outermost crossing (conservative).
    """

    lo: float
    hi: float
    level: float
    monotonic: bool


#: Chi-square form of each statistic (see the module docstring).
FORM_OF_STATISTIC = MappingProxyType({"counting": "excess", "counting-literal": "literal",
                                      "coherent-csi-2017": "csi", "coherent-csi-2017-asimov": "csi"})


def default_form(experiment):
    """The chi-square form of an experiment's statistic: "csi" (eq. 34), "excess" or "literal" (eq. 35)."""
    return FORM_OF_STATISTIC[experiment.statistic]


def exposure_ratio(experiment):
    """The experiment's exposure (target nuclei x fluence) over that of the COHERENT 2017 measurement."""
    from ..physics.nuclei import number_of_nuclei
    from ..sources.sns import sns_fluence

    m = csi_measurement()["exposure"]
    ref = sum(n for _, n in number_of_nuclei("CsI", m["mass_kg"])) * sns_fluence(m["pot"], m["baseline_m"],
                                                                                 m["nu_per_pot"])
    ours = sum(n for _, n in number_of_nuclei(experiment.material, experiment.mass_kg)) * experiment.fluence_cm2()
    return ours / ref


def _measurement_inputs(experiment, n_sm):
    """The eq. (34) inputs of a CsI-statistic experiment: the measured counts, or Asimov data."""
    d = dict(csi_inputs())
    if experiment.statistic == "coherent-csi-2017":
        r = exposure_ratio(experiment)
        if abs(r - 1.0) > 1e-9 or experiment.material != "CsI":
            raise ValueError(f"{experiment.name}: the COHERENT 2017 counts belong to 14.57 kg of CsI and 1.76e23 POT "
                             f"at "
                             f"19.3 m, but this experiment has {r:.4g} times that exposure; use the statistic "
                             f"'coherent-csi-2017-asimov' (Asimov data, backgrounds scaled with the exposure)")
        return d
    r = exposure_ratio(experiment)
    d.update(n_meas=n_sm + d["b_on"] * r, b_on=d["b_on"] * r, b_ss=d["b_ss"] * r)
    return d


def require_mass_states(experiment):
    """Raise unless the experiment's neutrinos have a known mass-state content (transition moments need it): a
    beam of definite flavour (SNS, reactor, table) or a solar source converted in the Sun (choice E26)."""
    if experiment.source == "solar" and not experiment.mass_state_components:
        raise ValueError(f"{experiment.name}: transition moments |Lambda_i| need the mass-state content of the "
                         "solar flux, which a solar source given by one flavour fraction p_ee (choice E6) does not "
                         "carry; leave p_ee out of the file to convert the components in the Sun (choice E26), or "
                         "use a flavour moment such as mu_nue")


def mass_state_beam(experiment, beam):
    """The mass-state components (:attr:`cevns_lib.experiment.Experiment.mass_state_components`) of a beam selection
    of a solar source converted in the Sun: "all", or a tuple of solar component names ("8B", "hep") or of
    mass-state component names ("8B nu_2", ...). Flavour selections do not apply to mass states."""
    require_mass_states(experiment)
    comps = experiment.mass_state_components
    if beam is None or (isinstance(beam, str) and beam in ("all", "full")):
        return comps
    if isinstance(beam, str):
        names = ", ".join(n for n, _, _ in experiment.solar_components)
        raise ValueError(f"beam {beam!r} selects flavours; the transition moments of {experiment.name} use its mass "
                         f"states: give 'all' or solar component names ({names})")
    return select(comps, _expand_solar(experiment, beam, comps))


def _expand_solar(experiment, beam, comps):
    """A tuple of component names with every solar component name ("8B") replaced by its parts among ``comps``."""
    sources = {n for n, _, _ in experiment.solar_components}
    out = []
    for n in tuple(beam):
        out += [c.name for c in comps if c.name.rsplit(" ", 1)[0] == n] if n in sources else [n]
    return tuple(out)


def em_matrix(yields, beam, params=DE_SALAS_2018_NO, phases=(0.0, 0.0, 0.0)):
    """Q (events per (1e-10 mu_B)^2) with X = m^T Q m, for a beam component of a setup's yields.

    A solar source converted in the Sun adds the forms of its mass states (:func:`cevns_lib.physics.mass_state_form`)
    weighted with their magnetic events: Q is then diagonal and the phases drop out."""
    if not hasattr(yields, "n_em") or not hasattr(yields, "experiment"):
        raise TypeError(f"yields must be the EventYields of an experiment (cevns_lib.engine.event_yields), "
                        f"got {yields!r}")
    require_mass_states(yields.experiment)
    q = np.zeros((3, 3))
    if yields.experiment.mass_state_components:
        for comp in mass_state_beam(yields.experiment, beam):
            q += yields.mass_states[comp.name]["mag"] * MU_UNIT**2 * mass_state_form(comp.mass_state)
        return q
    comps = beam_components(yields.experiment, beam)
    for comp in comps:
        q += yields.n_em[comp.name] * MU_UNIT**2 * quadratic_form(comp.species, params, phases)
    return q


def transition_coefficients(experiment, beam=None, params=DE_SALAS_2018_NO):
    """C_i (read-only (3,)) with mu_eff^2 = sum_i C_i |Lambda_i|^2 for one Lambda at a time, averaged over the
    magnetic-moment events the experiment detects: the diagonal of :func:`em_matrix` per magnetic event. A beam of
    flavour alpha has C_i = 1 - |U_alpha i|^2; a solar source converted in the Sun C_i = 1 - w_i, w_i the share of
    mass state i in its detected magnetic events (weighted by the detector's response, not by the flux)."""
    check_experiment(experiment)
    beam = DEFAULT_SELECTION if beam is None else beam
    y = event_yields(experiment)
    q = em_matrix(y, beam, params)
    if experiment.mass_state_components:
        n = sum(y.mass_states[c.name]["mag"] for c in mass_state_beam(experiment, beam))
    else:
        n = sum(y.n_em[c.name] for c in beam_components(experiment, beam))
    if not n > 0:
        raise ValueError(f"{experiment.name}: the beam {beam!r} has no magnetic-moment events")
    return read_only(np.diag(q) / (n * MU_UNIT**2))


def beam_components(experiment, beam):
    """The incident components of a beam selection of an experiment (see :func:`cevns_lib.sources.select`).

    "prompt" and "delayed" need the SNS, "reactor" a reactor; "full" and "all" take every component. For a solar
    source a tuple may name solar components ("8B"): each stands for its flavour components ("8B nu_e", ...).
    """
    if experiment.source == "solar" and not isinstance(beam, str) and beam is not None:
        beam = _expand_solar(experiment, beam, experiment.components)
    if beam == "reactor" and experiment.source != "reactor":
        raise ValueError(f"beam 'reactor' does not belong to the {experiment.source} setup {experiment.label}; "
                         "allowed: prompt, delayed, full")
    if beam in ("prompt", "delayed", "full") and experiment.source != "SNS":
        raise ValueError(f"beam {beam!r} does not belong to the {experiment.source} setup {experiment.label}; allowed: "
                         + ("reactor" if experiment.source == "reactor" else "all"))
    return select(experiment.components, beam)


def parameter_components(experiment, parameter, beam):
    """(Parameter, components): a parameter (name or Parameter) and the components of a beam selection that feel
    it; an error naming the parameter if none does (or if transition moments need a mass-state content the
    source does not carry)."""
    from ..physics.parameters import get_parameter

    p = get_parameter(parameter)
    if p.kind == "transition":
        require_mass_states(experiment)
        if experiment.mass_state_components:
            return p, mass_state_beam(experiment, beam)
    comps = beam_components(experiment, beam)
    if p.flavour is not None:
        comps = tuple(c for c in comps if c.flavour == p.flavour)
        if not comps:
            raise ValueError(f"{experiment.name} (beam {beam!r}) has no nu_{p.flavour} or anti-nu_{p.flavour}: "
                             f"{p.name} is unconstrained by it")
    return p, comps


def analysis(experiment, beam=None, form=None, sigma_alpha=None, params=DE_SALAS_2018_NO,
             phases=(0.0, 0.0, 0.0), scale=1.0, csi_data=None):
    """Build the :class:`Analysis` of a setup and beam component.

    Parameters
    ----------
    experiment : cevns_lib.experiment.Experiment
    beam : "prompt", "delayed", "full" (SNS), "reactor", or any selection of :func:`cevns_lib.sources.select`;
        default "reactor" for reactors, "full" for the SNS, "all" otherwise.
        (Solar sources: the transition-moment matrix q comes from the mass states when the source is converted in the
        Sun, choice E26, and is left at zero for one flavour fraction, choice E6; see :func:`em_matrix`.)
    form : "csi", "excess" or "literal"; default: the form of the experiment's ``statistic``.
    sigma_alpha : nuisance width; default: the measurement's (CsI data) or the experiment's ``sigma_alpha``.
    phases : zeta_1, zeta_2, zeta_3 (radians) of the Lambda_i; params : mixing (delta enters here).
    scale : luminosity factor (Figure 3). For the CsI data form, scale != 1 uses Asimov data
        N_meas = N_SM scale with both backgrounds scaled by the same factor (stated in the book).
    """
    check_experiment(experiment)
    if beam is None:
        beam = DEFAULT_SELECTION
    beam_components(experiment, beam)
    form = default_form(experiment) if form is None else form
    if form not in ("csi", "excess", "literal"):
        raise ValueError(f"unknown chi-square form {form!r}; allowed: 'csi', 'excess', 'literal'")
    scale = check_positive(scale, "luminosity scale")
    csi_data = check_csi_data(csi_data)
    if csi_data and form != "csi":
        raise ValueError(f"csi_data applies to the chi-square of eq. (34) (form 'csi'), not to form {form!r}")
    if sigma_alpha is not None:
        sigma_alpha = check_positive(sigma_alpha, "sigma_alpha", allow_zero=True)
    y = event_yields(experiment)
    n_sm = y.n_sm_total * scale
    # no transition-moment matrix for the Sun given by flavour fractions, or where the magnetic term diverges (a
    # zero threshold: the limits that need it are refused with the reason before they get here)
    known = experiment.source != "solar" or bool(experiment.mass_state_components)
    finite = all(np.isfinite(t["mag"]) for t in y.terms.values())
    q = em_matrix(y, beam, params, phases) * scale if known and finite else np.zeros((3, 3))
    csi = ()
    if form == "csi":
        if experiment.statistic in ("coherent-csi-2017", "coherent-csi-2017-asimov"):
            d = _measurement_inputs(experiment, y.n_sm_total)
        else:
            d = dict(csi_inputs())
            d.update(n_meas=y.n_sm_total + d["b_on"])
        if scale != 1.0:
            d.update(n_meas=y.n_sm_total * scale + d["b_on"] * scale, b_on=d["b_on"] * scale, b_ss=d["b_ss"] * scale)
        d.update(csi_data)
        sigma_alpha = d["sigma_alpha"] if sigma_alpha is None else sigma_alpha
        d["sigma_alpha"] = sigma_alpha
        csi = tuple(sorted(d.items()))
    elif sigma_alpha is None:
        sigma_alpha = experiment.sigma_alpha
    return Analysis(n_sm=n_sm, q=q, form=form, sigma_alpha=sigma_alpha, csi=csi, label=f"{experiment.label} {beam}")


def one_parameter_limits(experiment, beam=None, level=DCHI2_90_1D, **kw):
    """90% C.L. limits on |Lambda_1|, |Lambda_2|, |Lambda_3| (one at a time, real), in 1e-10 mu_B."""
    check_experiment(experiment)
    require_mass_states(experiment)
    a = analysis(experiment, beam, **kw)
    return np.array([a.limit(np.eye(3)[i], level) for i in range(3)])
