"""Event numbers, eqs. (32)-(33): Standard-Model events and magnetic-moment events per unit mu_eff^2.

    N = sum_flavours sum_isotopes K_x  int dT A(T) int dE lambda(E) dsigma/dT(E, T),   K_x = N_x Phi t_run

The magnetic-moment cross section is linear in mu_eff^2, so for every setup we compute once, per
incident flavour f, the SM number n_sm[f] and the EM number per unit mu_eff^2, n_em[f] (per mu_B^2).
Any choice of Lambda and phases is then a multiplication: N_EM = sum_f mu_f^2 n_em[f].

Integration: Gauss-Legendre in ln T_N on segments whose ends include the threshold, the jumps of
the efficiency and the kinematic end point; for each T_N node, Gauss-Legendre in E_nu from
E_min(T_N) to the end of the spectrum, on segments split at the spectrum's kinks.
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ._checks import check_nonnegative_array
from .cross_sections import dsigma_em, dsigma_sm, e_min_MeV, t_max_keV
from .fluxes import SNS_SPECTRA
from .nuclei import number_of_nuclei
from .quenching import threshold_nr_keV

#: Default quadrature orders (nodes per segment) in T_N and E_nu; refined in the tests.
N_T, N_E = 48, 40

#: Flavour labels of the event numbers and the beam (helicity amplitudes of cevns_lib.moments) of each.
FLAVOUR_BEAM = {"nu_mu_prompt": "nu_mu", "nu_e": "nu_e", "nu_mu_bar": "nu_mu_bar", "nu_e_bar": "nu_e_bar"}


@dataclass(frozen=True)
class EventYields:
    """SM events and EM events per mu_B^2, per incident flavour, for one setup.

    ``n_sm`` and ``n_em`` are dicts flavour -> number; ``per_isotope`` maps isotope name -> (n_sm, n_em) dicts.
    """

    setup: object
    n_sm: dict
    n_em: dict
    per_isotope: dict

    @property
    def n_sm_total(self):
        """SM events summed over all incident flavours."""
        return sum(self.n_sm.values())

    def n_em_for(self, mu2_by_flavour):
        """EM events for the given mu_eff^2 (mu_B^2) per flavour: sum_f mu_f^2 n_em[f]."""
        return sum(np.asarray(mu2_by_flavour[f]) * self.n_em[f] for f in mu2_by_flavour)


def _spectrum(setup, flavour):
    if setup.source == "SNS":
        return SNS_SPECTRA[flavour]
    return setup.reactor_spectrum


@lru_cache(maxsize=None)
def _gl(n):
    """Gauss-Legendre nodes and weights on [-1, 1] (cached, read-only)."""
    x, w = np.polynomial.legendre.leggauss(n)
    x.flags.writeable = False
    w.flags.writeable = False
    return x, w


def recoil_range_keV(setup, iso, spectrum):
    """(T_low, T_high, inner breaks) in keV for one isotope and spectrum; T_low >= T_high means no events."""
    t_thr = threshold_nr_keV(setup.threshold_keV, setup.threshold_kind, iso.Z, iso.A)
    eff_breaks = setup.efficiency.breaks_keV()
    lower = max(t_thr, eff_breaks[0] if eff_breaks else 0.0)
    if lower <= 0:
        raise ValueError(f"{setup.label}: a zero threshold makes the magnetic-moment rate diverge; "
                         f"set threshold_keV > 0")
    upper = float(t_max_keV(spectrum.e_max, iso.mass_MeV))
    if eff_breaks:
        upper = min(upper, eff_breaks[-1])
    inner = tuple(b for b in eff_breaks if lower < b < upper)
    return lower, upper, inner


def isotope_yields(setup, iso, spectrum, n_t=N_T, n_e=N_E, form_factor_model="sf"):
    """Per target nucleus and unit fluence (cm^2): (SM integral, EM integral per mu_B^2)."""
    lo, hi, inner = recoil_range_keV(setup, iso, spectrum)
    if lo >= hi:
        return 0.0, 0.0
    xt, wt = _gl(n_t)
    nodes = np.log(np.array((lo,) + inner + (hi,)))
    T_list, wT_list = [], []
    for a, b in zip(nodes[:-1], nodes[1:]):
        u = 0.5 * (b - a) * xt + 0.5 * (b + a)
        T_list.append(np.exp(u))
        wT_list.append(0.5 * (b - a) * wt * np.exp(u))     # dT = T d(ln T)
    T = np.concatenate(T_list)
    wT = np.concatenate(wT_list) * setup.efficiency(T)
    sm_tot, em_tot = folded_cross_sections(T, iso, spectrum, n_e, form_factor_model)
    return float(np.sum(wT * sm_tot)), float(np.sum(wT * em_tot))


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
    xe, we = _gl(n_e)
    emin = e_min_MeV(T, mass_MeV)[:, None]
    edges = (0.0,) + tuple(spectrum.breaks) + (spectrum.e_max,)
    nodes, weights = [], []
    for a, b in zip(edges[:-1], edges[1:]):
        lo_e = np.maximum(emin, a)
        length = np.clip(b - lo_e, 0.0, None)
        E = lo_e + 0.5 * length * (xe[None, :] + 1.0)
        nodes.append(E)
        weights.append(0.5 * length * we[None, :] * spectrum.pdf(E))
    return np.concatenate(nodes, axis=1), np.concatenate(weights, axis=1)


def folded_cross_sections(T_keV, iso, spectrum, n_e=N_E, form_factor_model="sf"):
    """Spectrum-averaged cross sections at recoil energies T_N (keV): the inner integral of eq. (33).

    Returns (SM, EM per mu_B^2) arrays in cm^2/keV: int_{E_min(T)}^{E_max} lambda(E) dsigma/dT(E, T) dE,
    or dsigma/dT at the line energy for a monochromatic spectrum (zero above its T_max).
    """
    T = np.atleast_1d(np.asarray(T_keV, dtype=float))
    if spectrum.line is not None:
        return (dsigma_sm(spectrum.line, T, iso, form_factor_model),
                dsigma_em(spectrum.line, T, iso, 1.0, form_factor_model))
    E, w = energy_quadrature(T, iso.mass_MeV, spectrum, n_e)
    return (np.sum(w * dsigma_sm(E, T[:, None], iso, form_factor_model), axis=1),
            np.sum(w * dsigma_em(E, T[:, None], iso, 1.0, form_factor_model), axis=1))


@lru_cache(maxsize=256)
def event_yields(setup, n_t=N_T, n_e=N_E, form_factor_model="sf"):
    """:class:`EventYields` of a setup: computed once per setup (cached), reused for every Lambda.

    Parameters
    ----------
    setup : cevns_lib.experiments.Setup
    n_t, n_e : Gauss-Legendre nodes per segment in ln T_N and in E_nu.
    form_factor_model : "sf" (default), "helm", "kn" or "none".
    """
    fluence = setup.fluence_cm2()
    n_sm = {f: 0.0 for f in setup.flavours}
    n_em = {f: 0.0 for f in setup.flavours}
    per_iso = {}
    for iso, n_x in number_of_nuclei(setup.material, setup.mass_kg):
        k_x = n_x * fluence
        sm_i, em_i = {}, {}
        for f in setup.flavours:
            s, e = isotope_yields(setup, iso, _spectrum(setup, f), n_t, n_e, form_factor_model)
            sm_i[f], em_i[f] = k_x * s, k_x * e
            n_sm[f] += sm_i[f]
            n_em[f] += em_i[f]
        prev = per_iso.get(iso.name, ({f: 0.0 for f in setup.flavours}, {f: 0.0 for f in setup.flavours}))
        per_iso[iso.name] = ({f: prev[0][f] + sm_i[f] for f in sm_i}, {f: prev[1][f] + em_i[f] for f in em_i})
    return EventYields(setup=setup, n_sm=n_sm, n_em=n_em, per_isotope=per_iso)


def recoil_spectrum(setup, T_keV, n_e=N_E, form_factor_model="sf", efficiency=True):
    """Differential event numbers dN/dT_N (events per keV) of a setup at recoil energies T_N (keV).

    The integrand of the T_N integral of eq. (33), summed over isotopes: per flavour, the SM events
    per keV and the EM events per keV per mu_B^2. With ``efficiency=True`` (default) each isotope
    contributes inside its recoil range as in :func:`event_yields` (threshold, efficiency window,
    kinematic end point) and the efficiency is applied, so that integrating over T_N gives
    :func:`event_yields` up to the quadrature error. With ``efficiency=False`` the spectrum before any
    detector response is returned: from the recoil threshold (if any) to the kinematic end point.
    Returns ``(sm, em)``, dicts flavour -> array.
    """
    T = check_nonnegative_array(T_keV, "recoil energy T_keV")
    shape = T.shape
    T = np.atleast_1d(T).ravel()
    fluence = setup.fluence_cm2()
    eff = setup.efficiency(T) if efficiency else np.ones_like(T)
    sm = {f: np.zeros_like(T) for f in setup.flavours}
    em = {f: np.zeros_like(T) for f in setup.flavours}
    for iso, n_x in number_of_nuclei(setup.material, setup.mass_kg):
        for f in setup.flavours:
            spectrum = _spectrum(setup, f)
            if efficiency:
                lo, hi, _ = recoil_range_keV(setup, iso, spectrum)
            else:
                lo = threshold_nr_keV(setup.threshold_keV, setup.threshold_kind, iso.Z, iso.A)
                hi = float(t_max_keV(spectrum.e_max, iso.mass_MeV))
            inside = (T >= lo) & (T <= hi)
            if not np.any(inside):
                continue
            s, e = folded_cross_sections(T[inside], iso, spectrum, n_e, form_factor_model)
            k = n_x * fluence * eff[inside]
            sm[f][inside] += k * s
            em[f][inside] += k * e
    return ({f: v.reshape(shape) for f, v in sm.items()}, {f: v.reshape(shape) for f, v in em.items()})
