"""Solar neutrinos: the 8B and hep spectra, the standard solar model, MSW conversion and the solar effective moment.

Units: neutrino energies ``E_MeV`` in MeV; radii in units of the solar radius (``_Rsun``); electron densities in
N_A cm^-3 (``_NA_cm3``, N_A the Avogadro number) or MeV^3 (``_MeV3``); fluxes in cm^-2 s^-1; magnetic moments in
any common unit (mu_eff^2 is quadratic in Lambda). Components: ``"8B"``, ``"hep"`` and ``"7Be"`` (the last for the
MSW conversion only: it is a line, it has no tabulated spectrum here).

Data (``data/solar/``, read on first use, never at import; sources in ``data/solar/PROVENANCE.md``):

* the 8B spectrum of Winter et al., Phys. Rev. C 73 (2006) 025503 (choice E7) and the hep spectrum of
  Bahcall, Phys. Rev. C 56 (1997) 3391 (choice E8), as :class:`cevns_lib.sources.TableSpectrum` of unit area;
* the B16-GS98 standard solar model of Vinyoles et al., ApJ 835 (2017) 202: electron density and production
  distribution of each component versus radius (:class:`SolarModel`, choice E9);
* total fluxes of B16-GS98, B16-AGSS09met and the SNO measurement of the 8B flux (:func:`solar_flux`, choice E12).

Conversion in the Sun (choice E10). A nu_e produced at radius r leaves the Sun as an incoherent mixture of mass
states with weights P_ej. Three flavours in the standard approximation: theta_13 is not changed by matter,
P_e3 = s13^2, and the (1, 2) sector is a two-flavour problem with the potential reduced to c13^2 V, V =
sqrt(2) G_F n_e:

    cos 2 theta_12^m = (cos 2 theta_12 - beta) / sqrt((cos 2 theta_12 - beta)^2 + sin^2 2 theta_12),
    beta = 2 sqrt(2) G_F c13^2 n_e(r) E / Delta m^2_21,

    P_e1 = c13^2 cos^2 theta_12^m,   P_e2 = c13^2 sin^2 theta_12^m,   P_e3 = s13^2,

evolved adiabatically (no jump between the matter eigenstates) and averaged over the production distribution of
the component, P_ej(E) = int dr f(r) P_ej(E, n_e(r)). At the Earth the flavour fractions are the incoherent sum
P_e alpha(E) = sum_j P_ej(E) |U_alpha j|^2, without Earth matter (no day-night effect, choice E11).

Effective moment (arXiv:1905.03750, eq. 38, the Borexino relation, energy by energy): with Majorana transition
moments Lambda = (Lambda_1, Lambda_2, Lambda_3) in the mass basis, mu_eff^2(E) = sum_j P_ej(E) (|Lambda|^2 -
|Lambda_j|^2) = sum_i C_i(E) |Lambda_i|^2 with C_i(E) = 1 - P_ei(E). The phases of Lambda drop out for an
incoherent mixture of mass states.

Decomposition of a component for the event-rate engine (:func:`decompose`): the part of a component that arrives
in state s (a flavour at the Earth, nu_e, nu_mu, nu_tau, or a mass state 1, 2, 3) has the flux share
<P_s> = int dE lambda(E) P_s(E) and the unit-area spectrum lambda_s(E) = lambda(E) P_s(E) / <P_s>
(:class:`ConvertedSpectrum`). The engine integrates each part with its own spectrum, so the energy dependence of
P_s is weighted by the detector's response, not averaged over the flux.

>>> from cevns_lib.sources.solar import flavour_fractions
>>> p_ee = float(flavour_fractions(10.0)[0])     # 8B nu_e surviving at 10 MeV
"""

from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from ..constants import G_F, HBARC_MEV_FM, N_A
from ..data import DataFormatError, data_path, read_csv, read_toml
from ..physics.mixing import DE_SALAS_2018_NO, check_params, pmns
from ..validation import check_finite_array, check_finite_scalar, check_vector3, read_only
from .spectra import TableSpectrum

__all__ = [
    "COMPONENTS", "SPECTRUM_COMPONENTS", "FLUX_SOURCES", "DEFAULT_FLUX_SOURCE",
    "SolarModel", "SolarFlux",
    "b8_spectrum", "hep_spectrum", "spectrum", "solar_model", "solar_flux",
    "mass_state_fractions", "flavour_fractions", "transition_moment_coefficients", "effective_moment_squared",
    "flux_averaged_mass_state_fractions", "flux_averaged_flavour_fractions",
    "flux_averaged_transition_moment_coefficients",
    "FLAVOUR_STATES", "MASS_STATES", "ConvertedSpectrum", "SolarDecomposition", "decompose",
]

#: Components whose production distribution the solar model gives (the MSW conversion accepts each).
COMPONENTS = ("8B", "hep", "7Be")
#: Components with a tabulated spectrum.
SPECTRUM_COMPONENTS = ("8B", "hep")
#: Sources of the total fluxes (data/solar/ssm_fluxes.toml); SNO-NC has the 8B flux only.
FLUX_SOURCES = ("B16-GS98", "B16-AGSS09met", "SNO-NC")
#: The flux the library uses unless told otherwise (choice E12).
DEFAULT_FLUX_SOURCE = "B16-GS98"

_FOLDER = "solar"
_SPECTRUM_FILES = MappingProxyType({
    "8B": ("b8_spectrum_winter2006.csv", "8B solar neutrinos (Winter et al. 2006)"),
    "hep": ("hep_spectrum_bahcall.csv", "hep solar neutrinos (Bahcall 1997)"),
})
_PROFILE_FILE = "ssm_b16_gs98_profile.csv"
_PROFILE_COLUMNS = MappingProxyType({"8B": "b8", "hep": "hep", "7Be": "be7"})
_FLUX_FILE = "ssm_fluxes.toml"
# 1 cm = 1e13 fm and 1 eV^2 = 1e-12 MeV^2: unit conversions, not physical constants.
_FM_PER_CM = 1e13
_MEV2_PER_EV2 = 1e-12


# ---------------------------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------------------------

def _component(component, allowed=COMPONENTS, name="component"):
    if not isinstance(component, str) or component not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {component!r}")
    return component


def _energies(E_MeV, name="E_MeV"):
    E = check_finite_array(E_MeV, name)
    if np.any(E <= 0):
        raise ValueError(f"{name} must be > 0 (MeV), got {E_MeV!r}")
    return E


# ---------------------------------------------------------------------------------------------
# Data: spectra, solar model, fluxes
# ---------------------------------------------------------------------------------------------

def _read_columns(filename, columns):
    """Float columns of a CSV file of data/solar/ (comment lines start with '#'), as a dict of arrays."""
    rows = read_csv(_FOLDER, filename)
    path = data_path(_FOLDER, filename)
    if not rows or any(c not in rows[0] for c in columns):
        raise DataFormatError(f"{path}: needs the columns {', '.join(columns)}")
    try:
        return {c: np.array([float(r[c]) for r in rows]) for c in columns}
    except ValueError as exc:
        raise DataFormatError(f"{path}: {exc}") from None


@lru_cache(maxsize=None)
def spectrum(component="8B"):
    """The unit-area energy spectrum (MeV^-1, energies in MeV) of a solar component, "8B" or "hep".

    Returns a :class:`cevns_lib.sources.TableSpectrum` (linear interpolation between the table's rows, zero outside;
    normalised by the trapezoid rule on the rows). Read from data/solar/ on first use and cached.
    """
    _component(component, SPECTRUM_COMPONENTS)
    filename, name = _SPECTRUM_FILES[component]
    cols = _read_columns(filename, ("E_MeV", "dN_dE"))
    return TableSpectrum(tuple(cols["E_MeV"]), tuple(cols["dN_dE"]), name=name)


def b8_spectrum():
    """The 8B neutrino spectrum of Winter et al., Phys. Rev. C 73 (2006) 025503 (unit area, MeV; choice E7)."""
    return spectrum("8B")


def hep_spectrum():
    """The hep neutrino spectrum of Bahcall, Phys. Rev. C 56 (1997) 3391, endpoint 18.784 MeV (unit area, MeV;
    choice E8)."""
    return spectrum("hep")


@dataclass(frozen=True, eq=False)
class SolarModel:
    """A standard solar model on a radial grid (choice E9).

    ``r_Rsun``: radii (solar radii, increasing); ``n_e_NA_cm3``: electron density in N_A cm^-3 at each radius;
    ``production``: {component: production distribution per unit r_Rsun, normalised to unit area (trapezoid)}.
    Arrays are read-only. ``weights(component)`` gives the trapezoid quadrature weights of the production
    distribution (they sum to 1), used to average over the production region.
    """

    name: str
    reference: str
    r_Rsun: np.ndarray
    n_e_NA_cm3: np.ndarray
    production: MappingProxyType
    _weights: MappingProxyType = field(init=False, repr=False)

    def __post_init__(self):
        r = check_finite_array(self.r_Rsun, "r_Rsun").ravel()
        n_e = check_finite_array(self.n_e_NA_cm3, "n_e_NA_cm3").ravel()
        if r.size < 2 or np.any(np.diff(r) <= 0) or r[0] < 0:
            raise ValueError("r_Rsun must be >= 0 and strictly increasing, with at least two radii")
        if n_e.shape != r.shape or np.any(n_e <= 0):
            raise ValueError("n_e_NA_cm3 must be > 0, one value per radius")
        dr = np.diff(r)
        trap = np.zeros_like(r)
        trap[:-1] += dr / 2
        trap[1:] += dr / 2
        prod, weights = {}, {}
        for comp, f in dict(self.production).items():
            _component(comp, name="production component")
            f = check_finite_array(f, f"production[{comp!r}]").ravel()
            if f.shape != r.shape or np.any(f < 0) or not np.sum(f * trap) > 0:
                raise ValueError(f"production[{comp!r}] must be >= 0 with positive area, one value per radius")
            area = float(np.sum(f * trap))
            prod[comp] = read_only(f / area)
            weights[comp] = read_only(f * trap / area)
        object.__setattr__(self, "r_Rsun", read_only(r))
        object.__setattr__(self, "n_e_NA_cm3", read_only(n_e))
        object.__setattr__(self, "production", MappingProxyType(prod))
        object.__setattr__(self, "_weights", MappingProxyType(weights))

    @property
    def n_e_MeV3(self):
        """Electron density in MeV^3 (natural units), read-only."""
        return read_only(self.n_e_NA_cm3 * N_A * (HBARC_MEV_FM / _FM_PER_CM) ** 3)

    def weights(self, component="8B"):
        """Quadrature weights (sum 1) of the production distribution of ``component`` on ``r_Rsun``."""
        _component(component, tuple(self._weights))
        return self._weights[component]

    def mean_radius_Rsun(self, component="8B"):
        """Mean production radius of ``component`` in solar radii."""
        return float(np.sum(self.weights(component) * self.r_Rsun))

    def n_e_at(self, r_Rsun):
        """Electron density (N_A cm^-3) at radii inside the grid, interpolated linearly in log n_e."""
        r = check_finite_array(r_Rsun, "radius_Rsun")
        if np.any(r < self.r_Rsun[0]) or np.any(r > self.r_Rsun[-1]):
            raise ValueError(f"radius_Rsun must lie in the model's grid [{self.r_Rsun[0]}, {self.r_Rsun[-1]}] "
                             f"(solar radii), got {r_Rsun!r}")
        return np.exp(np.interp(r, self.r_Rsun, np.log(self.n_e_NA_cm3)))


@lru_cache(maxsize=None)
def solar_model():
    """The B16-GS98 standard solar model (Vinyoles et al. 2017) as a :class:`SolarModel`, read on first use."""
    cols = _read_columns(_PROFILE_FILE, ("r_Rsun", "log10_ne_NA_cm3", *_PROFILE_COLUMNS.values()))
    return SolarModel(
        name="B16-GS98",
        reference="Vinyoles et al., Astrophys. J. 835 (2017) 202, arXiv:1611.09867",
        r_Rsun=cols["r_Rsun"],
        n_e_NA_cm3=10.0 ** cols["log10_ne_NA_cm3"],
        production=MappingProxyType({c: cols[k] for c, k in _PROFILE_COLUMNS.items()}),
    )


@dataclass(frozen=True)
class SolarFlux:
    """A total flux at the Earth: ``flux_cm2_s`` and its 1-sigma uncertainties (cm^-2 s^-1)."""

    component: str
    source: str
    flux_cm2_s: float
    sigma_plus_cm2_s: float
    sigma_minus_cm2_s: float
    reference: str


@lru_cache(maxsize=None)
def _flux_table():
    return read_toml(_FOLDER, _FLUX_FILE)


def solar_flux(component="8B", source=DEFAULT_FLUX_SOURCE):
    """Total flux of ``component`` ("8B", "hep", "7Be") at the Earth, cm^-2 s^-1, as a :class:`SolarFlux`.

    ``source``: "B16-GS98" (default, choice E12), "B16-AGSS09met" (standard solar models, Vinyoles et al. 2017,
    model uncertainty) or "SNO-NC" (the measured 8B flux, SNO 2013, statistical and systematic errors added in
    quadrature).
    """
    _component(component)
    if not isinstance(source, str) or source not in FLUX_SOURCES:
        raise ValueError(f"source must be one of {', '.join(FLUX_SOURCES)}, got {source!r}")
    table = _flux_table()[source]
    if component not in table:
        raise ValueError(f"source {source!r} gives no flux for component {component!r}")
    entry = table[component]
    value = float(entry["flux_cm2_s"])
    if "rel_sigma" in entry:
        plus = minus = value * float(entry["rel_sigma"])
    else:
        stat = float(entry["sigma_stat_cm2_s"])
        plus = float(np.hypot(stat, entry["sigma_syst_plus_cm2_s"]))
        minus = float(np.hypot(stat, entry["sigma_syst_minus_cm2_s"]))
    return SolarFlux(component, source, value, plus, minus, table["reference"])


# ---------------------------------------------------------------------------------------------
# MSW conversion in the Sun (choice E10)
# ---------------------------------------------------------------------------------------------

def _cos2_theta12_matter(E, n_e_NA_cm3, params):
    """cos^2 theta_12^m at energies E (MeV, any shape) and densities n_e (N_A cm^-3, 1-d), shape E.shape + n_e.shape."""
    c13sq = 1.0 - params.sin2_13
    n_e_MeV3 = np.asarray(n_e_NA_cm3) * N_A * (HBARC_MEV_FM / _FM_PER_CM) ** 3
    beta = (2.0 * np.sqrt(2.0) * G_F * c13sq / (params.dm2_21_eV2 * _MEV2_PER_EV2)) * E[..., None] * n_e_MeV3
    c2 = 1.0 - 2.0 * params.sin2_12
    s2sq = 4.0 * params.sin2_12 * (1.0 - params.sin2_12)
    cos2m = (c2 - beta) / np.sqrt((c2 - beta) ** 2 + s2sq)
    return 0.5 * (1.0 + cos2m)


def mass_state_fractions(E_MeV, component="8B", params=DE_SALAS_2018_NO, radius_Rsun=None):
    """Fractions P_e1, P_e2, P_e3 of a solar nu_e of energy E leaving the Sun in the mass states 1, 2, 3.

    Parameters
    ----------
    E_MeV : float or array_like
        Neutrino energies in MeV (finite, > 0).
    component : "8B", "hep" or "7Be"
        Whose production distribution in the solar model the conversion is averaged over.
    params : cevns_lib.physics.OscillationParameters
        Mixing angles and Delta m^2_21 (default: de Salas et al. 2018, normal ordering).
    radius_Rsun : float, optional
        Evaluate at this one production radius (solar radii) instead of averaging over the production region
        (for comparisons; the component is then ignored).

    Returns
    -------
    numpy.ndarray, read-only, shape E.shape + (3,): P_e1, P_e2, P_e3 (they sum to 1). Adiabatic three-flavour
    conversion with P_e3 = s13^2 and the potential c13^2 sqrt(2) G_F n_e in the (1, 2) sector (module docstring,
    choice E10).
    """
    E = _energies(E_MeV)
    _component(component)
    check_params(params)
    model = solar_model()
    if radius_Rsun is None:
        n_e, w = model.n_e_NA_cm3, model.weights(component)
    else:
        n_e, w = np.atleast_1d(model.n_e_at(check_finite_scalar(radius_Rsun, "radius_Rsun"))), np.ones(1)
    cos2 = _cos2_theta12_matter(E, n_e, params) @ w
    c13sq = 1.0 - params.sin2_13
    return read_only(np.stack([c13sq * cos2, c13sq * (1.0 - cos2), np.full_like(cos2, params.sin2_13)], axis=-1))


def flavour_fractions(E_MeV, component="8B", params=DE_SALAS_2018_NO, radius_Rsun=None):
    """Flavour fractions P_ee, P_emu, P_etau at the Earth of a solar nu_e of energy E (MeV).

    The incoherent sum P_e alpha = sum_j P_ej |U_alpha j|^2 of :func:`mass_state_fractions` (same arguments), with
    no Earth matter effect (day-night regeneration neglected, choice E11). Returns a read-only array of shape
    E.shape + (3,) that sums to 1.
    """
    P = mass_state_fractions(E_MeV, component, params, radius_Rsun)
    return read_only(P @ (np.abs(pmns(params)) ** 2).T)


def transition_moment_coefficients(E_MeV, component="8B", params=DE_SALAS_2018_NO, radius_Rsun=None):
    """Coefficients C_i(E) of the solar effective moment, mu_eff^2(E) = sum_i C_i(E) |Lambda_i|^2.

    For Majorana transition moments Lambda_i in the mass basis, mu_eff^2 = sum_j P_ej (|Lambda|^2 - |Lambda_j|^2)
    (arXiv:1905.03750, eq. 38, energy by energy), so C_i = 1 - P_ei (phases drop out for an incoherent mixture of
    mass states). Same arguments as :func:`mass_state_fractions`; returns a read-only array of shape E.shape + (3,).
    """
    return read_only(1.0 - mass_state_fractions(E_MeV, component, params, radius_Rsun))


def effective_moment_squared(Lambda_mass, E_MeV, component="8B", params=DE_SALAS_2018_NO):
    """mu_eff^2(E) of solar neutrinos for mass-basis transition moments ``Lambda_mass`` (shape (3,), any unit).

    Returns sum_j P_ej(E) (|Lambda|^2 - |Lambda_j|^2) with the shape of ``E_MeV``, in the unit of Lambda squared.
    """
    L = check_vector3(Lambda_mass, "Lambda_mass")
    if L.ndim != 1:
        raise ValueError(f"Lambda_mass must have shape (3,), got shape {L.shape}")
    return transition_moment_coefficients(E_MeV, component, params) @ (np.abs(L) ** 2)


# ---------------------------------------------------------------------------------------------
# Averages over the spectrum
# ---------------------------------------------------------------------------------------------

def _spectrum_grid(component, E_min_MeV):
    """Energies (MeV) and trapezoid weights of the unit-area spectrum above E_min (weights sum to 1)."""
    spec = spectrum(component)
    table = np.asarray(spec.E_MeV)
    lo = max(E_min_MeV, table[0])
    if lo >= table[-1]:
        raise ValueError(f"E_min_MeV = {E_min_MeV!r} lies above the end of the {component} spectrum "
                         f"({table[-1]} MeV)")
    # The table's rows (where the interpolated spectrum has kinks) and a fine uniform grid between them.
    E = np.union1d(np.linspace(lo, table[-1], 2001), table[(table > lo) & (table < table[-1])])
    E = E[E > 0]
    f = spec.pdf(E)
    dE = np.diff(E)
    w = np.zeros_like(E)
    w[:-1] += f[:-1] * dE / 2
    w[1:] += f[1:] * dE / 2
    return E, w / w.sum()


@lru_cache(maxsize=256)
def _flux_average(kind, component, params, E_min_MeV):
    E, w = _spectrum_grid(component, E_min_MeV)
    P = mass_state_fractions(E, component, params)
    if kind == "flavour":
        P = P @ (np.abs(pmns(params)) ** 2).T
    elif kind == "moment":
        P = 1.0 - P
    return read_only(w @ P)


def _average_args(component, params, E_min_MeV):
    _component(component, SPECTRUM_COMPONENTS)
    check_params(params)
    E_min = check_finite_scalar(E_min_MeV, "E_min_MeV")
    if E_min < 0:
        raise ValueError(f"E_min_MeV must be >= 0 (MeV), got {E_min_MeV!r}")
    return component, params, E_min


def flux_averaged_mass_state_fractions(component="8B", params=DE_SALAS_2018_NO, E_min_MeV=0.0):
    """P_e1, P_e2, P_e3 averaged over the spectrum of ``component`` ("8B" or "hep") above ``E_min_MeV`` (MeV).

    The average int dE phi(E) P_ej(E) / int dE phi(E), on the table's rows and a 2001-point grid. Read-only (3,).
    """
    return _flux_average("mass", *_average_args(component, params, E_min_MeV))


def flux_averaged_flavour_fractions(component="8B", params=DE_SALAS_2018_NO, E_min_MeV=0.0):
    """P_ee, P_emu, P_etau at the Earth averaged over the spectrum above ``E_min_MeV`` (MeV). Read-only (3,)."""
    return _flux_average("flavour", *_average_args(component, params, E_min_MeV))


def flux_averaged_transition_moment_coefficients(component="8B", params=DE_SALAS_2018_NO, E_min_MeV=0.0):
    """C_i = 1 - P_ei averaged over the spectrum above ``E_min_MeV`` (MeV): the flux-averaged mu_eff^2 is
    sum_i C_i |Lambda_i|^2. Read-only (3,). (A detector's response weights energies differently: the engine
    integrates :func:`transition_moment_coefficients` with its own weights.)"""
    return _flux_average("moment", *_average_args(component, params, E_min_MeV))


# ---------------------------------------------------------------------------------------------
# Decomposition of a component into the states that reach the detector
# ---------------------------------------------------------------------------------------------

#: The flavour states at the Earth (species names of cevns_lib.sources.SPECIES).
FLAVOUR_STATES = ("nu_e", "nu_mu", "nu_tau")
#: The mass states.
MASS_STATES = (1, 2, 3)
# Points of the energy grid on which P_s(E) is tabulated for a converted spectrum (besides the table's rows).
_N_GRID = 1501


@dataclass(frozen=True, eq=False)
class ConvertedSpectrum:
    """The spectrum of the part of a solar component that arrives in one state: lambda_s(E) = lambda(E) P_s(E) /
    ``share`` (MeV^-1, unit area), with lambda the component's unit-area spectrum (``base``) and P_s the probability
    of the state, tabulated on ``E_grid_MeV`` (``probability``, read-only) and interpolated linearly (constant below
    the first point); ``share`` = int lambda P_s dE is the state's share of the component's flux. The spectrum
    interface of :mod:`cevns_lib.sources.spectra` (``pdf``, ``e_max``, ``breaks``, ``line``)."""

    name: str
    base: object
    state: object
    E_grid_MeV: np.ndarray
    probability: np.ndarray
    share: float
    line = None

    @property
    def e_max(self):
        return self.base.e_max

    @property
    def breaks(self):
        return self.base.breaks

    def pdf(self, E_MeV):
        E = np.asarray(E_MeV, dtype=float)
        return self.base.pdf(E) * np.interp(E, self.E_grid_MeV, self.probability) / self.share

    @property
    def density(self):
        return self.pdf


@dataclass(frozen=True)
class SolarDecomposition:
    """A solar component split into the states that reach the detector (read-only mappings).

    ``flavours``: {"nu_e", "nu_mu", "nu_tau": (share, spectrum)}; ``mass_states``: {1, 2, 3: (share, spectrum)};
    each share is the fraction of the component's flux in that state (the shares of each decomposition sum to 1),
    each spectrum the unit-area spectrum of that part (:class:`ConvertedSpectrum`, or the component's own line).
    ``component``: the solar-model component whose production region the conversion is averaged over.
    """

    component: str
    flavours: MappingProxyType
    mass_states: MappingProxyType

    def share(self, state):
        """The flux share of a state ("nu_e", ..., or 1, 2, 3)."""
        parts = self.flavours if isinstance(state, str) else self.mass_states
        if state not in parts:
            raise ValueError(f"state must be one of {FLAVOUR_STATES + MASS_STATES}, got {state!r}")
        return parts[state][0]


def decompose(spectrum, component="8B", params=DE_SALAS_2018_NO, name=None):
    """The :class:`SolarDecomposition` of a solar component with the unit-area ``spectrum`` (a spectrum object of
    :mod:`cevns_lib.sources.spectra`, e.g. :func:`b8_spectrum`; a monochromatic line is allowed), converted in the
    production region of ``component`` ("8B", "hep", "7Be") with the mixing ``params`` (adiabatic MSW, choice E10).

    The states' probabilities are tabulated on the spectrum's table rows and 1501 uniform energies up to its end
    (they vary smoothly); the shares integrate lambda P_s by the trapezoid rule on the same grid, from E = 0, so that
    the shares of each decomposition sum to 1 and the parts' spectra, weighted with their shares, add up to the
    component's spectrum at every energy. ``name``: the prefix of the parts' names (default: the spectrum's name).
    Cached: the same arguments return the same objects.
    """
    from .spectra import check_spectrum

    check_spectrum(spectrum, "spectrum")
    _component(component)
    check_params(params)
    if name is not None and not isinstance(name, str):
        raise ValueError(f"name must be a text, got {name!r}")
    try:
        hash(spectrum)
    except TypeError:
        raise TypeError(f"spectrum must be hashable (a frozen spectrum object), got "
                        f"{type(spectrum).__name__}") from None
    return _decompose(spectrum, component, params, name if name is not None else getattr(spectrum, "name", component))


@lru_cache(maxsize=64)
def _decompose(spectrum, component, params, name):
    U2 = np.abs(pmns(params)) ** 2
    if spectrum.line is not None:
        P = np.asarray(mass_state_fractions(spectrum.line, component, params), dtype=float)
        Pf = P @ U2.T
        flav = {s: (float(Pf[k]), spectrum) for k, s in enumerate(FLAVOUR_STATES)}
        mass = {j: (float(P[j - 1]), spectrum) for j in MASS_STATES}
        return SolarDecomposition(component, MappingProxyType(flav), MappingProxyType(mass))
    e_max = float(spectrum.e_max)
    rows = np.asarray(getattr(spectrum, "E_MeV", ()), dtype=float)
    grid = np.union1d(np.linspace(e_max / (_N_GRID - 1), e_max, _N_GRID), rows[(rows > 0) & (rows < e_max)])
    P_mass = np.asarray(mass_state_fractions(grid, component, params), dtype=float)
    P_flav = P_mass @ U2.T
    # integration grid from E = 0 (P constant below the first point, as the interpolation)
    E = np.concatenate([[0.0], grid])
    f = np.asarray(spectrum.pdf(E), dtype=float)
    dE = np.diff(E)
    w = np.zeros_like(E)
    w[:-1] += 0.5 * dE
    w[1:] += 0.5 * dE

    def parts(P, states):
        out = {}
        for k, s in enumerate(states):
            prob = np.concatenate([[P[0, k]], P[:, k]])
            share = float(np.sum(w * f * prob))
            label = f"nu_{s}" if isinstance(s, int) else s
            out[s] = (share, ConvertedSpectrum(f"{name} {label}", spectrum, s, read_only(E), read_only(prob), share))
        return MappingProxyType(out)

    return SolarDecomposition(component, parts(P_flav, FLAVOUR_STATES), parts(P_mass, MASS_STATES))
