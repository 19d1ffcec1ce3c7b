"""Event numbers, eqs. (32)-(33), for the Standard Model and every electromagnetic and tensor term, computed once.

    N = sum_components sum_isotopes K_x  int dT A(T) int dE lambda(E) dsigma/dT(E, T),   K_x = N_x Phi t_run

Every term of the cross section factorises into a function of the recoil energy T times a kinematic factor
that depends on E and T (:mod:`cevns_lib.physics.em_properties`): the weak charge squared Q_V^2, the charge-radius and
millicharge interference and square terms, the magnetic term, the tensor terms. The engine therefore folds the
spectrum with three kinematic factors only (vector, magnetic, tensor) at each recoil node and sums every term
with the same nodes. For every experiment and incident component it returns the event numbers of each term
per unit parameter (:class:`EventYields`): the SM number, the magnetic number per mu_B^2, the charge terms per
cm^2, e, cm^4, e^2, the tensor terms per unit coupling. Any parameter point, phase or contour afterwards is
arithmetic on these numbers.

Integration: Gauss-Legendre in ln T_N on segments whose ends include the threshold, the jumps of the
efficiency and the kinematic end point; for each T_N node, Gauss-Legendre in E_nu from E_min(T_N) to the end
of the spectrum, on segments split at the spectrum's kinks. A monochromatic line is evaluated at its energy.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from .. import constants as c
from ..experiment.experiment import check_experiment
from ..physics.cross_sections import energy_nodes_min_MeV, kinematic_factors, t_max_keV
from ..physics.em_properties import TERM_KINEMATICS, recoil_terms
from ..physics.nuclei import number_of_nuclei
from ..quadrature import check_nodes, gauss_legendre
from ..sources.spectra import check_spectrum
from ..validation import check_nonnegative_array, check_positive
from .response import detection_probability, recoil_range_keV, recoil_threshold_keV

__all__ = [
    "N_T", "N_E", "FLAVOUR_BEAM", "TERMS", "DIVERGENT_TERMS", "EventYields", "check_finite_terms", "recoil_nodes",
    "energy_quadrature", "folded_kinematics",
    "isotope_term_integrals", "isotope_yields", "event_yields", "recoil_spectrum", "folded_cross_sections",
    "term_densities", "node_term_densities", "flux_averaged_cross_section"
]


#: Default quadrature orders (nodes per segment) in T_N and E_nu; refined in the tests.
N_T, N_E = 48, 40


#: Incident component -> helicity beam of cevns_lib.physics.moments (the species).
FLAVOUR_BEAM = MappingProxyType({"nu_mu_prompt": "nu_mu", "nu_e": "nu_e", "nu_mu_bar": "nu_mu_bar",
                                 "nu_e_bar": "nu_e_bar", "nu_mu": "nu_mu", "nu_tau": "nu_tau",
                                 "nu_tau_bar": "nu_tau_bar"})


#: The terms every yield carries (see cevns_lib.physics.recoil_terms).
TERMS = tuple(TERM_KINEMATICS)


#: The terms whose recoil integral diverges at T_N -> 0 (as 1/T or 1/T^2): the magnetic term and the millicharge
#: terms. With a zero threshold their events are infinite (stored as inf) and a statistic that needs them refuses
#: the experiment (:func:`check_finite_terms`); the Standard-Model, charge-radius and tensor terms stay finite.
DIVERGENT_TERMS = ("mag", "q_lin", "q_quad", "r2_q")


_TERM_MEANING = {"mag": "the magnetic term (1/T_N)", "q_lin": "the millicharge interference term (1/T_N)",
                 "q_quad": "the millicharge term (1/T_N^2)", "r2_q": "the charge-radius x millicharge term (1/T_N)"}


def check_finite_terms(label, values, what=""):
    """Raise the reason if any of ``values`` ({term or (component, term): events}) is infinite: a zero threshold
    (``threshold_keV = 0``) makes the terms of :data:`DIVERGENT_TERMS` diverge at zero recoil energy."""
    bad = [k[1] if isinstance(k, tuple) else k for k, v in values.items() if not np.all(np.isfinite(v))]
    if bad:
        terms = ", ".join(_TERM_MEANING.get(k, k) for k in dict.fromkeys(bad))
        raise ValueError(f"{label}: threshold_keV = 0 (a zero threshold): {terms} diverges at zero recoil energy"
                         f"{', so ' + what + ' is not defined' if what else ''}; set threshold_keV > 0")


def _frozen(d):
    return MappingProxyType(dict(d))


@dataclass(frozen=True)
class EventYields:
    """Event numbers of one experiment, per incident component and per term (read-only).

    ``terms[component][term]``: events of each term per unit parameter ("sm": SM events; "mag": per mu_B^2;
    "r2_lin", "r2_quad": per cm^2 and cm^4; "q_lin", "q_quad": per e and e^2; "r2_q": per cm^2 e;
    "tensor_uu", "tensor_ud", "tensor_dd": per unit squared coupling at C_T = G_F). The charge terms are per unit
    of the neutrino's own q and <r^2> and are the same for neutrinos and antineutrinos (choice E1).
    ``per_isotope``: isotope name -> (n_sm, n_em) dicts per component. ``mass_states``: for a solar source converted
    in the Sun, the same neutrinos by the mass state they arrive in (``mass_states[component][term]``, components
    "8B nu_1", ... of :attr:`cevns_lib.experiment.Experiment.mass_state_components`; they add up to the same
    totals), for the transition moments; empty otherwise.
    """

    experiment: object
    terms: MappingProxyType
    per_isotope: MappingProxyType
    mass_states: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    @property
    def components(self):
        return tuple(self.terms)

    @property
    def n_sm(self):
        """SM events per component (read-only dict)."""
        return _frozen({f: t["sm"] for f, t in self.terms.items()})

    @property
    def n_em(self):
        """Magnetic-moment events per mu_B^2 per component (read-only dict); an error for a zero threshold."""
        out = {f: t["mag"] for f, t in self.terms.items()}
        check_finite_terms(self.experiment.label, {"mag": np.array(list(out.values()))}, "a magnetic-moment rate")
        return _frozen(out)

    @property
    def n_sm_total(self):
        """SM events summed over all incident components."""
        return sum(self.n_sm.values())

    def term(self, name, components=None):
        """A term summed over components (all flavour components by default; mass-state components by name)."""
        if name not in TERMS:
            raise ValueError(f"unknown term {name!r}; allowed: {', '.join(TERMS)}")
        comps = self.components if components is None else tuple(components)
        known = {**self.terms, **self.mass_states}
        bad = [f for f in comps if f not in known]
        if bad:
            raise ValueError(f"unknown component(s) {bad}; this experiment has {', '.join(known)}")
        total = sum(known[f][name] for f in comps)
        check_finite_terms(self.experiment.label, {name: total})
        return total

    def counts(self):
        """Events of every (component, term), flavour and mass-state components alike: a read-only mapping (the
        basis a :class:`cevns_lib.statistics.Binding` is applied to)."""
        return _frozen({(c, k): v for part in (self.terms, self.mass_states) for c, t in part.items()
                        for k, v in t.items()})

    def n_em_for(self, mu2_by_flavour):
        """EM events for the given mu_eff^2 (mu_B^2) per component: sum_f mu_f^2 n_em[f]."""
        return sum(np.asarray(mu2_by_flavour[f]) * self.terms[f]["mag"] for f in mu2_by_flavour)


def _spectrum(experiment, flavour):
    return experiment.spectrum_of(flavour)


def energy_quadrature(T_keV, mass_MeV, spectrum, n_e=N_E):
    """Quadrature for the inner integral of eq. (33) at each recoil energy.

    Returns nodes E (MeV) and weights w (dimensionless, spectrum included), both of shape
    (len(T), k), such that int_{E_min(T)}^{E_max} lambda(E) f(E, T) dE = sum(w * f(E, T), axis=1).
    Gauss-Legendre with ``n_e`` nodes on each segment between the spectrum's kinks; segments below
    E_min(T) get zero length (and zero weight). Not for monochromatic lines.
    """
    if spectrum.line is not None:
        raise ValueError(f"{spectrum.name} is a monochromatic line: evaluate the cross section at {spectrum.line} MeV")
    T = np.atleast_1d(np.asarray(T_keV, dtype=float))
    xe, we = gauss_legendre(n_e)
    emin = energy_nodes_min_MeV(T, mass_MeV)[:, None]
    edges = (0.0,) + tuple(spectrum.breaks) + (spectrum.e_max,)
    nodes, weights = [], []
    for a, b in zip(edges[:-1], edges[1:]):
        lo_e = np.maximum(emin, a)
        length = np.clip(b - lo_e, 0.0, None)
        E = lo_e + 0.5 * length * (xe[None, :] + 1.0)
        nodes.append(E)
        weights.append(0.5 * length * we[None, :] * spectrum.pdf(E))
    return np.concatenate(nodes, axis=1), np.concatenate(weights, axis=1)


def folded_kinematics(T_keV, iso, spectrum, physics, n_e=N_E):
    """Spectrum-averaged kinematic factors at recoil energies T (keV): (vector, magnetic in MeV^-1, tensor).

    int_{E_min(T)}^{E_max} lambda(E) k(E, T) dE for each factor, or k(E_line, T) for a line.
    """
    T = np.atleast_1d(np.asarray(T_keV, dtype=float))
    m = physics.mass_MeV(iso)
    if spectrum.line is not None:
        E = spectrum.line
        return kinematic_factors(E, T, m, physics)
    E, w = energy_quadrature(T, m, spectrum, n_e)
    Tg = T[:, None]
    return tuple(np.sum(w * k, axis=1) for k in kinematic_factors(E, Tg, m, physics))


def node_term_densities(T, iso, spectrum, physics, n_e):
    """Every term's cross section folded with the spectrum at recoil energies T: dict term -> cm^2/keV.

    The same for a neutrino and an antineutrino of that spectrum (choice E1). For the engine's own quadrature
    nodes (1-d array of T > 0 keV, an integer n_e): no validation; :func:`term_densities` checks its inputs."""
    kv, km, kt = folded_kinematics(T, iso, spectrum, physics, n_e)
    kin = {"vector": kv, "magnetic": km, "tensor": kt}
    m = physics.mass_MeV(iso)
    pref = c.G_F**2 * m / np.pi * c.HBARC2_CM2_MEV2 * 1e-3
    terms = recoil_terms(T, iso, physics)
    return {name: pref * kin[k] * terms[name] for name, k in TERM_KINEMATICS.items()}


def term_densities(T_keV, iso, spectrum, physics, n_e=N_E):
    """Every term's cross section folded with a spectrum at recoil energies ``T_keV`` (keV, 1-d array > 0): a dict
    term -> array in cm^2/keV per unit parameter of the term (the names of :data:`TERMS`), on one nucleus ``iso`` with
    the ``physics`` model (the same for neutrinos and antineutrinos, choice E1). The integrand of
    :func:`event_yields` per target nucleus and unit fluence, for data sets that fold it with their own response."""
    T = check_nonnegative_array(T_keV, "T_keV")
    check_spectrum(spectrum)
    return node_term_densities(np.atleast_1d(T), iso, spectrum, physics, check_nodes(n_e, "n_e"))


#: With a zero threshold, the recoils below this fraction of the window's upper end are integrated linearly in T.
_ZERO_SEGMENT = 1e-3


def recoil_nodes(lo_keV, hi_keV, breaks_keV=(), n_t=N_T):
    """Quadrature nodes T (keVnr) and weights (keV) on [lo, hi]: Gauss-Legendre in ln T on the segments between
    the ``breaks_keV`` inside; for lo = 0, linear in T below ``1e-3 hi`` (the integrand of the finite terms is
    flat there). Returns (T, w) with int f dT = sum(w f(T))."""
    xt, wt = gauss_legendre(n_t)
    T_list, w_list = [], []
    if lo_keV <= 0:
        t1 = min((b for b in breaks_keV if b > 0), default=hi_keV) * _ZERO_SEGMENT
        T_list.append(0.5 * t1 * (xt + 1.0))
        w_list.append(0.5 * t1 * wt)
        lo_keV = t1
    inner = tuple(sorted(b for b in set(breaks_keV) if lo_keV < b < hi_keV))
    nodes = np.log(np.array((lo_keV,) + inner + (hi_keV,)))
    for a, b in zip(nodes[:-1], nodes[1:]):
        u = 0.5 * (b - a) * xt + 0.5 * (b + a)
        T_list.append(np.exp(u))
        w_list.append(0.5 * (b - a) * wt * np.exp(u))     # dT = T d(ln T)
    return np.concatenate(T_list), np.concatenate(w_list)


def _recoil_nodes(experiment, iso, spectrum, n_t):
    lo, hi, inner = recoil_range_keV(experiment, iso, spectrum)
    if lo >= hi:
        return None, None, False
    T, w = recoil_nodes(lo, hi, inner, n_t)
    return T, w * detection_probability(experiment, T, iso), lo <= 0


def isotope_term_integrals(experiment, iso, component, n_t=N_T, n_e=N_E, physics=None):
    """Per target nucleus and unit fluence (cm^2): dict term -> integral over the detected recoil spectrum."""
    physics = experiment.physics if physics is None else physics
    spectrum = _spectrum(experiment, getattr(component, "name", component))
    T, wT, zero = _recoil_nodes(experiment, iso, spectrum, n_t)
    if T is None:
        return {name: 0.0 for name in TERMS}
    dens = node_term_densities(T, iso, spectrum, physics, n_e)
    return {name: (np.inf if zero and name in DIVERGENT_TERMS else float(np.sum(wT * v))) for name, v in dens.items()}


def isotope_yields(experiment, iso, spectrum, n_t=N_T, n_e=N_E, form_factor_model=None):
    """Per target nucleus and unit fluence (cm^2): (SM integral, EM integral per mu_B^2), for a spectrum."""
    physics = experiment.physics
    if form_factor_model is not None:
        physics = physics.replace(form_factor=form_factor_model)
    T, wT, zero = _recoil_nodes(experiment, iso, spectrum, n_t)
    if T is None:
        return 0.0, 0.0
    dens = node_term_densities(T, iso, spectrum, physics, n_e)
    return float(np.sum(wT * dens["sm"])), (np.inf if zero else float(np.sum(wT * dens["mag"])))


@lru_cache(maxsize=256)
def _event_yields(experiment, n_t, n_e, physics):
    comps = experiment.flavours
    fluence = {f: experiment.component_fluence_cm2(f) for f in comps}
    totals = {f: dict.fromkeys(TERMS, 0.0) for f in comps}
    per_iso = {}
    for iso, n_x in number_of_nuclei(experiment.material, experiment.mass_kg):
        sm_i, em_i = per_iso.get(iso.name, ({f: 0.0 for f in comps}, {f: 0.0 for f in comps}))
        for f in comps:
            k_x = n_x * fluence[f]
            vals = isotope_term_integrals(experiment, iso, f, n_t, n_e, physics)
            for name, v in vals.items():
                totals[f][name] += k_x * v
            sm_i[f] += k_x * vals["sm"]
            em_i[f] += k_x * vals["mag"]
        per_iso[iso.name] = (sm_i, em_i)
    mass = {m.name: dict.fromkeys(TERMS, 0.0) for m in experiment.mass_state_components}
    for iso, n_x in (number_of_nuclei(experiment.material, experiment.mass_kg) if mass else ()):
        for f in mass:
            k_x = n_x * experiment.component_fluence_cm2(f)
            for name, v in isotope_term_integrals(experiment, iso, f, n_t, n_e, physics).items():
                mass[f][name] += k_x * v
    terms = _frozen({f: _frozen(t) for f, t in totals.items()})
    per_iso = _frozen({k: (_frozen(a), _frozen(b)) for k, (a, b) in per_iso.items()})
    return EventYields(experiment=experiment, terms=terms, per_isotope=per_iso,
                       mass_states=_frozen({f: _frozen(t) for f, t in mass.items()}))


def event_yields(experiment, n_t=N_T, n_e=N_E, form_factor_model=None, physics=None):
    """:class:`EventYields` of an experiment: computed once per experiment (cached), reused for every parameter.

    Parameters
    ----------
    experiment : cevns_lib.experiment.Experiment
    n_t, n_e : Gauss-Legendre nodes per segment in ln T_N and in E_nu.
    form_factor_model : "sf", "helm", "kn" or "none" to override the experiment's form factor.
    physics : a PhysicsModel to use instead of the experiment's own.

    The result is read-only: callers cannot change what later calls return.
    """
    check_experiment(experiment)
    physics = experiment.physics if physics is None else physics
    if form_factor_model is not None:
        physics = physics.replace(form_factor=form_factor_model)
    return _event_yields(experiment, check_nodes(n_t, "n_t"), check_nodes(n_e, "n_e"), physics)


event_yields.cache_clear = _event_yields.cache_clear
event_yields.cache_info = _event_yields.cache_info


def recoil_spectrum(experiment, T_keV, n_e=N_E, form_factor_model=None, efficiency=True):
    """Differential event numbers dN/dT_N (events per keV) of an experiment at recoil energies T_N (keV).

    The integrand of the T_N integral of eq. (33), summed over isotopes: per component, the SM events
    per keV and the EM events per keV per mu_B^2. With ``efficiency=True`` (default) each isotope
    contributes inside its recoil range as in :func:`event_yields` (threshold, efficiency window,
    kinematic end point) and the detection probability is applied, so that integrating over T_N gives
    :func:`event_yields` up to the quadrature error. With ``efficiency=False`` the spectrum before any
    detector response is returned: from the recoil threshold (if any) to the kinematic end point.
    Returns ``(sm, em)``, dicts component -> array.
    """
    check_experiment(experiment)
    T = check_nonnegative_array(T_keV, "recoil energy T_keV")
    shape = T.shape
    T = np.atleast_1d(T).ravel()
    physics = experiment.physics
    if form_factor_model is not None:
        physics = physics.replace(form_factor=form_factor_model)
    sm = {f: np.zeros_like(T) for f in experiment.flavours}
    em = {f: np.zeros_like(T) for f in experiment.flavours}
    for iso, n_x in number_of_nuclei(experiment.material, experiment.mass_kg):
        eff = detection_probability(experiment, T, iso) if efficiency else np.ones_like(T)
        for f in experiment.flavours:
            spectrum = _spectrum(experiment, f)
            if efficiency:
                lo, hi, _ = recoil_range_keV(experiment, iso, spectrum)
            else:
                lo = recoil_threshold_keV(experiment, iso)
                e_top = spectrum.line if spectrum.line is not None else spectrum.e_max
                hi = float(t_max_keV(e_top, physics.mass_MeV(iso)))
            inside = (T >= lo) & (T <= hi) & (T > 0)
            if not np.any(inside):
                continue
            dens = node_term_densities(T[inside], iso, spectrum, physics, n_e)
            k = n_x * experiment.component_fluence_cm2(f) * eff[inside]
            sm[f][inside] += k * dens["sm"]
            em[f][inside] += k * dens["mag"]
    return ({f: v.reshape(shape) for f, v in sm.items()}, {f: v.reshape(shape) for f, v in em.items()})


def folded_cross_sections(T_keV, iso, spectrum, n_e=N_E, form_factor_model=None, physics=None):
    """Spectrum-averaged cross sections at recoil energies T_N (keV): the inner integral of eq. (33).

    Returns (SM, EM per mu_B^2) arrays in cm^2/keV: int_{E_min(T)}^{E_max} lambda(E) dsigma/dT(E, T) dE,
    or dsigma/dT at the line energy for a monochromatic spectrum (zero above its T_max).
    """
    from ..physics.model import DEFAULT_PHYSICS

    physics = DEFAULT_PHYSICS if physics is None else physics
    if form_factor_model is not None:
        physics = physics.replace(form_factor=form_factor_model)
    T = np.atleast_1d(np.asarray(T_keV, dtype=float))
    dens = node_term_densities(T, iso, spectrum, physics, n_e)
    return dens["sm"], dens["mag"]


def flux_averaged_cross_section(experiment, threshold_keV=0.0, physics=None, n=96):
    """Flux-averaged total cross section per target nucleus (cm^2), SM, over the experiment's whole source.

    <sigma> = sum_x eta_x sum_f int dE lambda_f(E) sigma_x(E) / (n_components sum_x eta_x), with sigma_x(E) the
    cross section integrated from ``threshold_keV`` (nuclear recoil, default 0) to T_max, eta_x the number of
    nuclei of isotope x and equal fluxes of the components (as at the SNS). This is the quantity COHERENT
    quotes as the flux-averaged cross section of CsI or Ar. No detector response enters. For a solar source converted
    in the Sun the components are weighted with their fluences (their spectra differ).
    """
    from ..physics.cross_sections import total_cross_section

    physics = experiment.physics if physics is None else physics
    thr = check_positive(threshold_keV, "threshold_keV", allow_zero=True)
    xg, wg = gauss_legendre(int(n))
    num, den = 0.0, 0.0
    for iso, n_x in number_of_nuclei(experiment.material, 1.0):
        per_comp = []
        for comp in experiment.flavours:
            spectrum = _spectrum(experiment, comp)
            if spectrum.line is not None:
                per_comp.append(float(total_cross_section(spectrum.line, iso, thr, model=physics, n=n)))
                continue
            edges = (0.0,) + tuple(spectrum.breaks) + (spectrum.e_max,)
            s = 0.0
            for a, b in zip(edges[:-1], edges[1:]):
                E = 0.5 * (b - a) * xg + 0.5 * (b + a)
                s += float(np.sum(0.5 * (b - a) * wg * spectrum.pdf(E) * total_cross_section(E, iso, thr, model=physics,
                                                                                              n=n)))
            per_comp.append(s)
        if experiment.converts_in_the_sun:
            w = np.array([experiment.component_fluence_cm2(f) for f in experiment.flavours])
            num += n_x * float(np.dot(w, per_comp) / w.sum())
        else:
            num += n_x * float(np.mean(per_comp))
        den += n_x
    return num / den
