"""Experimental setups as data: Table 1 of arXiv:1905.03750 plus the inferred inputs.

The inputs live in ``data/inputs/setups.toml`` (each unstated value tagged with its status); this
module reads them on first use (never at import) into frozen :class:`Setup` objects. Use
:func:`get_setup` for one setup, :func:`all_setups` for all of them, and
``dataclasses.replace(setup, mass_kg=...)`` to explore variations.
"""

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache

from ._checks import check_finite_scalar, check_positive
from .data import read_toml
from .detector import CsIEfficiency, FlatEfficiency
from .fluxes import SNS_NU_PER_POT, ReactorSpectrum, sns_fluence
from .nuclei import MATERIALS, MIXTURES
from .quenching import THRESHOLD_KINDS

SOURCES = ("SNS", "reactor")
SETUP_KINDS = ("current", "future")


@dataclass(frozen=True)
class Setup:
    """One detector configuration (units in the field names)."""

    experiment: str
    setup: str
    source: str
    material: str
    mass_kg: float
    threshold_keV: float
    threshold_kind: str
    efficiency: object
    baseline_m: float
    n_pot: float | None = None
    years: float | None = None
    flux_cm2_s: float | None = None
    power_GW: float | None = None
    power_baseline_m: float | None = None
    nu_per_pot: float = SNS_NU_PER_POT
    reactor_spectrum: ReactorSpectrum = ReactorSpectrum()
    status: tuple = field(default=(), compare=False)

    def __post_init__(self):
        if self.source not in SOURCES:
            raise ValueError(f"{self.experiment}: unknown source {self.source!r}; allowed: {', '.join(SOURCES)}")
        if self.setup not in SETUP_KINDS:
            raise ValueError(f"{self.experiment}: setup must be one of {SETUP_KINDS}, got {self.setup!r}")
        if self.material not in MATERIALS and self.material not in MIXTURES:
            raise ValueError(f"{self.experiment}: unknown material {self.material!r}")
        check_positive(self.mass_kg, f"{self.experiment} detector mass (kg)")
        check_positive(self.threshold_keV, f"{self.experiment} threshold (keV)", allow_zero=True)
        if self.threshold_kind not in THRESHOLD_KINDS:
            raise ValueError(f"{self.experiment}: threshold_kind must be one of {THRESHOLD_KINDS}, "
                             f"got {self.threshold_kind!r}")
        if not isinstance(self.efficiency, (CsIEfficiency, FlatEfficiency)):
            raise TypeError(f"{self.experiment}: efficiency must be a CsIEfficiency or FlatEfficiency")
        check_positive(self.baseline_m, f"{self.experiment} baseline (m)")
        if self.source == "SNS":
            check_positive(self.n_pot if self.n_pot is not None else float("nan"),
                           f"{self.experiment} protons on target")
        else:
            check_positive(self.years if self.years is not None else float("nan"),
                           f"{self.experiment} exposure (years)")
            check_positive(self.flux_cm2_s if self.flux_cm2_s is not None else float("nan"),
                           f"{self.experiment} flux (cm^-2 s^-1)")

    @property
    def label(self):
        return f"{self.experiment} ({self.setup})"

    @property
    def flavours(self):
        """Incident neutrino components: SNS prompt nu_mu and delayed nu_e, anti-nu_mu; reactor anti-nu_e."""
        return ("nu_mu_prompt", "nu_e", "nu_mu_bar") if self.source == "SNS" else ("nu_e_bar",)

    def fluence_cm2(self):
        """Time-integrated flux per flavour (cm^-2)."""
        if self.source == "SNS":
            return sns_fluence(self.n_pot, self.baseline_m, self.nu_per_pot)
        from .constants import YEAR_S
        return self.flux_cm2_s * self.years * YEAR_S

    def scaled(self, factor):
        """The same setup with its luminosity (mass x time x flux) multiplied by ``factor``."""
        factor = check_positive(factor, "luminosity factor")
        return dataclasses.replace(self, mass_kg=self.mass_kg * factor)

    def power_based_flux_cm2_s(self, spectrum=None):
        """Flux (cm^-2 s^-1) from the reactor's thermal power and distance (power_GW, power_baseline_m).

        For comparison with the flux the calculation uses (``flux_cm2_s``); see fluxes.reactor_flux_from_power.
        """
        from .fluxes import reactor_flux_from_power
        if self.power_GW is None or self.power_baseline_m is None:
            raise ValueError(f"{self.label} has no reactor power and baseline")
        return reactor_flux_from_power(self.power_GW, self.power_baseline_m, spectrum or self.reactor_spectrum)

    def status_of(self, name):
        """Status tag of an input (paper / literature / inferred ...), or '' when untagged."""
        return dict(self.status).get(name, "")


def _efficiency(value, entry):
    if value == "coherent_csi":
        return CsIEfficiency(pe_max=entry.get("pe_max", 30.0))
    return FlatEfficiency(check_finite_scalar(value, "efficiency"))


@lru_cache(maxsize=None)
def all_setups():
    """Every setup of Table 1 (current and future), read from ``data/inputs/setups.toml``."""
    cfg = read_toml("inputs", "setups.toml")
    nu_per_pot = cfg["sns"]["nu_per_pot"]
    out = []
    for entry in cfg["setup"]:
        kw = {k: v for k, v in entry.items() if k not in ("status", "pe_max")}
        kw["efficiency"] = _efficiency(entry["efficiency"], entry)
        kw["status"] = tuple(sorted(entry.get("status", {}).items()))
        if entry["source"] == "SNS":
            kw["nu_per_pot"] = nu_per_pot
        out.append(Setup(**kw))
    return tuple(out)


def experiment_names():
    """Experiment names in Table 1 order."""
    return tuple(dict.fromkeys(s.experiment for s in all_setups()))


def _normalise(name):
    return name.lower().replace("[na]", "").replace("[tl]", "").replace("-", "").replace(" ", "")


def get_setup(experiment, setup="current"):
    """The :class:`Setup` for an experiment name (``"CsI[Na]"`` or ``"CsI"``, ``"CONUS"``, ...) and setup kind."""
    if setup not in SETUP_KINDS:
        raise ValueError(f"setup must be one of {SETUP_KINDS}, got {setup!r}")
    if not isinstance(experiment, str):
        raise TypeError(f"experiment must be a string, got {experiment!r}")
    for s in all_setups():
        if _normalise(s.experiment) == _normalise(experiment) and s.setup == setup:
            return s
    raise ValueError(f"unknown experiment {experiment!r}; allowed: {', '.join(experiment_names())}")
