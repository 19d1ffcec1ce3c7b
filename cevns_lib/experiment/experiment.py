"""Experiments as data: one frozen :class:`Experiment` per detector configuration, read from TOML files.

Every experiment the library knows is a file under ``data/experiments/``: the paper's 18 Table 1 setups
(``miranda2019/``), the tensor-NSI setups (``papoulias2015/``) and worked examples (``examples/``). A user's
own file goes through the same loader, :func:`load_experiment`. The schema (units in the key names) is
documented in the book chapter "Your own experiment" and in :mod:`cevns_lib.experiment.files`, which reads
and validates the files.

Use :func:`get_experiment` for a shipped experiment by name (``"CsI[Na] current"``, or a declared alias),
:func:`get_setup` for a Table 1 setup by experiment and setup (``get_setup("CONUS", "future")``),
:func:`all_setups` for the 18 Table 1 setups, and ``dataclasses.replace(experiment, mass_kg=...)`` for
variations.
"""

import dataclasses
from dataclasses import InitVar, dataclass, field

from ..constants import DAY_S, YEAR_S
from ..detector.efficiency import FlatEfficiency, check_efficiency
from ..detector.quenching import Lindhard, threshold_kind
from ..detector.resolution import NoResolution
from ..physics.mixing import DE_SALAS_2018_NO
from ..physics.model import DEFAULT_PHYSICS, PhysicsModel
from ..physics.nuclei import composition
from ..sources.components import REACTOR_COMPONENTS, SNS_COMPONENTS, Component
from ..sources.reactor import ENERGY_PER_FISSION_MEV, ReactorSpectrum, reactor_flux_from_power
from ..sources.sns import SNS_NU_PER_POT, SNS_SPECTRA, sns_fluence
from ..sources.spectra import check_spectrum
from ..validation import check_finite_scalar, check_positive

__all__ = ["SOURCES", "STATISTICS", "Experiment", "exposure_seconds", "check_experiment"]


SOURCES = ("SNS", "reactor", "table", "solar")


#: Statistics an experiment can be analysed with (see :mod:`cevns_lib.statistics`).
STATISTICS = ("counting", "counting-literal", "coherent-csi-2017", "coherent-csi-2017-asimov")


@dataclass(frozen=True)
class Experiment:
    """One detector configuration (units in the field names). Build it with :func:`load_experiment`.

    Source: ``source`` is "SNS" (protons on target ``n_pot`` with ``nu_per_pot`` neutrinos per flavour, or a
    per-flavour ``flux_cm2_s``), "reactor" (a total antineutrino ``flux_cm2_s``, or ``power_GW``), "table"
    (a tabulated ``spectrum`` of one ``species`` with a total ``flux_cm2_s``) or "solar" (``solar_components``:
    (name, spectrum, flux_cm2_s) triples). A solar source either converts each component in the Sun, energy by
    energy (``p_ee`` None, the default of the files, choice E26: adiabatic MSW in the production region of the
    component named "8B", "hep" or "7Be", :func:`cevns_lib.sources.solar.decompose`), which gives both the flavour
    and the mass-state content (:attr:`mass_state_components`, for the transition moments), or arrives with one
    electron-flavour fraction ``p_ee`` for every energy (choice E6; no mass-state content).
    A given ``flux_cm2_s`` is the flux at ``flux_reference_m`` (set to ``baseline_m`` when the file is read):
    changing ``baseline_m`` rescales it as 1/L^2 (choice E3). Exposure: ``n_pot`` (SNS) or ``exposure_s`` seconds.

    Response: ``threshold_keV`` read as ``threshold_kind`` ("nr", "ee" or the paper's "ee_approx"),
    ``quenching``, ``efficiency`` and ``resolution`` objects (:mod:`cevns_lib.detector.quenching`,
    :mod:`cevns_lib.detector`). Analysis: ``statistic`` (:data:`STATISTICS`) and ``sigma_alpha``.
    Physics: a :class:`~cevns_lib.physics.PhysicsModel`.

    ``experiment`` and ``stage`` are labels (Table 2 rows; "current"/"future" carry no physics); ``status``
    tags each input (paper, literature, inferred with a register choice); ``comparison`` holds published
    numbers to compare with (read-only pairs).
    """

    experiment: str
    stage: str
    source: str
    material: object
    mass_kg: float
    threshold_keV: float
    threshold_kind: str = "nr"
    efficiency: object = FlatEfficiency(1.0)
    baseline_m: float | None = None
    n_pot: float | None = None
    nu_per_pot: float = SNS_NU_PER_POT
    exposure_s: float | None = None
    flux_cm2_s: float | None = None
    flux_reference_m: float | None = None
    power_GW: float | None = None
    power_baseline_m: float | None = None
    energy_per_fission_MeV: float = ENERGY_PER_FISSION_MEV
    spectrum: object = None
    species: str = ""
    solar_components: tuple = ()
    p_ee: float | None = None
    quenching: object = Lindhard()
    resolution: object = NoResolution()
    statistic: str = "counting"
    sigma_alpha: float = 0.30
    physics: PhysicsModel = DEFAULT_PHYSICS
    name: str = ""
    aliases: tuple = ()
    description: str = ""
    file: str = field(default="", compare=False)
    status: tuple = field(default=(), compare=False)
    comparison: tuple = field(default=(), compare=False)
    reactor_spectrum: InitVar[object] = None

    def __post_init__(self, reactor_spectrum):
        label = self.name or f"{self.experiment} {self.stage}".strip()
        if reactor_spectrum is not None:
            object.__setattr__(self, "spectrum", reactor_spectrum)
        if not isinstance(self.experiment, str) or not self.experiment:
            raise ValueError(f"{label}: experiment must be a non-empty name")
        if not self.name:
            object.__setattr__(self, "name", label)
        if self.source not in SOURCES:
            raise ValueError(f"{label}: unknown source {self.source!r}; allowed: {', '.join(SOURCES)}")
        if not isinstance(self.material, str):
            object.__setattr__(self, "material", composition(self.material))
        else:
            composition(self.material)
        check_positive(self.mass_kg, f"{label}: mass_kg")
        check_positive(self.threshold_keV, f"{label}: threshold_keV", allow_zero=True)
        try:
            object.__setattr__(self, "threshold_kind", threshold_kind(self.threshold_kind))
        except ValueError as exc:
            raise ValueError(f"{label}: {exc}") from None
        check_efficiency(self.efficiency, f"{label}: efficiency")
        for name in ("ee_keV", "factor", "nr_keV"):
            if not hasattr(self.quenching, name):
                raise TypeError(f"{label}: quenching must be a quenching model (cevns_lib.detector.quenching), "
                                f"got {type(self.quenching).__name__}")
        if not hasattr(self.resolution, "sigma_keV_at"):
            raise TypeError(f"{label}: resolution must be NoResolution or GaussianResolution")
        if self.threshold_kind == "ee_approx" and not isinstance(self.resolution, NoResolution):
            raise ValueError(f"{label}: the paper's threshold approximation 'ee_approx' cannot be combined with a "
                             "resolution; use threshold_kind 'ee'")
        for name in ("baseline_m", "flux_reference_m", "power_GW", "power_baseline_m", "exposure_s", "n_pot"):
            if getattr(self, name) is not None:
                check_positive(getattr(self, name), f"{label}: {name}")
        if self.power_GW is not None and self.power_baseline_m is None and self.baseline_m is not None:
            object.__setattr__(self, "power_baseline_m", self.baseline_m)
        check_positive(self.nu_per_pot, f"{label}: nu_per_pot")
        check_positive(self.energy_per_fission_MeV, f"{label}: energy_per_fission_MeV")
        self._check_source(label)
        if self.statistic not in STATISTICS:
            raise ValueError(f"{label}: unknown statistic {self.statistic!r}; allowed: {', '.join(STATISTICS)}")
        sa = check_finite_scalar(self.sigma_alpha, f"{label}: sigma_alpha")
        if not 0 <= sa < 1:
            raise ValueError(f"{label}: sigma_alpha must lie in [0, 1), got {self.sigma_alpha!r}")
        if not isinstance(self.physics, PhysicsModel):
            raise TypeError(f"{label}: physics must be a cevns_lib.physics.PhysicsModel")
        object.__setattr__(self, "aliases", tuple(self.aliases))

    def _check_source(self, label):
        if self.source == "solar":
            if self.exposure_s is None:
                raise ValueError(f"{label}: a solar source needs an exposure time (days, years or seconds)")
            if not self.solar_components:
                raise ValueError(f"{label}: a solar source needs at least one component (name, spectrum, flux)")
            names = []
            for entry in self.solar_components:
                if not isinstance(entry, tuple) or len(entry) != 3:
                    raise ValueError(f"{label}: solar components must be (name, spectrum, flux_cm2_s) triples")
                name, spectrum, flux = entry
                check_spectrum(spectrum, f"{label}: solar component {name}")
                check_positive(flux, f"{label}: flux_cm2_s of solar component {name}")
                names.append(name)
            if len(set(names)) != len(names):
                raise ValueError(f"{label}: solar component names must be unique, got {names}")
            if self.p_ee is None:
                from ..sources.solar import COMPONENTS as SOLAR_MODEL_COMPONENTS

                unknown = [n for n in names if n not in SOLAR_MODEL_COMPONENTS]
                if unknown:
                    raise ValueError(f"{label}: the conversion in the Sun needs the production region of each "
                                     f"component: name them {', '.join(SOLAR_MODEL_COMPONENTS)} (got "
                                     f"{', '.join(unknown)}), or give one flavour fraction p_ee")
            else:
                p = check_finite_scalar(self.p_ee, f"{label}: p_ee")
                if not 0.0 <= p <= 1.0:
                    raise ValueError(f"{label}: p_ee must be a probability in [0, 1], got {self.p_ee!r}")
            if self.flux_cm2_s is not None or self.baseline_m is not None:
                raise ValueError(f"{label}: a solar source takes its fluxes from its components, not flux_cm2_s "
                                 "or baseline_m")
            return
        if self.source == "SNS":
            if self.n_pot is None and self.flux_cm2_s is None:
                raise ValueError(f"{label}: an SNS source needs protons on target (exposure pot) or a flux_cm2_s")
            if self.n_pot is not None and self.flux_cm2_s is not None:
                raise ValueError(f"{label}: give either protons on target or flux_cm2_s for the SNS, not both")
            if self.baseline_m is None:
                raise ValueError(f"{label}: an SNS source needs baseline_m")
            if self.n_pot is None and self.exposure_s is None:
                raise ValueError(f"{label}: a flux needs an exposure time (days, years or seconds)")
            return
        if self.exposure_s is None:
            raise ValueError(f"{label}: a {self.source} source needs an exposure time (days, years or seconds)")
        if self.flux_cm2_s is None:
            if self.source == "table" or self.power_GW is None or self.baseline_m is None:
                raise ValueError(f"{label}: give flux_cm2_s" + ("" if self.source == "table" else
                                                                " or power_GW and baseline_m"))
        else:
            check_positive(self.flux_cm2_s, f"{label}: flux_cm2_s")
        if self.source == "reactor" and self.spectrum is None:
            object.__setattr__(self, "spectrum", ReactorSpectrum())
        if self.spectrum is None:
            raise ValueError(f"{label}: a tabulated source needs a spectrum")
        check_spectrum(self.spectrum, f"{label}: spectrum")
        if self.source == "table":
            Component("check", self.species or "?")

    # ------------------------------------------------------------------------------ properties
    @property
    def label(self):
        """The experiment's name (e.g. 'CONUS (current)' style labels are the ``name``)."""
        return f"{self.experiment} ({self.stage})" if self.stage else self.name

    @property
    def years(self):
        """Exposure time in years of 365.25 days (None for an SNS exposure given in protons on target)."""
        return None if self.exposure_s is None else self.exposure_s / YEAR_S

    @property
    def components(self):
        """The incident :class:`~cevns_lib.sources.Component` s of the source (by flavour; for the Sun, "8B nu_e",
        "8B nu_mu", "8B nu_tau" per solar component)."""
        if self.source == "SNS":
            return SNS_COMPONENTS
        if self.source == "reactor":
            return REACTOR_COMPONENTS
        if self.source == "solar":
            return tuple(Component(f"{name} nu_{fl}", f"nu_{fl}", "steady")
                         for name, _, _ in self.solar_components for fl in ("e", "mu", "tau"))
        return (Component(self.species, self.species, "steady"),)

    @property
    def converts_in_the_sun(self):
        """True for a solar source converted energy by energy in the Sun (``p_ee`` not given, choice E26)."""
        return self.source == "solar" and self.p_ee is None

    @property
    def mass_state_components(self):
        """The same neutrinos by the mass state in which they arrive: "8B nu_1", "8B nu_2", "8B nu_3" per solar
        component (produced as nu_e), for a source converted in the Sun; () when the mass-state content is not known
        (every other source, and a solar source with one flavour fraction, choice E6)."""
        if not self.converts_in_the_sun:
            return ()
        return tuple(Component(f"{name} nu_{j}", "nu_e", "steady", mass_state=j)
                     for name, _, _ in self.solar_components for j in (1, 2, 3))

    @property
    def flavours(self):
        """Names of the incident components: SNS prompt nu_mu and delayed nu_e, anti-nu_mu; reactor anti-nu_e."""
        return tuple(c.name for c in self.components)

    def _solar_part(self, component):
        """(solar component name, state label) of a solar component name such as "8B nu_mu" or "8B nu_2"."""
        name = getattr(component, "name", component)
        known = self.flavours + tuple(c.name for c in self.mass_state_components)
        if name not in known:
            raise ValueError(f"{self.name} has no component {name!r}; it has {', '.join(known)}")
        return name.rsplit(" ", 1) if self.source == "solar" else (name, None)

    def solar_decomposition(self, component):
        """The :class:`~cevns_lib.sources.solar.SolarDecomposition` of a solar component (its name, e.g. "8B") of a
        source converted in the Sun (library mixing parameters, de Salas et al. 2018)."""
        if not self.converts_in_the_sun:
            raise ValueError(f"{self.name}: only a solar source converted in the Sun (no p_ee) has a decomposition")
        spectra = {n: s for n, s, _ in self.solar_components}
        if component not in spectra:
            raise ValueError(f"{self.name} has no solar component {component!r}; it has {', '.join(spectra)}")
        from ..sources.solar import decompose

        return decompose(spectra[component], component, DE_SALAS_2018_NO, name=component)

    def _state_share_and_spectrum(self, source, state):
        d = self.solar_decomposition(source)
        label = state.split("_")[1]
        return d.mass_states[int(label)] if label.isdigit() else d.flavours[state]

    def spectrum_of(self, component):
        """The unit-area spectrum of a component (name or :class:`Component`); for a source converted in the Sun,
        the spectrum of the part arriving in that flavour or mass state."""
        source, state = self._solar_part(component)
        if self.source == "solar":
            if not self.converts_in_the_sun:
                return {n: s for n, s, _ in self.solar_components}[source]
            return self._state_share_and_spectrum(source, state)[1]
        return SNS_SPECTRA[source] if self.source == "SNS" else self.spectrum

    def flavour_fractions(self, component=None):
        """Solar sources: the fractions of nu_e, nu_mu, nu_tau at the detector, {"e", "mu", "tau"}. With one flavour
        fraction, p_ee and (1 - p_ee) split as cos^2 theta_23 : sin^2 theta_23 (choice E6), for every component;
        converted in the Sun, the flux-averaged fractions of the solar ``component`` (its name; may be left out
        when there is one). Other sources: None."""
        if self.source != "solar":
            return None
        if not self.converts_in_the_sun:
            s23 = DE_SALAS_2018_NO.sin2_23
            return {"e": self.p_ee, "mu": (1 - self.p_ee) * (1 - s23), "tau": (1 - self.p_ee) * s23}
        names = [n for n, _, _ in self.solar_components]
        if component is None:
            if len(names) != 1:
                raise ValueError(f"{self.name}: give the solar component, one of {', '.join(names)}")
            component = names[0]
        d = self.solar_decomposition(component)
        return {s.split("_")[1]: share for s, (share, _) in d.flavours.items()}

    def component_fluence_cm2(self, component):
        """Time-integrated flux (cm^-2) of one incident component (every component of the SNS and of a reactor
        has the experiment's fluence; a solar component its flux times its flavour fraction, or times the share
        of its flavour or mass state when converted in the Sun)."""
        source, state = self._solar_part(component)
        if self.source != "solar":
            return self.fluence_cm2()
        flux = {n: f for n, _, f in self.solar_components}[source]
        if not self.converts_in_the_sun:
            return flux * self.flavour_fractions()[state.split("_")[1]] * self.exposure_s
        return flux * self._state_share_and_spectrum(source, state)[0] * self.exposure_s

    def flux_at_detector_cm2_s(self):
        """Flux per component (cm^-2 s^-1) at the detector, for flux-based sources (None for SNS with POT)."""
        if self.flux_cm2_s is not None:
            scale = 1.0
            if self.flux_reference_m is not None and self.baseline_m is not None:
                scale = (self.flux_reference_m / self.baseline_m) ** 2
            return self.flux_cm2_s * scale
        if self.source == "reactor":
            return reactor_flux_from_power(self.power_GW, self.baseline_m, self.spectrum, self.energy_per_fission_MeV)
        return None

    def fluence_cm2(self):
        """Time-integrated flux per component (cm^-2)."""
        if self.source == "SNS" and self.n_pot is not None:
            return sns_fluence(self.n_pot, self.baseline_m, self.nu_per_pot)
        if self.source == "solar":
            return sum(f for _, _, f in self.solar_components) * self.exposure_s
        return self.flux_at_detector_cm2_s() * self.exposure_s

    def scaled(self, factor):
        """The same experiment with its luminosity (mass x time x flux) multiplied by ``factor``.

        A measurement does not scale: the COHERENT 2017 data statistic becomes its Asimov version at the new
        exposure (choice A15).
        """
        factor = check_positive(factor, "luminosity factor")
        stat = "coherent-csi-2017-asimov" if self.statistic == "coherent-csi-2017" else self.statistic
        return dataclasses.replace(self, mass_kg=self.mass_kg * factor, statistic=stat)

    def power_based_flux_cm2_s(self, spectrum=None):
        """Flux (cm^-2 s^-1) from the reactor's thermal power and distance, for comparison with ``flux_cm2_s``.

        The distance is ``power_baseline_m`` if given (the reactor site's), else ``baseline_m``.
        """
        if self.power_GW is None:
            raise ValueError(f"{self.name} has no reactor power")
        L = self.power_baseline_m or self.baseline_m
        return reactor_flux_from_power(self.power_GW, L, spectrum or self.spectrum, self.energy_per_fission_MeV)

    def status_of(self, name):
        """Status tag of an input (paper / literature / inferred ...), or '' when untagged."""
        return dict(self.status).get(name, "")

    def comparison_value(self, key, default=None):
        """A published number stored with the experiment (its [comparison] table)."""
        return dict(self.comparison).get(key, default)

    def replace(self, **changes):
        """A validated copy with some fields changed (``dataclasses.replace``)."""
        return dataclasses.replace(self, **changes)


# ``reactor_spectrum`` is accepted by the constructor and by ``dataclasses.replace`` (an init-only alias of
# ``spectrum``) and reads back the spectrum; set after the class is built so that the alias keeps its default.
Experiment.reactor_spectrum = property(lambda self: self.spectrum,
                                       doc="The spectrum of a reactor or tabulated source (alias of ``spectrum``).")




def exposure_seconds(days=None, years=None, seconds=None, where="exposure"):
    """Seconds of running from exactly one of days, years (365.25 days) or seconds."""
    given = {k: v for k, v in (("days", days), ("years", years), ("seconds", seconds)) if v is not None}
    if len(given) != 1:
        raise ValueError(f"{where}: give exactly one of days, years or seconds, got {sorted(given) or 'none'}")
    (key, value), = given.items()
    value = check_positive(value, f"{where}.{key}")
    return value * {"days": DAY_S, "years": YEAR_S, "seconds": 1.0}[key]


def check_experiment(experiment, name="experiment"):
    """An Experiment (cevns_lib.experiment), or a TypeError naming the argument."""

    if not isinstance(experiment, Experiment):
        raise TypeError(f"{name} must be a cevns_lib.experiment.Experiment (load_experiment, get_experiment or "
                        f"get_setup), got {experiment!r}")
    return experiment
