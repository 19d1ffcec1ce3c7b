"""The XENONnT solar-8B CEvNS release: the binned likelihood of each science run, fits of the 8B flux, significance.

Data: ``data/xenonnt-8b/`` (the release github.com/XENONnT/cevns_data_release, CC-BY-4.0; cite XENON, PRL 133
(2024) 191002, PRL 134 (2025) 111802, arXiv:2604.06002, and the release, Zenodo 10.5281/zenodo.20576156; see its
PROVENANCE.md). Modules: :mod:`.release` (reading the files), :mod:`.solar` (the 8B and hep spectra),
:mod:`.signal` (recoil spectra per cross-section term, folded with the mono-energetic templates),
:mod:`.likelihood` (the per-run model and the combined likelihood).

Datasets (:data:`DATASETS`):

* ``xenonnt-8b-2024``: SR0 + SR1, the exposure of the first 8B-CEvNS indication (PRL 133 (2024) 191002);
* ``xenonnt-8b-2026``: SR0 + SR1 + SR2 (the runs of arXiv:2604.06002; its SR2 priors are not released, choice D20).

Entry points (validated inputs, immutable results):

* :func:`dataset` (name) -> :class:`Dataset`, built once (signal basis folded once per run);
* :func:`fit` (name) -> :class:`FitResult`: the 8B flux fit, with the expected background, the fitted CEvNS
  events, the flux and the flux-averaged cross section with MINOS errors, the asymptotic significance and the
  nuisances; ``.record()`` a JSON-ready dict;
* :func:`profile` (name, fluxes_cm2_s) -> Delta(-2 ln L) in the 8B flux (read-only array);
* :func:`significance_toys` (name, n_toys, n_jobs, seed): the significance from background-only
  pseudo-experiments (joblib, numpy SeedSequence);
* :func:`flux_parameter`: the parameter of the fits (the 8B flux) in the (c0, c1, c2) form of
  :class:`~cevns_lib.statistics.Binding`; any other parameter with keys of the signal basis can be fitted
  with ``dataset(name).likelihood_for(parameter)``;
* electromagnetic parameters (:data:`EM_PARAMETERS`, the names of :data:`cevns_lib.physics.PARAMETERS`): a
  :class:`Dataset` is a target of :func:`cevns_lib.statistics.parameter_limit` (its :meth:`Dataset.statistic`);
  the flavour parameters are bound to the flavour parts of the solar flux ("8B nu_e", ...), the transition moments
  |Lambda_i| to its mass-state parts ("8B nu_1", ...; :mod:`.solar`), the 8B flux fixed at its reference value
  (choice D30); :func:`limit` (name, parameter) the same in one call;
* :func:`projection` (exposure_t_yr): Asimov data for a larger exposure with the XENONnT response and background
  rates (a DARWIN/XLZD-scale projection, choice D31).

The parameter of interest is the 8B flux Phi in units of 1e6 cm^-2 s^-1 (choice D22); the hep component is fixed
at its solar-model flux. Physics of the predictions (choice D24): the book's default (radiatively corrected
couplings, the paper's kinematics, the symmetrized Fermi form factor), natural xenon.
"""

import time
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import numpy as np
from scipy.stats import chi2, norm

from ...physics import DEFAULT_PHYSICS, PhysicsModel
from ...physics.mixing import DE_SALAS_2018_NO
from ...physics.parameters import PARAMETERS, Parameter, get_parameter
from ...statistics.binding import Binding, bind
from ...statistics.limits import parameter_limit
from ...statistics.statistic import LikelihoodStatistic
from ...validation import check_finite_array, check_finite_scalar, check_positive, match_name
from . import release
from .likelihood import Likelihood, RunModel
from .signal import TERMS, flux_averaged_cross_section, fold_basis, nr_basis
from .solar import SolarSpectra, decomposed_components, flavour_components, mass_state_components, solar_spectra

__all__ = ["DATASETS", "EM_PARAMETERS", "DATA_KINDS", "Dataset", "FitResult", "build", "dataset", "fit", "dataset_fit",
           "profile", "significance_toys", "flux_parameter", "background_expectation", "FLUX_SCALE_CM2_S",
           "em_binding", "limit", "projection", "total_exposure_t_yr"]

#: Dataset name -> the setting of parameters.toml that lists its runs.
_RUN_SETTINGS = MappingProxyType({"xenonnt-8b-2024": "runs_2024", "xenonnt-8b-2026": "runs_2026"})
#: The dataset names.
DATASETS = tuple(_RUN_SETTINGS)
#: Internal unit of the 8B flux in the fits (cm^-2 s^-1).
FLUX_SCALE_CM2_S = 1e6
#: The electromagnetic parameters the datasets constrain: every parameter of the library (the solar flux carries
#: the three flavours and, through the conversion in the Sun, the three mass states).
EM_PARAMETERS = tuple(PARAMETERS)
#: What a dataset's counts are: the released events, or the Standard-Model expectation (Asimov; projections).
DATA_KINDS = ("observed", "asimov")


def flux_parameter(flux_reference_cm2_s, components=("8B", "hep")):
    """The 8B flux as a parameter (choice D22): x = Phi / 1e6 cm^-2 s^-1. The Standard-Model basis of every 8B
    component (named "8B", or "8B <anything>" for flavour parts), computed at the total 8B flux
    ``flux_reference_cm2_s``, is scaled by x 1e6 / Phi_ref (c1); every other component (hep) is fixed (c0 = 1)."""
    ref = float(flux_reference_cm2_s)
    if not np.isfinite(ref) or ref <= 0:
        raise ValueError(f"flux_reference_cm2_s must be > 0, got {flux_reference_cm2_s!r}")
    if isinstance(components, str) or not components:
        raise ValueError(f"components must be a sequence of component names, got {components!r}")
    coef = {}
    for c in components:
        is_8b = c == "8B" or c.startswith("8B ")
        coef[(c, "sm")] = (0.0, FLUX_SCALE_CM2_S / ref, 0.0) if is_8b else (1.0, 0.0, 0.0)
    if not any(v[1] for v in coef.values()):
        raise ValueError(f"no 8B component among {list(components)}")
    flux = Parameter("flux_8B", "signal", None, "cm^-2 s^-1", 1.0, False, "solar 8B neutrino flux at the Earth",
                     fit_scale=FLUX_SCALE_CM2_S)
    return Binding(flux, tuple(components), MappingProxyType(coef), FLUX_SCALE_CM2_S, 0.0)


@dataclass(frozen=True)
class Dataset:
    """A XENONnT dataset ready to fit: its runs (:class:`~.likelihood.RunModel`, with the signal basis of every
    component and term folded), the recoil-spectrum basis (``basis`` on ``basis_E_keV``, events/(t yr keV), from
    :func:`~.signal.nr_basis`), the settings it was built with, our Standard-Model prediction (``n_predicted``, 8B
    at the reference flux plus hep; ``n_predicted_hep``), the flux-averaged SM cross section of the 8B spectrum and
    the published numbers. ``likelihood`` is the likelihood for the 8B flux (:func:`flux_parameter`)."""

    name: str
    runs: tuple
    basis_E_keV: np.ndarray
    basis: MappingProxyType
    spectra: SolarSpectra
    physics: PhysicsModel
    flux_reference_cm2_s: float
    priors: MappingProxyType
    limits: MappingProxyType
    efficiency: bool
    separate: tuple
    n_predicted: float
    n_predicted_hep: float
    xsec_sm_cm2: float
    published: MappingProxyType
    likelihood: Likelihood
    data: str = "observed"

    @property
    def parameter(self):
        return self.likelihood.parameter

    @property
    def names(self):
        """The dataset names this target holds (one), for :class:`cevns_lib.statistics.Limit` records."""
        return (self.name,)

    @property
    def n_observed(self):
        """Events in the data (an integer for the released data; the expectation for Asimov data)."""
        n = float(sum(r.data.sum() for r in self.runs))
        return int(round(n)) if self.data == "observed" else n

    @property
    def exposure_t_yr(self):
        """Total exposure of the runs (t yr)."""
        return float(sum(r.exposure_t_yr for r in self.runs))

    def transition_coefficients(self):
        """C_i (read-only (3,)) with mu_eff^2 = sum_i C_i |Lambda_i|^2 for the neutrinos the dataset sees: C_i = 1 -
        w_i, w_i the share of mass state i in the magnetic-moment events of the runs (folded with the response,
        t = 0, summed over bins and runs, 8B and hep), i.e. weighted by the response and not by the flux."""
        comps = mass_state_components(self.spectra)
        w = np.zeros(3)
        for c in comps:
            w[c.mass_state - 1] += sum(r.exposure_t_yr * r.signal[(c.name, "mag")][3, 3].sum() for r in self.runs)
        return _read_only(1.0 - w / w.sum())

    def binding(self, parameter, params=DE_SALAS_2018_NO, phases=(0.0, 0.0, 0.0)):
        """The :class:`~cevns_lib.statistics.Binding` of an electromagnetic parameter to this dataset's solar
        neutrinos (:func:`em_binding`)."""
        return em_binding(parameter, self.spectra, params, phases)

    def likelihood_for(self, parameter):
        """The :class:`~.likelihood.Likelihood` of this dataset for another parameter: a Binding (keys of the signal
        basis) or the name of an electromagnetic parameter (bound with :meth:`binding`)."""
        if not isinstance(parameter, Binding):
            parameter = self.binding(parameter)
        return Likelihood(self.runs, parameter, self.priors, self.limits, self.efficiency, self.separate)

    def statistic(self, parameter):
        """The :class:`~cevns_lib.statistics.LikelihoodStatistic` of an electromagnetic parameter (a name, or a
        Binding from :meth:`binding`; profile likelihood): what :func:`cevns_lib.statistics.parameter_limit` asks a
        data set for."""
        return LikelihoodStatistic(self.likelihood_for(parameter), "binned-poisson", self.name,
                                   "profile likelihood, Wilks: Delta(-2 ln L) = q(cl); 8B flux at its reference "
                                   "value, every nuisance profiled")


def em_binding(parameter, spectra=None, params=DE_SALAS_2018_NO, phases=(0.0, 0.0, 0.0)):
    """An electromagnetic parameter (a name of :data:`EM_PARAMETERS`, any case) bound to the solar neutrinos of the
    fits (choice D30): the transition moments |Lambda_i| to the mass-state parts of 8B and hep (the phases drop out,
    each part is one mass state), every other parameter to the flavour parts; the Standard-Model term of every part
    at its reference flux (c0 = 1), the 8B flux fixed. ``spectra``: a :class:`~.solar.SolarSpectra` (default
    :func:`~.solar.solar_spectra`). A :class:`~cevns_lib.statistics.Binding`."""
    spectra = solar_spectra() if spectra is None else spectra
    p = get_parameter(match_name(getattr(parameter, "name", parameter), EM_PARAMETERS, "XENONnT parameter"))
    comps = mass_state_components(spectra) if p.kind == "transition" else flavour_components(spectra)
    if not comps:
        raise ValueError(f"spectra hold no component of the solar model (8B, hep): {p.name} cannot be bound")
    return bind(p, comps, params, phases)


def _runs_of(name):
    if not isinstance(name, str) or name not in _RUN_SETTINGS:
        raise ValueError(f"unknown dataset {name!r}; allowed: {', '.join(DATASETS)}")
    return tuple(release.release_parameters().setting(_RUN_SETTINGS[name]))


def build(name, spectra=None, physics=DEFAULT_PHYSICS, ac_sigma_sr2=None, separate=None, efficiency=None):
    """A :class:`Dataset` with non-default settings (for the alternatives of the register).

    ``spectra``: a :class:`~.solar.SolarSpectra` (default :func:`~.solar.solar_spectra`); ``physics``: the
    cross-section physics; ``ac_sigma_sr2``: the relative width of the SR2 AC prior (default from parameters.toml,
    choice D20); ``separate``: runs with their own ER/NR/efficiency nuisances (default: none if the setting
    ``sr2_shares_nuisances`` is true); ``efficiency``: whether the signal-efficiency nuisance exists (choice D29).
    """
    runs = _runs_of(name)
    pars = release.release_parameters()
    spectra = solar_spectra() if spectra is None else spectra
    if not isinstance(spectra, SolarSpectra):
        raise TypeError(f"spectra must be a SolarSpectra (see cevns_lib.datasets.xenonnt.solar), got {spectra!r}")
    if "8B" not in spectra.components:
        raise ValueError(f"spectra must hold the 8B component, got {', '.join(spectra.components)}")
    if not isinstance(physics, PhysicsModel):
        raise TypeError(f"physics must be a cevns_lib.physics.PhysicsModel, got {physics!r}")
    if ac_sigma_sr2 is None:
        ac_sigma_sr2 = float(pars.setting("prior_ac_sr2"))
    elif not (isinstance(ac_sigma_sr2, (int, float)) and np.isfinite(ac_sigma_sr2) and ac_sigma_sr2 > 0):
        raise ValueError(f"ac_sigma_sr2 must be a relative width > 0, got {ac_sigma_sr2!r}")
    if separate is None:
        separate = () if pars.setting("sr2_shares_nuisances") else tuple(r for r in runs if r == "sr2")
    separate = tuple(separate)
    efficiency = bool(pars.setting("signal_efficiency")) if efficiency is None else bool(efficiency)
    ac_sigma = {"sr0": pars.fact("prior_ac_sr0"), "sr1": pars.fact("prior_ac_sr1"), "sr2": ac_sigma_sr2}
    priors = MappingProxyType({"er": pars.fact("prior_er"), "nr": pars.fact("prior_nr"),
                               "efficiency": pars.fact("prior_signal_efficiency"), "t": pars.fact("prior_t")})
    limits = MappingProxyType({"rate": pars.fact("limits_rate_multiplier"),
                               "efficiency": pars.fact("limits_signal_efficiency"), "t": pars.fact("limits_t")})
    flux_ref = float(spectra.components["8B"][1])
    E = release.mono_templates(runs[0]).energy_keV
    basis = nr_basis({**spectra.components, **decomposed_components(spectra)}, E, physics=physics, terms=TERMS)
    models = []
    for r in runs:
        mono = release.mono_templates(r)
        if not np.array_equal(mono.energy_keV, E):
            raise ValueError(f"{r}: the mono templates' energies differ from those of {runs[0]}")
        bkg = release.background_templates(r)
        models.append(RunModel(r, float(pars.fact(f"exposure_{r}_t_yr")), release.observed_counts(r).ravel(),
                               bkg.ac.ravel(), bkg.er.ravel(), bkg.rg.reshape(7, 7, -1),
                               fold_basis(basis, mono), float(ac_sigma[r])))
    lik = Likelihood(models, flux_parameter(flux_ref, tuple(spectra.components)), priors, limits, efficiency, separate)
    p0 = lik.start()
    p0[0] = flux_ref / FLUX_SCALE_CM2_S
    n_sig = float(lik.components(p0)["signal"].sum())
    fixed = [c for c in spectra.components if not (c == "8B" or c.startswith("8B "))]
    n_hep = sum(m.exposure_t_yr * m.signal[(c, "sm")][3, 3].sum() for m in models for c in fixed)
    xsec = flux_averaged_cross_section(spectra.components["8B"][0], physics)
    return Dataset(name, tuple(models), E, basis, spectra, physics, flux_ref, priors, limits, efficiency, separate,
                   n_sig, float(n_hep), float(xsec), pars.published, lik)


@lru_cache(maxsize=None)
def dataset(name):
    """The :class:`Dataset` of a name in :data:`DATASETS` (any case) with the default settings (built once, cached)."""
    return _dataset(match_name(name, DATASETS, "dataset") if isinstance(name, str) else name)


@lru_cache(maxsize=None)
def _dataset(name):
    _runs_of(name)
    return build(name)


def total_exposure_t_yr(name):
    """The total exposure (t yr) of the runs of a dataset of :data:`DATASETS`."""
    return float(sum(release.release_parameters().fact(f"exposure_{r}_t_yr") for r in _runs_of(
        match_name(name, DATASETS, "dataset"))))


def projection(exposure_t_yr, name="xenonnt-8b-2026", data="asimov", prior_factors=None):
    """A projected dataset (choice D31): the runs of ``name`` with their exposures multiplied by one factor so that
    they add up to ``exposure_t_yr`` (t yr), the same templates (response and background rates per t yr), priors and
    fit limits, and Asimov data: the expected counts for the Standard Model at the reference 8B flux, every nuisance at
    its centre. ``data="observed"`` keeps the released counts instead (only with the released exposure).
    ``prior_factors``: {"er", "nr", "efficiency", "t": factor} multiplies those prior widths (e.g. 0.1 for a detector
    calibrated ten times better). A :class:`Dataset` named "<name> x <factor>"; a target of
    :func:`cevns_lib.statistics.parameter_limit` as usual."""
    import dataclasses

    d = dataset(name)
    target = check_positive(exposure_t_yr, "exposure_t_yr")
    if data not in DATA_KINDS:
        raise ValueError(f"unknown data {data!r}; allowed: {', '.join(DATA_KINDS)}")
    priors = dict(d.priors)
    for key, factor in dict(prior_factors or {}).items():
        if key not in priors:
            raise ValueError(f"prior_factors: unknown prior {key!r}; allowed: {', '.join(priors)}")
        priors[key] = priors[key] * check_positive(factor, f"prior_factors[{key!r}]")
    priors = MappingProxyType(priors)
    k = target / d.exposure_t_yr
    if data == "observed":
        if abs(k - 1.0) > 1e-12 or prior_factors:
            raise ValueError("observed data belong to the released exposure and priors; a projection uses "
                             "data='asimov'")
        return d
    runs = tuple(dataclasses.replace(r, exposure_t_yr=r.exposure_t_yr * k) for r in d.runs)
    lik = Likelihood(runs, d.likelihood.parameter, priors, d.limits, d.efficiency, d.separate)
    p0 = lik.start()
    p0[0] = d.flux_reference_cm2_s / FLUX_SCALE_CM2_S
    expected = lik.expected(p0)
    runs = tuple(dataclasses.replace(r, data=_read_only(e)) for r, e in zip(runs, expected))
    lik = Likelihood(runs, d.likelihood.parameter, priors, d.limits, d.efficiency, d.separate)
    return dataclasses.replace(d, name=f"{d.name} x {k:.4g}", runs=runs, priors=priors, n_predicted=d.n_predicted * k,
                               n_predicted_hep=d.n_predicted_hep * k, published=MappingProxyType({}), likelihood=lik,
                               data="asimov")


def _read_only(a):
    a = np.array(a, dtype=float)
    a.flags.writeable = False
    return a


def limit(name, parameter, cl=0.9, params=DE_SALAS_2018_NO, phases=(0.0, 0.0, 0.0)):
    """Limit on an electromagnetic parameter (a name of :data:`EM_PARAMETERS`) from a dataset (a name of
    :data:`DATASETS` or a :class:`Dataset`, e.g. a :func:`projection`): a :class:`cevns_lib.statistics.Limit`
    (profile likelihood, Wilks), values in the parameter's unit. ``phases`` of the Lambda_i: they do not enter (the
    solar neutrinos arrive as mass states), and are accepted to show it."""
    d = name if isinstance(name, Dataset) else dataset(name)
    return parameter_limit(d, d.binding(parameter, params, phases), check_finite_scalar(cl, "cl"))


def background_expectation(d, n_samples=200_000, seed=2024):
    """Nominal background of a dataset (every multiplier 1, t = 0) and its uncertainty from the priors (choice D28):
    (events, symmetric error, error below, error above). The symmetric error adds the prior widths in quadrature
    (t_ly and t_qy through the RG template's change between the anchors -1 and +1); the asymmetric ones are the
    16% and 84% quantiles of the background with the multipliers drawn from their priors truncated to the fit
    limits (and t drawn from N(0, 1), the RG template interpolated), relative to the nominal value."""
    lik = d.likelihood

    def total(p):
        c = lik.components(p)
        return float(c["ac"].sum() + c["er"].sum() + c["rg"].sum())

    p0 = lik.start()
    nominal = total(p0)
    var = 0.0
    for i, n in enumerate(lik.nuisances, start=1):
        if n.name.startswith("efficiency"):
            continue
        if n.name in ("t_ly", "t_qy"):
            up, dn = p0.copy(), p0.copy()
            up[i], dn[i] = 1.0, -1.0
            var += (0.5 * (total(up) - total(dn))) ** 2
            continue
        one = p0.copy()
        one[i] += 1.0
        var += (n.sigma * (total(one) - nominal)) ** 2
    rng = np.random.default_rng(seed)
    names = [n for n in lik.nuisances]
    draws = np.empty((n_samples, len(names)))
    for k, n in enumerate(names):
        x = rng.normal(n.centre, n.sigma, size=3 * n_samples)
        x = x[(x >= n.lower) & (x <= n.upper)][:n_samples]
        draws[:, k] = x
    # the background is linear in the multipliers and bilinear in t: evaluate the per-run totals on the draws
    X = lik.X
    ac, er = lik.AC.sum(axis=1) * X, lik.ER.sum(axis=1) * X
    rg = np.array([m.rg.sum(axis=-1) for m in d.runs]) * X[:, None, None]           # (R, 7, 7)
    idx = {n.name: k for k, n in enumerate(names)}
    a_ac = draws[:, [idx[f"ac_{m.name}"] for m in d.runs]]
    a_er = draws[:, [lik._er[r] - 1 for r in range(len(d.runs))]]
    a_nr = draws[:, [lik._nr[r] - 1 for r in range(len(d.runs))]]
    u = np.clip(draws[:, idx["t_ly"]], -3, 3) + 3.0
    v = np.clip(draws[:, idx["t_qy"]], -3, 3) + 3.0
    i, j = np.minimum(u.astype(int), 5), np.minimum(v.astype(int), 5)
    fx, fy = (u - i)[:, None], (v - j)[:, None]
    rg_t = ((1 - fx) * (1 - fy) * rg[:, i, j].T + fx * (1 - fy) * rg[:, i + 1, j].T
            + (1 - fx) * fy * rg[:, i, j + 1].T + fx * fy * rg[:, i + 1, j + 1].T)
    totals = np.sum(a_ac * ac + a_er * er + a_nr * rg_t, axis=1)
    q16, q84 = np.quantile(totals, [0.15865, 0.84135])
    return nominal, float(np.sqrt(var)), float(nominal - q16), float(q84 - nominal)


@dataclass(frozen=True)
class FitResult:
    """The 8B flux fit of a dataset (events, cm^-2 s^-1, cm^2; see :meth:`record` for the keys).

    ``n_background`` (nominal, with the prior-propagated errors of :func:`background_expectation`) and
    ``n_background_fit`` (at the best fit); ``n_cevns``: fitted CEvNS events (8B + hep, with the fitted efficiency
    and yields) with MINOS errors; ``n_cevns_predicted``: our Standard-Model prediction at the reference 8B flux;
    ``flux_8B_cm2_s`` with MINOS errors; ``xsec_cm2``: the flux-averaged cross section mu <sigma>_SM;
    ``significance_sigma``: sqrt(q0), q0 = Delta(-2 ln L) between Phi = 0 and the best fit; ``nuisances``: the
    fitted multipliers and t pulls (read-only).
    """

    dataset: str
    runs: tuple
    n_observed: int
    n_background: float
    n_background_err: float
    n_background_err_low: float
    n_background_err_high: float
    n_background_fit: float
    n_cevns: float
    n_cevns_err_low: float
    n_cevns_err_high: float
    n_cevns_predicted: float
    signal_strength: float
    flux_8B_cm2_s: float
    flux_8B_cm2_s_err_low: float
    flux_8B_cm2_s_err_high: float
    flux_8B_reference_cm2_s: float
    xsec_cm2: float
    xsec_cm2_err_low: float
    xsec_cm2_err_high: float
    xsec_sm_cm2: float
    q0: float
    significance_sigma: float
    nuisances: MappingProxyType
    m2lnl: float
    n_bins: int
    valid: bool
    spectra: str

    def record(self):
        """A plain dict (JSON-ready) of every field."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["runs"] = list(self.runs)
        out["nuisances"] = dict(self.nuisances)
        return out


def fit(name):
    """The 8B flux fit of a dataset of :data:`DATASETS` (:class:`FitResult`)."""
    return dataset_fit(dataset(name))


def dataset_fit(d):
    """The 8B flux fit of a :class:`Dataset` object (e.g. one from :func:`build` with other settings)."""
    if not isinstance(d, Dataset):
        raise TypeError(f"d must be a cevns_lib.datasets.xenonnt.Dataset (see build), got {d!r}")
    lik = d.likelihood
    best = lik.minimise(errors=True)
    null = lik.minimise(x=0.0, start=lik.vector(best))
    q0 = max(null.m2lnl - best.m2lnl, 0.0) if best.x > 0 else 0.0
    comps = lik.components(lik.vector(best))
    n_sig = float(comps["signal"].sum())
    # d(n_cevns)/dx at the best fit (the signal is linear in x): the hep part does not scale
    p = lik.vector(best)
    p1 = p.copy()
    p1[0] += 1.0
    slope = float(lik.components(p1)["signal"].sum()) - n_sig
    s = FLUX_SCALE_CM2_S
    mu = best.x * s / d.flux_reference_cm2_s
    lo, hi = best.errors["x_low"], best.errors["x_high"]
    nb, nb_err, nb_lo, nb_hi = background_expectation(d)
    x_per_mu = d.flux_reference_cm2_s / s
    return FitResult(
        d.name, tuple(r.name for r in d.runs), d.n_observed, nb, nb_err, nb_lo, nb_hi,
        float(comps["ac"].sum() + comps["er"].sum() + comps["rg"].sum()),
        n_sig, lo * slope, hi * slope, d.n_predicted, mu,
        best.x * s, lo * s, hi * s, d.flux_reference_cm2_s,
        mu * d.xsec_sm_cm2, lo / x_per_mu * d.xsec_sm_cm2, hi / x_per_mu * d.xsec_sm_cm2, d.xsec_sm_cm2,
        float(q0), float(np.sqrt(q0)), best.nuisances, best.m2lnl, int(lik.n.size), best.valid,
        d.spectra.description)


def profile(name, fluxes_cm2_s):
    """Delta(-2 ln L) at the 8B fluxes ``fluxes_cm2_s`` (cm^-2 s^-1, >= 0), the nuisances profiled, relative to
    the best fit: a read-only array."""
    d = dataset(name)
    phi = check_finite_array(fluxes_cm2_s, "fluxes_cm2_s")
    if phi.ndim != 1 or phi.size == 0 or np.any(phi < 0):
        raise ValueError(f"fluxes_cm2_s must be a 1-D array of fluxes >= 0 (cm^-2 s^-1), got {fluxes_cm2_s!r}")
    delta, _ = d.likelihood.profile(phi / FLUX_SCALE_CM2_S)
    return delta


def _toy_q0(name, truth, seeds):
    """q0 of background-only pseudo-experiments drawn from the parameter vector ``truth`` (one per seed)."""
    lik = dataset(name).likelihood
    lam = lik.expected(truth)
    out = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        counts = rng.poisson(lam)
        centres = {n.name: rng.normal(truth[k], n.sigma) for k, n in enumerate(lik.nuisances, start=1) if n.sigma > 0}
        toy = lik.with_observations(counts, centres)
        start = truth.copy()
        start[0] = 1.0
        best = toy.minimise(start=start)
        null = toy.minimise(x=0.0, start=toy.vector(best))
        out.append(max(null.m2lnl - best.m2lnl, 0.0) if best.x > 0 else 0.0)
    return out


_Q0_EDGES = np.arange(0.0, 20.5, 0.5)


def significance_toys(name, n_toys=300, n_jobs=1, seed=2026, batch=50):
    """The significance of a dataset from background-only pseudo-experiments (choice D25).

    The truth is the fit at Phi = 0 (nuisances profiled on the data); each toy draws Poisson counts in every bin
    and the constraint centres (global observables) from Gaussians around the truth, and is fitted twice (Phi free
    and Phi = 0). The p-value is the fraction of toys with q0 >= q0_obs. Toys run in ``n_jobs`` processes (joblib)
    in batches of ``batch``, seeded by numpy SeedSequence(``seed``). Returns a dict: dataset, q0_obs,
    z_asymptotic, n_toys, n_exceed, p_value, p_value_err, z_toys (None if no toy exceeds), tail checks of the
    toys against the asymptotic 1/2 chi2(1) law (fraction of q0 = 0 and of q0 > 1, > 4), a histogram of q0
    (``q0_edges``, ``q0_counts``: bins of 0.5 from 0 to 20, the last one open), seconds, seed.
    """
    from joblib import Parallel, delayed

    if isinstance(n_toys, bool) or not isinstance(n_toys, (int, np.integer)) or n_toys < 10:
        raise ValueError(f"n_toys must be an integer >= 10, got {n_toys!r}")
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0:
        raise ValueError(f"n_jobs must be a non-zero integer (joblib convention), got {n_jobs!r}")
    if isinstance(batch, bool) or not isinstance(batch, (int, np.integer)) or batch < 1:
        raise ValueError(f"batch must be a positive integer, got {batch!r}")
    t0 = time.perf_counter()
    d = dataset(name)
    lik = d.likelihood
    best = lik.minimise()
    truth_point = lik.minimise(x=0.0, start=lik.vector(best))
    q0_obs = max(truth_point.m2lnl - best.m2lnl, 0.0) if best.x > 0 else 0.0
    truth = lik.vector(truth_point)
    seeds = np.random.SeedSequence(seed).spawn(int(n_toys))
    chunks = [seeds[i:i + batch] for i in range(0, len(seeds), batch)]
    if n_jobs == 1:
        parts = [_toy_q0(name, truth, c) for c in chunks]
    else:
        parts = Parallel(n_jobs=n_jobs)(delayed(_toy_q0)(name, truth, c) for c in chunks)
    q0 = np.array([q for part in parts for q in part])
    n_exceed = int(np.sum(q0 >= q0_obs))
    p = n_exceed / q0.size
    return {"dataset": name, "q0_obs": float(q0_obs), "z_asymptotic": float(np.sqrt(q0_obs)),
            "p_asymptotic": float(0.5 * chi2.sf(q0_obs, 1)), "n_toys": int(q0.size), "n_exceed": n_exceed,
            "p_value": float(p), "p_value_err": float(np.sqrt(max(p * (1 - p), 1.0 / q0.size) / q0.size)),
            "z_toys": float(norm.isf(p)) if n_exceed > 0 else None,
            "fraction_q0_zero": float(np.mean(q0 <= 1e-6)),
            "fraction_q0_above_1": float(np.mean(q0 > 1.0)), "asymptotic_above_1": float(0.5 * chi2.sf(1.0, 1)),
            "fraction_q0_above_4": float(np.mean(q0 > 4.0)), "asymptotic_above_4": float(0.5 * chi2.sf(4.0, 1)),
            "q0_edges": [float(e) for e in _Q0_EDGES],
            "q0_counts": [int(k) for k in np.histogram(np.minimum(q0, _Q0_EDGES[-1] - 1e-9), _Q0_EDGES)[0]],
            "seconds": float(time.perf_counter() - t0), "n_jobs": int(n_jobs), "seed": seed,
            "method": "background-only toys from the Phi = 0 fit, global observables drawn, q0 = Delta(-2 ln L)"}

