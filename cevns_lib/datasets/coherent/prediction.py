"""Our own prediction for a COHERENT dataset, as basis arrays: counts per analysis bin, per incident
component and per "basis term", computed once.

For an SNS detector the events in a reconstructed bin b are

    N_b = sum_x N_x Phi  sum_f  int dT  R_x(T, b)  int dE lambda_f(E) dsigma_f/dT(E, T),

with N_x the number of nuclei of isotope x, Phi the fluence per flavour (cm^-2), f the incident components
(prompt nu_mu, delayed nu_e, delayed anti-nu_mu), lambda_f their unit-normalised spectra and R_x(T, b) the
detector response: the probability that a recoil of energy T (keVnr) is detected in bin b (quenching,
resolution and efficiency; the timing is a separate factor per component, see :mod:`.timing`).

Every property this part of the book constrains enters the cross section as a sum of terms with known
coefficients (:mod:`cevns_lib.physics.em_properties`): the SM term, the magnetic term per mu_B^2 (mu_eff^2 differs per
component), and the charge-radius and millicharge terms linear and quadratic in the parameter (the same for the
delayed anti-nu_mu as for a nu_mu of that spectrum, choice E1). So the library integrates each *basis term* once
per component,

    B[f, k]_b = N Phi int dT R(T, b) <dsigma_k / dT>_f ,

and a parameter point is a weighted sum sum_{f,k} w_{f,k} B[f, k] (see :mod:`.parameters`), with no integral
recomputed. Units: T in keVnr, E in MeV, cross sections in cm^2/keV; counts are expected events; the terms are
per mu_B^2 ("mag"), per cm^2 and cm^4 ("r2_lin", "r2_quad"), per e and e^2 ("q_lin", "q_quad").
"""

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from ... import constants as c
from ...engine.yields import folded_kinematics
from ...physics.cross_sections import t_max_keV
from ...physics.em_properties import TERM_KINEMATICS, recoil_terms
from ...physics.model import DEFAULT_PHYSICS, PhysicsModel
from ...physics.nuclei import number_of_nuclei
from ...quadrature import gauss_legendre
from ...sources.components import SNS_COMPONENTS
from ...sources.sns import SNS_SPECTRA
from ...validation import check_positive

__all__ = [
    "COMPONENTS", "BASIS_TERMS", "N_T_NODES", "N_E_NODES", "recoil_nodes", "folded", "RecoilRates", "recoil_rates",
    "binned", "flux_averaged_cross_section"
]


#: The incident SNS components, in the vocabulary of cevns_lib.sources (prompt nu_mu line, delayed nu_e, anti-nu_mu).
COMPONENTS = tuple(comp.name for comp in SNS_COMPONENTS)


#: Basis terms (names of cevns_lib.physics.recoil_terms): SM, magnetic (per mu_B^2), charge radius
#: (per cm^2, cm^4) and millicharge (per e, e^2). The tensor and mixed terms are not needed here.
BASIS_TERMS = ("sm", "mag", "r2_lin", "r2_quad", "q_lin", "q_quad")


#: Nodes per ln(T) segment of the recoil integral and per segment of the neutrino-energy integral.
N_T_NODES, N_E_NODES = 12, 40


def recoil_nodes(lo_keV, hi_keV, breaks_keV=(), n=N_T_NODES):
    """Gauss-Legendre nodes and weights in ln T on [lo, hi] (keV), with segment ends at ``breaks_keV``.

    Returns (T, w) with sum(w f(T)) ~ int f(T) dT. Breaks are where the integrand has kinks or jumps
    (bin edges of a response without smearing, efficiency steps, kinematic end points).
    """
    lo = check_positive(lo_keV, "lower recoil energy (keV)")
    hi = check_positive(hi_keV, "upper recoil energy (keV)")
    if hi <= lo:
        return np.zeros(0), np.zeros(0)
    edges = np.log(np.unique(np.concatenate(([lo], [b for b in breaks_keV if lo < b < hi], [hi]))))
    x, w = gauss_legendre(n)
    a, b = edges[:-1, None], edges[1:, None]
    u = 0.5 * (b - a) * x + 0.5 * (b + a)
    T = np.exp(u).ravel()
    return T, (0.5 * (b - a) * w * np.exp(u)).ravel()


def folded(T_keV, iso, component, terms=BASIS_TERMS, physics=DEFAULT_PHYSICS):
    """Spectrum-averaged cross sections <dsigma_k/dT>_f at recoil energies T (keV > 0) for each basis term k.

    Returns a dict term -> array (cm^2/keV), zero above the component's kinematic end point. The terms depend on
    the component through its spectrum only: neutrinos and antineutrinos have the same terms (choice E1).
    """
    if component not in COMPONENTS:
        raise ValueError(f"unknown SNS component {component!r}; allowed: {', '.join(COMPONENTS)}")
    if not isinstance(physics, PhysicsModel):
        raise TypeError(f"physics must be a cevns_lib.physics.PhysicsModel, got {physics!r}")
    T = np.atleast_1d(np.asarray(T_keV, dtype=float))
    kv, km, _ = folded_kinematics(T, iso, SNS_SPECTRA[component], physics, N_E_NODES)
    kin = {"vector": kv, "magnetic": km}
    pref = c.G_F**2 * physics.mass_MeV(iso) / np.pi * c.HBARC2_CM2_MEV2 * 1e-3
    rt = recoil_terms(T, iso, physics)
    return {k: pref * kin[TERM_KINEMATICS[k]] * rt[k] for k in terms}


@dataclass(frozen=True)
class RecoilRates:
    """dN/dT at quadrature nodes, per isotope, component and term, for one exposure.

    ``nodes`` is a tuple of (isotope, T_keV, weights, {(component, term): events per keV}) (read-only arrays);
    ``sum(weights * rate)`` is the number of events of that isotope before any detector response.
    """

    nodes: tuple
    terms: tuple

    def total(self, component, term):
        """Events (per unit coefficient of the term) summed over isotopes, before any detector response."""
        return float(sum(np.sum(w * r[(component, term)]) for _, _, w, r in self.nodes))


def recoil_rates(material, mass_kg, fluence_cm2, t_min_keV, breaks=None, terms=BASIS_TERMS, n=N_T_NODES,
                 physics=DEFAULT_PHYSICS):
    """:class:`RecoilRates` of a detector: ``material`` (e.g. "CsI", "Ar") of ``mass_kg`` at fluence ``fluence_cm2``
    per flavour, for recoils above ``t_min_keV`` (below it the detector sees nothing).

    ``breaks``: function isotope -> recoil energies (keV) where the response has jumps or kinks; ``physics``:
    the cross-section choices (default: the paper's, :data:`cevns_lib.physics.DEFAULT_PHYSICS`).
    """
    check_positive(fluence_cm2, "fluence per flavour (cm^-2)")
    check_positive(t_min_keV, "t_min_keV")
    terms = tuple(terms)
    unknown = [k for k in terms if k not in BASIS_TERMS]
    if unknown:
        raise ValueError(f"unknown basis terms {unknown}; allowed: {', '.join(BASIS_TERMS)}")
    nodes = []
    for iso, n_x in number_of_nuclei(material, mass_kg):
        ends = [float(t_max_keV(SNS_SPECTRA[f].e_max, physics.mass_MeV(iso))) for f in COMPONENTS]
        extra = tuple(breaks(iso)) if breaks else ()
        T, w = recoil_nodes(t_min_keV, max(ends), extra + tuple(ends), n)
        rates = {}
        for f in COMPONENTS:
            for k, v in folded(T, iso, f, terms, physics).items():
                arr = n_x * fluence_cm2 * v
                arr.flags.writeable = False
                rates[(f, k)] = arr
        T.flags.writeable = False
        w.flags.writeable = False
        nodes.append((iso, T, w, MappingProxyType(rates)))
    return RecoilRates(nodes=tuple(nodes), terms=terms)


def binned(rates, response):
    """Basis counts in reconstructed bins: {(component, term): array}, read-only.

    ``response(T_keV, iso)`` returns the matrix R (len(T), n_bins): detection probability per bin.
    """
    out = {}
    for iso, T, w, r in rates.nodes:
        R = np.asarray(response(T, iso), dtype=float)
        if R.ndim != 2 or R.shape[0] != T.size:
            raise ValueError(f"response must return an array of shape ({T.size}, n_bins), got {R.shape}")
        for key, rate in r.items():
            out[key] = out.get(key, 0.0) + (w * rate) @ R
    for v in out.values():
        v.flags.writeable = False
    return MappingProxyType(out)


def flux_averaged_cross_section(material, terms=("sm",), n=32, physics=DEFAULT_PHYSICS):
    """Flux-averaged total cross section per nucleus (cm^2), averaged over the nuclei of ``material``
    and over the three SNS components with equal weights (equal numbers of nu_mu, nu_e and anti-nu_mu).

    <sigma> = (1/3) sum_f sum_x n_x/n int dT <dsigma/dT>_f, integrated from 1e-4 keV to the end point.
    """
    rates = recoil_rates(material, 1.0, 1.0, 1e-4, terms=terms, n=n, physics=physics)
    n_nuclei = sum(n_x for _, n_x in number_of_nuclei(material, 1.0))
    return sum(rates.total(f, k) for f in COMPONENTS for k in terms) / (3.0 * n_nuclei)
