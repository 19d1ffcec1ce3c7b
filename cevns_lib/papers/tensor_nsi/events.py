"""Tensor NSI event numbers, eq. (1.11) of the HNPS 2015 proceedings, from the core engine.

The detectors are experiment files (``data/experiments/papoulias2015/``) read by the same loader as every
other experiment; :class:`TensorSetup` (an SNS detector) and :class:`ReactorSetup` are thin views of an
:class:`~cevns_lib.experiment.Experiment` with the names the tensor chapters use. Event numbers come from
:func:`cevns_lib.engine.event_yields`, which integrates the SM, tensor and magnetic terms once per detector:

    N_T(eps_u, eps_d) = c_T^2 [a_uu eps_u^2 + 2 a_ud eps_u eps_d + a_dd eps_d^2],

and every coupling value, limit and contour afterwards is arithmetic on these numbers (:class:`Events`).

Beams (one vocabulary with the rest of the library, :func:`cevns_lib.sources.select`): "nu_e" = the
e-flavour components (the delayed nu_e at the SNS, alpha = e), "nu_mu" = the mu-flavour components (prompt
nu_mu and delayed anti-nu_mu, alpha = mu), "prompt" = the prompt nu_mu; a tuple of component names picks
components explicitly (for example ``("nu_e", "nu_mu_bar")``, the whole delayed window).
"""

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ...constants import EV_J, MEV_J
from ...data import read_toml
from ...detector.efficiency import FlatEfficiency
from ...detector.quenching import nr_from_ee
from ...engine.yields import N_E, N_T, event_yields, isotope_term_integrals
from ...experiment.experiment import Experiment
from ...experiment.registry import shipped_experiments
from ...physics.nuclei import number_of_nuclei
from ...sources.components import SNS_COMPONENTS, select
from ...sources.reactor import ReactorSpectrum, VogelEngel235U
from ...sources.sns import SNS_SPECTRA
from ...validation import check_choice, check_finite_array, check_finite_scalar, check_positive
from .cross_sections import DEFAULT_MODEL, QUARKS

__all__ = [
    "SNS_COMPONENT_NAMES", "NU_PER_FISSION_ESTIMATE", "ENERGY_PER_FISSION_ESTIMATE_MEV", "BEAMS", "BEAM_FLAVOUR",
    "REACTOR_SPECTRA", "TensorSetup", "ReactorSetup", "sns_normalisation", "beam_power_flux", "sns_setups",
    "sns_setup", "reactor_setups", "reactor_setup", "reactor_flux_estimate", "spectrum", "vogel_engel_235u",
    "Events", "unit_integrals", "component_events", "beam_counts", "beam_events", "reactor_events"
]


#: SNS beam components (names of cevns_lib.sources.SNS_COMPONENTS).
SNS_COMPONENT_NAMES = tuple(c.name for c in SNS_COMPONENTS)


#: Analysis beams of the tensor chapters -> component selections (cevns_lib.sources.select).
BEAMS = {"nu_e": "e-flavour", "nu_mu": "mu-flavour", "prompt": "prompt", "delayed": "delayed"}


#: Incoming flavour alpha probed by each beam (None: a mixture).
BEAM_FLAVOUR = {"nu_e": "e", "nu_mu": "mu", "prompt": "mu", "delayed": None}


#: Reactor spectra of the tensor chapters: the Vogel-Engel 235U fit and the project's model (choice A7).
REACTOR_SPECTRA = ("vogel_engel_235U", "project")


def _spectrum_object(name):
    check_choice(name, REACTOR_SPECTRA, "reactor spectrum")
    return VogelEngel235U() if name == "vogel_engel_235U" else ReactorSpectrum()


def _check_target(target):
    from ...physics.nuclei import is_isotope, isotope

    if not isinstance(target, str) or not is_isotope(target):
        raise ValueError(f"unknown mono-isotopic target {target!r}; give an isotope such as '76Ge'")
    isotope(target)
    return target


class _View:
    """What both setups share: the core Experiment behind them (``core``), fluence, targets, status tags."""

    @property
    def fluence_cm2(self):
        """Time-integrated flux per flavour (cm^-2)."""
        return self.core.fluence_cm2()

    @property
    def n_targets(self):
        """Number of target nuclei (mono-isotopic)."""
        return number_of_nuclei(self.target, self.mass_kg)[0][1]

    def status_of(self, name):
        return dict(self.status).get(name, "")


def _physics(model):
    return (DEFAULT_MODEL if model is None else model).physics()


@dataclass(frozen=True)
class TensorSetup(_View):
    """A COHERENT-like detector at the SNS (units in the field names), a view of an Experiment.

    The flux of each flavour at distance L is phi_20m_cm2_s (flux_reference_m / L)^2; the event
    numbers are N_targ Phi t_tot times the (flat) efficiency and the integrals, eq. (1.11).
    """

    target: str
    baseline_m: float
    mass_kg: float
    threshold_keV: float
    efficiency: float = 1.0
    exposure_s: float = 3.156e7
    phi_20m_cm2_s: float = 2.5e7
    flux_reference_m: float = 20.0
    status: tuple = field(default=(), compare=False)

    def __post_init__(self):
        _check_target(self.target)
        check_positive(self.baseline_m, "baseline_m (m)")
        check_positive(self.mass_kg, "detector mass (kg)")
        check_positive(self.threshold_keV, "threshold (keV)")
        eff = check_finite_scalar(self.efficiency, "efficiency")
        if not 0 < eff <= 1:
            raise ValueError(f"efficiency must be in (0, 1], got {self.efficiency!r}")
        object.__setattr__(self, "core", Experiment(
            experiment=self.target, stage="", source="SNS", material=self.target, mass_kg=self.mass_kg,
            threshold_keV=self.threshold_keV, efficiency=FlatEfficiency(eff), baseline_m=self.baseline_m,
            flux_cm2_s=check_positive(self.phi_20m_cm2_s, "flux at the reference distance (cm^-2 s^-1)"),
            flux_reference_m=check_positive(self.flux_reference_m, "flux_reference_m (m)"),
            exposure_s=check_positive(self.exposure_s, "exposure (s)"), statistic="counting", sigma_alpha=0.0,
            physics=DEFAULT_MODEL.physics(), name=f"Tensor NSI {self.target} at {self.baseline_m:g} m"))

    @classmethod
    def from_experiment(cls, e):
        """The view of a shipped SNS experiment file (papoulias2015/sns-*.toml)."""
        return cls(target=e.material, baseline_m=e.baseline_m, mass_kg=e.mass_kg, threshold_keV=e.threshold_keV,
                   efficiency=e.efficiency.value, exposure_s=e.exposure_s, phi_20m_cm2_s=e.flux_cm2_s,
                   flux_reference_m=e.flux_reference_m,
                   status=tuple(dict(e.status, phi_20m_cm2_s=e.status_of("flux_cm2_s")).items()))

    @property
    def label(self):
        return f"{self.target} ({self.baseline_m:g} m)"

    @property
    def flux_cm2_s(self):
        """Flux of each flavour at the detector (cm^-2 s^-1)."""
        return self.phi_20m_cm2_s * (self.flux_reference_m / self.baseline_m) ** 2


@dataclass(frozen=True)
class ReactorSetup(_View):
    """A TEXONO- or GEMMA-like 76Ge detector at a reactor (units in the field names), a view of an Experiment.

    ``flux_cm2_s`` is the flux at ``flux_reference_m`` (the site's baseline when read from its file): a changed
    ``baseline_m`` rescales it as 1/L^2 (choice E3), like every other experiment."""

    experiment: str
    reactor: str
    target: str
    power_GW: float
    baseline_m: float
    flux_cm2_s: float
    mass_kg: float
    exposure_s: float
    thresholds_keV: tuple
    efficiency: float = 1.0
    spectrum: str = "vogel_engel_235U"
    mu_limit_muB: float | None = None
    mu_limit_reference: str = ""
    mu_limit_earlier_muB: float | None = None
    mu_limit_earlier_reference: str = ""
    flux_reference_m: float | None = None
    status: tuple = field(default=(), compare=False)

    def __post_init__(self):
        _check_target(self.target)
        if self.flux_reference_m is None:
            object.__setattr__(self, "flux_reference_m", self.baseline_m)
        for name in ("power_GW", "baseline_m", "flux_cm2_s", "mass_kg", "exposure_s", "flux_reference_m"):
            check_positive(getattr(self, name), f"{self.experiment} {name}")
        object.__setattr__(self, "thresholds_keV", tuple(check_positive(t, f"{self.experiment} threshold (keV)")
                                                         for t in self.thresholds_keV))
        if not self.thresholds_keV:
            raise ValueError(f"{self.experiment}: give at least one threshold")
        eff = check_finite_scalar(self.efficiency, "efficiency")
        if not 0 < eff <= 1:
            raise ValueError(f"efficiency must be in (0, 1], got {self.efficiency!r}")
        object.__setattr__(self, "core", Experiment(
            experiment=self.experiment, stage="", source="reactor", material=self.target,
            mass_kg=self.mass_kg, threshold_keV=self.thresholds_keV[0], efficiency=FlatEfficiency(eff),
            baseline_m=self.baseline_m, flux_cm2_s=self.flux_cm2_s, flux_reference_m=self.flux_reference_m,
            power_GW=self.power_GW, exposure_s=self.exposure_s, spectrum=_spectrum_object(self.spectrum),
            statistic="counting", sigma_alpha=0.0, physics=DEFAULT_MODEL.physics(),
            name=f"Tensor NSI {self.experiment}"))

    @classmethod
    def from_experiment(cls, e):
        """The view of a shipped reactor experiment file (papoulias2015/*-76ge.toml)."""
        comp = dict(e.comparison)
        thresholds = tuple(float(t) for t in str(comp.get("thresholds_keV", e.threshold_keV)).split(","))
        return cls(experiment=e.experiment, reactor=comp.get("reactor", ""), target=e.material,
                   power_GW=e.power_GW, baseline_m=e.baseline_m, flux_cm2_s=e.flux_cm2_s, mass_kg=e.mass_kg,
                   exposure_s=e.exposure_s, thresholds_keV=thresholds, efficiency=e.efficiency.value,
                   spectrum="vogel_engel_235U" if isinstance(e.spectrum, VogelEngel235U) else "project",
                   mu_limit_muB=comp.get("mu_limit_muB"), mu_limit_reference=comp.get("mu_limit_reference", ""),
                   mu_limit_earlier_muB=comp.get("mu_limit_earlier_muB"),
                   mu_limit_earlier_reference=comp.get("mu_limit_earlier_reference", ""),
                   flux_reference_m=e.flux_reference_m, status=e.status)

    @property
    def label(self):
        return f"{self.experiment}-like {self.target}"


@lru_cache(maxsize=None)
def _shipped():
    files = [e for e in shipped_experiments() if e.file.startswith("papoulias2015/")]
    sns = sorted((TensorSetup.from_experiment(e) for e in files if e.source == "SNS"),
                 key=lambda s: (s.baseline_m, int(s.target[:-2])))
    reactors = [ReactorSetup.from_experiment(e) for e in files if e.source == "reactor"]
    order = {"TEXONO": 0, "GEMMA": 1}
    reactors.sort(key=lambda r: order.get(r.experiment, 99))
    return tuple(sns), tuple(reactors)


@lru_cache(maxsize=None)
def _beam_power_variant():
    return read_toml("inputs", "tensor_nsi.toml")["beam_power_variant"]


def sns_normalisation():
    """The SNS normalisation inputs as a dict: phi_20m_cm2_s, flux_reference_m, exposure_s, status,
    and the beam-power variant (nu_per_pot, power_MW, proton_energy_GeV, phi_20m_cm2_s)."""
    first = _shipped()[0][0]
    var = {k: v for k, v in _beam_power_variant().items() if k != "status"}
    var["phi_20m_cm2_s"] = beam_power_flux(var["nu_per_pot"], var["power_MW"], var["proton_energy_GeV"],
                                           first.flux_reference_m)
    return {"phi_20m_cm2_s": first.phi_20m_cm2_s, "flux_reference_m": first.flux_reference_m,
            "exposure_s": first.exposure_s,
            "status": {"phi_20m_cm2_s": first.status_of("phi_20m_cm2_s"), "exposure_s": first.status_of("exposure_s")},
            "beam_power_variant": var}


#: Round numbers of a quick reactor-flux estimate: antineutrinos and thermal energy (MeV) per fission.
NU_PER_FISSION_ESTIMATE = 6.0
ENERGY_PER_FISSION_ESTIMATE_MEV = 200.0


def beam_power_flux(nu_per_pot, power_MW, proton_energy_GeV, baseline_m=20.0):
    """Flux per flavour (cm^-2 s^-1) from the beam: r (P / E_p) / (4 pi L^2)."""
    r = check_positive(nu_per_pot, "neutrinos per flavour per proton")
    p = check_positive(power_MW, "beam power (MW)")
    ep = check_positive(proton_energy_GeV, "proton energy (GeV)")
    L = check_positive(baseline_m, "distance (m)")
    protons_per_s = p * 1e6 / (ep * 1e9 * EV_J)
    return r * protons_per_s / (4 * np.pi * (100.0 * L) ** 2)


def sns_setups(phi_20m_cm2_s=None, exposure_s=None):
    """The four COHERENT-like setups (20Ne, 40Ar, 76Ge at 20 m; 132Xe at 40 m), optionally with another
    flux normalisation (cm^-2 s^-1 per flavour at 20 m) or exposure (s)."""
    out = _shipped()[0]
    changes = {}
    if phi_20m_cm2_s is not None:
        changes["phi_20m_cm2_s"] = check_positive(phi_20m_cm2_s, "phi_20m_cm2_s")
    if exposure_s is not None:
        changes["exposure_s"] = check_positive(exposure_s, "exposure_s")
    return tuple(dataclasses.replace(s, **changes) for s in out) if changes else out


def sns_setup(target, **changes):
    """The SNS setup of one target ("20Ne", "40Ar", "76Ge", "132Xe"), with optional field changes."""
    for s in _shipped()[0]:
        if s.target == target:
            return dataclasses.replace(s, **changes) if changes else s
    raise ValueError(f"no SNS setup for target {target!r}; allowed: {', '.join(s.target for s in _shipped()[0])}")


def reactor_setups():
    """The TEXONO- and GEMMA-like 76Ge setups."""
    return _shipped()[1]


def reactor_setup(experiment, **changes):
    """The reactor setup of ``experiment`` ("TEXONO" or "GEMMA"), with optional field changes."""
    for s in _shipped()[1]:
        if s.experiment.lower() == str(experiment).lower():
            return dataclasses.replace(s, **changes) if changes else s
    raise ValueError(f"unknown reactor experiment {experiment!r}; allowed: "
                     f"{', '.join(s.experiment for s in _shipped()[1])}")


def reactor_flux_estimate(power_GW, baseline_m, nu_per_fission=NU_PER_FISSION_ESTIMATE,
                          energy_per_fission_MeV=ENERGY_PER_FISSION_ESTIMATE_MEV):
    """Cross-check of a reactor flux (cm^-2 s^-1): P n_nu / (E_f 4 pi L^2), with the round numbers of a quick
    estimate (6 antineutrinos and 200 MeV per fission) by default."""
    P = check_positive(power_GW, "thermal power (GW)")
    L = check_positive(baseline_m, "distance (m)")
    n = check_positive(nu_per_fission, "antineutrinos per fission")
    ef = check_positive(energy_per_fission_MeV, "energy per fission (MeV)")
    return P * 1e9 / (ef * MEV_J) * n / (4 * np.pi * (100.0 * L) ** 2)


def spectrum(name):
    """A unit-area spectrum object by name: the SNS components "nu_mu_prompt" (a line), "nu_e",
    "nu_mu_bar" (cevns_lib.sources.SNS_SPECTRA), or the reactor spectra "vogel_engel_235U" and "project"."""
    if name in SNS_SPECTRA:
        return SNS_SPECTRA[name]
    if name in REACTOR_SPECTRA:
        return _spectrum_object(name)
    raise ValueError(f"unknown spectrum {name!r}; allowed: {', '.join(tuple(SNS_SPECTRA) + REACTOR_SPECTRA)}")


def vogel_engel_235u(E_MeV):
    """Vogel-Engel 235U fit exp(0.870 - 0.160 E - 0.091 E^2), normalised to 1 on 0-10 MeV (MeV^-1)."""
    return VogelEngel235U().pdf(E_MeV)


@dataclass(frozen=True)
class Events:
    """Event numbers of one count (a target and a beam or beam component).

    n_sm : SM events (eq. 1.4 with eps^V = 0), the pseudo-data of eq. (1.12).
    a_uu, a_ud, a_dd : tensor events for unit couplings at c_T = 1, so that
        N_T(eps_u, eps_d) = c_T^2 (a_uu eps_u^2 + 2 a_ud eps_u eps_d + a_dd eps_d^2).
    n_em : magnetic-moment events per mu_B^2 (eq. 1.9).
    """

    label: str
    n_sm: float
    a_uu: float
    a_ud: float
    a_dd: float
    n_em: float

    def tensor(self, eps_u, eps_d=0.0, c_T=1.0):
        """Tensor events N_T(eps_u, eps_d) (vectorised over the couplings)."""
        u = check_finite_array(eps_u, "eps_u")
        d = check_finite_array(eps_d, "eps_d")
        c_T = check_positive(c_T, "c_T")
        return c_T**2 * (self.a_uu * u**2 + 2 * self.a_ud * u * d + self.a_dd * d**2)

    def tensor_unit(self, quark):
        """N_T(1): tensor events for eps^{qT} = 1 (the other coupling zero), c_T = 1."""
        return {"u": self.a_uu, "d": self.a_dd}[check_choice(quark, QUARKS, "quark")]

    def total(self, eps_u=0.0, eps_d=0.0, c_T=1.0, mu_nu=0.0):
        """SM + tensor + magnetic events (no interference terms), eq. (1.10) integrated."""
        mu = check_finite_array(mu_nu, "mu_nu")
        return self.n_sm + self.tensor(eps_u, eps_d, c_T) + self.n_em * mu**2

    def matrix(self, c_T=1.0):
        """The 2x2 matrix A with N_T = (eps_u, eps_d) A (eps_u, eps_d)^T."""
        return check_positive(c_T, "c_T") ** 2 * np.array([[self.a_uu, self.a_ud], [self.a_ud, self.a_dd]])

    def scaled(self, factor):
        """All numbers times ``factor`` (flux x mass x time)."""
        f = check_positive(factor, "scale factor")
        return Events(self.label, self.n_sm * f, self.a_uu * f, self.a_ud * f, self.a_dd * f, self.n_em * f)

    def __add__(self, other):
        if not isinstance(other, Events):
            return NotImplemented
        return Events(f"{self.label} + {other.label}", self.n_sm + other.n_sm, self.a_uu + other.a_uu,
                      self.a_ud + other.a_ud, self.a_dd + other.a_dd, self.n_em + other.n_em)


def _events(label, terms, k=1.0):
    return Events(label, k * terms["sm"], k * terms["tensor_uu"], k * terms["tensor_ud"], k * terms["tensor_dd"],
                  k * terms["mag"])


def unit_integrals(target, component, threshold_keV, model=DEFAULT_MODEL, n_t=N_T, n_e=N_E):
    """Per nucleus and unit fluence (cm^2): (SM, tensor uu, tensor ud, tensor dd, magnetic per mu_B^2).

    int dE eta(E) int_{T_thres}^{T_max(E)} dT dsigma/dT, with the tensor pieces at unit couplings and
    c_T = 1, from the core engine (:func:`cevns_lib.engine.isotope_term_integrals`). ``component``: an SNS
    component ("nu_mu_prompt", "nu_e", "nu_mu_bar") or a reactor spectrum ("vogel_engel_235U", "project").
    """
    thr = check_positive(threshold_keV, "threshold (keV)")
    if component in REACTOR_SPECTRA:
        exp = dataclasses.replace(reactor_setups()[0].core, material=target, threshold_keV=thr,
                                  spectrum=_spectrum_object(component))
        comp = "nu_e_bar"
    else:
        check_choice(component, SNS_COMPONENT_NAMES, "SNS beam component")
        exp = dataclasses.replace(sns_setups()[0].core, material=_check_target(target), threshold_keV=thr)
        comp = component
    iso = number_of_nuclei(exp.material, 1.0)[0][0]
    vals = isotope_term_integrals(exp, iso, comp, n_t, n_e, _physics(model))
    return tuple(float(vals[t]) for t in ("sm", "tensor_uu", "tensor_ud", "tensor_dd", "mag"))


def _check_model(model):
    if model is not None and not hasattr(model, "physics"):
        raise TypeError(f"model must be a CrossSectionModel, got {model!r}")


def component_events(experiment, component, model=DEFAULT_MODEL, n_t=N_T, n_e=N_E):
    """:class:`Events` of one SNS beam component ("nu_mu_prompt", "nu_e", "nu_mu_bar") for a :class:`TensorSetup`."""
    if not isinstance(experiment, TensorSetup):
        raise TypeError(f"experiment must be a TensorSetup, got {experiment!r}")
    check_choice(component, SNS_COMPONENT_NAMES, "SNS beam component")
    _check_model(model)
    y = event_yields(experiment.core, n_t, n_e, physics=_physics(model))
    return _events(f"{experiment.label} {component}", y.terms[component])


def beam_counts(experiment, beam, model=DEFAULT_MODEL, mu_beam_mode="combined"):
    """The independent counts of a beam: one :class:`Events` (``mu_beam_mode="combined"``, the default,
    choice N11) or one per component (``"separate"``: prompt and delayed time windows)."""
    if isinstance(beam, str):
        check_choice(beam, tuple(BEAMS), "beam")
        selection = BEAMS[beam]
    else:
        selection = tuple(beam)
    check_choice(mu_beam_mode, ("combined", "separate"), "mu_beam_mode")
    comps = [component_events(experiment, c.name, model) for c in select(SNS_COMPONENTS, selection)]
    if mu_beam_mode == "separate":
        return tuple(comps)
    total = comps[0]
    for e in comps[1:]:
        total = total + e
    name = beam if isinstance(beam, str) else "+".join(beam)
    return (dataclasses.replace(total, label=f"{experiment.label} {name}"),)


def beam_events(experiment, beam, model=DEFAULT_MODEL):
    """:class:`Events` of an analysis beam ("nu_e", "nu_mu", "prompt", "delayed", or component names), one count."""
    return beam_counts(experiment, beam, model)[0]


def reactor_events(experiment, threshold_keV=None, model=DEFAULT_MODEL, threshold_kind="nr"):
    """:class:`Events` of a reactor setup at one threshold (anti-nu_e, alpha = e).

    ``threshold_keV`` defaults to the setup's first threshold; ``threshold_kind`` "nr" (nuclear recoil,
    default) or "ee" (electron-equivalent, converted with the Lindhard factor of cevns_lib.detector.quenching).
    """
    if not isinstance(experiment, ReactorSetup):
        raise TypeError(f"experiment must be a ReactorSetup, got {experiment!r}")
    _check_model(model)
    thr = experiment.thresholds_keV[0] if threshold_keV is None else check_positive(threshold_keV, "threshold (keV)")
    check_choice(threshold_kind, ("nr", "ee"), "threshold kind")
    if threshold_kind == "ee":
        iso = (DEFAULT_MODEL if model is None else model).nucleus(experiment.target)
        thr = float(nr_from_ee(thr, iso.Z, iso.A))
    exp = dataclasses.replace(experiment.core, threshold_keV=thr)
    y = event_yields(exp, physics=_physics(model))
    return _events(f"{experiment.label} T > {thr:.3g} keVnr", y.terms["nu_e_bar"])
