"""The CEvNS signal of the XENONnT 8B analysis: nuclear-recoil spectra per cross-section term, folded once with the
release's mono-energetic templates.

The signal template of a nuclear-recoil spectrum dR/dE_nr (events per tonne, year and keVnr) is

    T_sig(t) = int_{0.5 keV}^{5 keV} dR/dE_nr(E) M(E; t) dE,

with M(E; t) the mono-energetic templates (detection probabilities per bin) at the yield nuisances t = (t_ly,
t_qy). Below 0.5 keV the efficiency is about zero and the release has no template; above 5 keV the 8B rate is
negligible (choice D21). The integral is the trapezoid rule on the templates' 0.1-keV grid (:func:`fold_weights`
with the default grid); on a finer grid the templates are interpolated linearly in E between their energies.

Every term of the cross section (:data:`cevns_lib.physics.TERM_KINEMATICS`: "sm", "mag", "r2_lin", ...)
gives its own recoil spectrum per unit parameter (:func:`nr_basis`), and is folded once into a template per
science run (:func:`fold_basis`, shape (7, 7, 81) over the t anchors); a parameter point is then a weighted sum
of these with the (c0, c1, c2) coefficients of a parameter, with no integral left to do.

:func:`nr_basis` uses the library's engine: for each isotope of natural xenon (cevns_lib.physics.number_of_nuclei,
per tonne) and each incident component, the spectrum-averaged cross section of each term (the integrand of
cevns_lib.engine.event_yields), times the flux and a Julian year.
"""

from types import MappingProxyType

import numpy as np

from ...constants import YEAR_S
from ...engine.yields import N_E, term_densities
from ...physics import DEFAULT_PHYSICS, PhysicsModel
from ...physics.cross_sections import total_cross_section
from ...physics.em_properties import TERM_KINEMATICS
from ...physics.nuclei import number_of_nuclei
from ...quadrature import check_nodes, gauss_legendre
from ...sources.spectra import check_spectrum
from ...validation import check_finite_array, check_positive, check_table, frozen_copy

__all__ = ["TERMS", "E_MIN_KEV", "E_MAX_KEV", "TONNE_KG", "nr_basis", "fold_weights", "fold_basis",
           "flux_averaged_cross_section"]

#: The cross-section terms of :mod:`cevns_lib.physics.em_properties` (per unit parameter, as in EventYields).
TERMS = tuple(TERM_KINEMATICS)
#: Energy range of the mono-energetic templates (keVnr).
E_MIN_KEV, E_MAX_KEV = 0.5, 5.0
#: One tonne of target (kg).
TONNE_KG = 1000.0


def _components(spectra):
    if not hasattr(spectra, "items") or not len(spectra):
        raise ValueError("spectra must be a non-empty mapping {component: (spectrum, flux_cm2_s[, antineutrino])}")
    out = {}
    for name, entry in spectra.items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"spectra: component names must be non-empty strings, got {name!r}")
        if not isinstance(entry, tuple) or len(entry) not in (2, 3):
            raise ValueError(f"spectra[{name!r}] must be (spectrum, flux_cm2_s) or "
                             f"(spectrum, flux_cm2_s, antineutrino)")
        spectrum = check_spectrum(entry[0], f"spectra[{name!r}] spectrum")
        if spectrum.line is not None:
            raise ValueError(f"spectra[{name!r}]: monochromatic lines are not solar spectra")
        flux = check_positive(entry[1], f"spectra[{name!r}] flux_cm2_s")
        anti = entry[2] if len(entry) == 3 else False
        if not isinstance(anti, (bool, np.bool_)):
            raise TypeError(f"spectra[{name!r}]: antineutrino must be True or False, got {anti!r}")
        out[name] = (spectrum, flux, bool(anti))
    return out


def nr_basis(spectra, E_nr_keV, physics=DEFAULT_PHYSICS, terms=TERMS, material="Xe", n_e=N_E):
    """Nuclear-recoil rate of each incident component and cross-section term at recoil energies ``E_nr_keV``.

    ``spectra``: {component: (spectrum, flux_cm2_s) or (spectrum, flux_cm2_s, antineutrino)}, a unit-normalised
    spectrum (e.g. a :class:`~cevns_lib.sources.TableSpectrum`) and its flux at the detector (cm^-2 s^-1).
    ``terms``: names of :data:`TERMS`. Returns a read-only mapping {(component, term): array} in events per
    (tonne yr keVnr) per unit parameter of the term ("sm": the Standard-Model rate; "mag": per mu_B^2; "r2_lin":
    per cm^2; ... as in :class:`cevns_lib.engine.EventYields`; the ``antineutrino`` flag is validated and changes no
    term, since every term is the same for neutrinos and antineutrinos, choice E1). Target: ``material`` (natural
    xenon by default), one tonne.
    """
    comps = _components(spectra)
    E = check_finite_array(E_nr_keV, "E_nr_keV")
    if E.ndim != 1 or E.size == 0 or np.any(E <= 0):
        raise ValueError(f"E_nr_keV must be a 1-D array of recoil energies > 0 keV, got shape {E.shape}")
    if isinstance(terms, str) or not terms or any(t not in TERMS for t in terms):
        raise ValueError(f"terms must be a sequence of names from {', '.join(TERMS)}, got {terms!r}")
    if not isinstance(physics, PhysicsModel):
        raise TypeError(f"physics must be a cevns_lib.physics.PhysicsModel, got {physics!r}")
    out = {(c, t): np.zeros(E.size) for c in comps for t in terms}
    for iso, n_x in number_of_nuclei(material, TONNE_KG):
        for c, (spectrum, flux, _anti) in comps.items():
            dens = term_densities(E, iso, spectrum, physics, int(n_e))
            for t in terms:
                out[(c, t)] += n_x * flux * YEAR_S * dens[t]
    return MappingProxyType({k: frozen_copy(v) for k, v in out.items()})


def fold_weights(E_keV, anchors_keV):
    """Weights A (len(E_keV), len(anchors_keV)) with int f(E) M(E) dE = sum_{g,i} f(E_g) A[g, i] M_i.

    The trapezoid rule on the grid ``E_keV`` (increasing, from the first to the last anchor), with the templates
    M interpolated linearly in E between the anchors. With E_keV equal to the anchors, A is diagonal: the trapezoid
    weights of the anchor grid.
    """
    anchors = np.asarray(anchors_keV, dtype=float)
    E, _ = check_table(E_keV, np.zeros(np.size(E_keV)), "recoil-energy grid", "E_keV", "value")
    if abs(E[0] - anchors[0]) > 1e-9 or abs(E[-1] - anchors[-1]) > 1e-9:
        raise ValueError(f"E_keV must run from {anchors[0]} to {anchors[-1]} keV (the templates' range), "
                         f"got {E[0]} ... {E[-1]}")
    w = np.zeros(E.size)
    dE = np.diff(E)
    w[:-1] += 0.5 * dE
    w[1:] += 0.5 * dE
    hat = np.zeros((E.size, anchors.size))
    i = np.clip(np.searchsorted(anchors, E, side="right") - 1, 0, anchors.size - 2)
    f = np.clip((E - anchors[i]) / (anchors[i + 1] - anchors[i]), 0.0, 1.0)
    hat[np.arange(E.size), i] = 1.0 - f
    hat[np.arange(E.size), i + 1] += f
    return w[:, None] * hat


def fold_basis(basis, mono, E_keV=None):
    """Fold each basis spectrum with the mono-energetic templates of one run: {key: array (7, 7, 81)}, read-only.

    ``basis``: {key: rate on ``E_keV`` in events/(t yr keV)} (from :func:`nr_basis`); ``mono``: the run's
    :class:`~.release.MonoTemplates`; ``E_keV``: the grid of the basis (default: the templates' energies). The
    results are in events/(t yr) per bin at each (t_ly, t_qy) anchor, bins flattened in C order.
    """
    E = mono.energy_keV if E_keV is None else np.asarray(E_keV, dtype=float)
    A = fold_weights(E, mono.energy_keV)
    M = mono.template.reshape(mono.energy_keV.size, 7, 7, -1)
    out = {}
    for key, rate in basis.items():
        r = np.asarray(rate, dtype=float)
        if r.shape != E.shape:
            raise ValueError(f"basis {key}: {r.shape} values, the energy grid has {E.shape}")
        out[key] = frozen_copy(np.einsum("i,ijkb->jkb", r @ A, M))
    return MappingProxyType(out)


def flux_averaged_cross_section(spectrum, physics=DEFAULT_PHYSICS, material="Xe", threshold_keV=0.0, n_per_node=4):
    """Flux-averaged Standard-Model CEvNS cross section per nucleus (cm^2) of a tabulated spectrum (choice D27):

        <sigma> = sum_x eta_x int dE lambda(E) sigma_x(E) / sum_x eta_x,

    sigma_x(E) the cross section on isotope x integrated over recoils above ``threshold_keV`` (default 0), eta_x
    the natural abundances of ``material``. Gauss-Legendre with ``n_per_node`` nodes between the table's points.
    """
    spectrum = check_spectrum(spectrum)
    nodes = np.asarray(getattr(spectrum, "E_MeV", np.linspace(0.0, spectrum.e_max, 201)), dtype=float)
    x, w = gauss_legendre(check_nodes(n_per_node, "n_per_node"))
    a, b = nodes[:-1, None], nodes[1:, None]
    E = (0.5 * (b - a) * x + 0.5 * (b + a)).ravel()
    wE = (0.5 * (b - a) * w).ravel() * spectrum.pdf(E)
    num = den = 0.0
    for iso, n_x in number_of_nuclei(material, 1.0):
        num += n_x * float(np.sum(wE * total_cross_section(E, iso, threshold_keV, model=physics)))
        den += n_x
    return num / den
