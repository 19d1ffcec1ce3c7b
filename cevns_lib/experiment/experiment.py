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
import math
from dataclasses import InitVar, dataclass, field

import numpy as np

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

__all__ = ["SOURCES", "STATISTICS", "BINNED_STATISTICS", "BACKGROUND_MODELS", "BACKGROUND_PRIORS", "Background",
           "Experiment", "exposure_seconds", "check_experiment"]


SOURCES = ("SNS", "reactor", "table", "solar")


#: Statistics an experiment can be analysed with (see :mod:`cevns_lib.statistics`).
STATISTICS = ("counting", "counting-literal", "coherent-csi-2017", "coherent-csi-2017-asimov", "binned-poisson")


#: The statistics that read the bins, backgrounds and data of an experiment (:mod:`cevns_lib.statistics.binned`).
BINNED_STATISTICS = ("binned-poisson",)


#: How a background's expected counts are given: a flat rate, a table of rates, or counts per bin.
BACKGROUND_MODELS = ("flat", "table", "counts")


#: The prior of a background's normalisation: Gaussian of relative width sigma, or free.
BACKGROUND_PRIORS = ("gauss", "free")


def _read_only_tuple(values, name):
    try:
        out = tuple(float(v) for v in values)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a list of numbers, got {values!r}") from None
    if not all(math.isfinite(v) for v in out):
        raise ValueError(f"{name} must be finite, got {values!r}")
    return out


@dataclass(frozen=True)
class Background:
    """One background of a binned experiment (an ``[[analysis.background]]`` entry), in the energy of the bins.

    ``model``: "flat" (``rate_per_kg_day_keV`` events per kg, day and keV of the binning energy), "table"
    (``energy_keV`` and ``rate_per_kg_day_keV_table``: a rate per kg day keV, linear between the points, zero
    outside) or "counts" (``counts``: expected events per bin over the reactor-on exposure). ``sigma``: the
    relative uncertainty of its normalisation (a profiled nuisance, Gaussian prior), or ``prior`` "free".
    Backgrounds are the same per kg and day with the source on and off (they constrain it from the off data).
    """

    name: str
    model: str
    rate_per_kg_day_keV: float | None = None
    energy_keV: tuple = ()
    rate_per_kg_day_keV_table: tuple = ()
    counts: tuple = ()
    sigma: float = 0.0
    prior: str = "gauss"
    source: str = ""

    def __post_init__(self):
        where = f"background {self.name!r}"
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("a background needs a name")
        if self.model not in BACKGROUND_MODELS:
            raise ValueError(f"{where}: model must be one of {', '.join(BACKGROUND_MODELS)}, got {self.model!r}")
        if self.prior not in BACKGROUND_PRIORS:
            raise ValueError(f"{where}: prior must be one of {', '.join(BACKGROUND_PRIORS)}, got {self.prior!r}")
        sigma = check_finite_scalar(self.sigma, f"{where}: sigma")
        if self.prior == "gauss" and not sigma > 0:
            raise ValueError(f"{where}: sigma (relative normalisation uncertainty) must be > 0, or prior = \"free\"")
        if self.model == "flat":
            check_positive(self.rate_per_kg_day_keV, f"{where}: rate_per_kg_day_keV", allow_zero=True)
        elif self.model == "table":
            e = _read_only_tuple(self.energy_keV, f"{where}: energies")
            r = _read_only_tuple(self.rate_per_kg_day_keV_table, f"{where}: rates")
            if len(e) < 2 or len(e) != len(r) or any(b <= a for a, b in zip(e[:-1], e[1:])) or min(r) < 0:
                raise ValueError(f"{where}: a table needs at least two rows of increasing energy and rates >= 0")
            object.__setattr__(self, "energy_keV", e)
            object.__setattr__(self, "rate_per_kg_day_keV_table", r)
        else:
            c = _read_only_tuple(self.counts, f"{where}: counts")
            if not c or min(c) < 0:
                raise ValueError(f"{where}: counts must be a list of expected events >= 0, one per bin")
            object.__setattr__(self, "counts", c)

    def replace(self, **changes):
        """A validated copy with some fields changed (``dataclasses.replace``)."""
        return dataclasses.replace(self, **changes)

    def expected(self, edges_keV, kg_days):
        """Expected events per bin (array) for bin edges (keV of the binning energy) and an exposure in kg days
        (the "counts" model is given for the reactor-on exposure: pass ``kg_days=None`` to get it as given)."""
        edges = np.asarray(edges_keV, dtype=float)
        if self.model == "counts":
            c = np.array(self.counts)
            if c.size != edges.size - 1:
                raise ValueError(f"background {self.name!r}: {c.size} counts for {edges.size - 1} bins")
            return c
        if self.model == "flat":
            return self.rate_per_kg_day_keV * kg_days * np.diff(edges)
        e, r = np.array(self.energy_keV), np.array(self.rate_per_kg_day_keV_table)
        # exact integral of the piecewise-linear rate over each bin (zero outside the table)
        grid = np.unique(np.concatenate([e, np.clip(edges, e[0], e[-1])]))
        vals = np.interp(grid, e, r)
        cum = np.concatenate([[0.0], np.cumsum(0.5 * (vals[1:] + vals[:-1]) * np.diff(grid))])
        at = np.interp(np.clip(edges, e[0], e[-1]), grid, cum)
        return kg_days * np.diff(at)


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
    changing ``baseline_m`` rescales it as 1/L^2 (choice E3). A reactor site with several cores gives ``cores``,
    (power_GW, baseline_m) pairs whose fluxes add (one spectrum for all). Exposure: ``n_pot`` (SNS) or
    ``exposure_s`` seconds (with the source on); ``off_exposure_s``: seconds with the source off (binned
    statistics: the off data constrain the backgrounds).

    Response: ``threshold_keV`` read as ``threshold_kind`` ("nr", "ee" or the paper's "ee_approx"), an optional
    upper edge ``upper_keV`` of the window in the same energy, ``quenching``, ``efficiency`` and ``resolution``
    objects (:mod:`cevns_lib.detector.quenching`, :mod:`cevns_lib.detector`); ``quenching_variations``:
    (name, up model, down model) triples, the +-1 sigma quenching models of a shape nuisance.

    Analysis: ``statistic`` (:data:`STATISTICS`) and ``sigma_alpha`` (the counting statistics); the binned
    statistic (:data:`BINNED_STATISTICS`) reads ``bin_edges_keV`` (in the threshold's energy, "nr" or "ee"),
    ``sigma_signal`` (relative uncertainty of the signal normalisation: flux and cross section, on SM and new
    physics alike; default ``sigma_alpha``), ``backgrounds`` (:class:`Background` entries), and the observed
    ``data_counts`` (per bin, source on) and ``data_off_counts`` (source off); no data: the Asimov result.
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
    cores: tuple = ()
    energy_per_fission_MeV: float = ENERGY_PER_FISSION_MEV
    spectrum: object = None
    species: str = ""
    solar_components: tuple = ()
    p_ee: float | None = None
    quenching: object = Lindhard()
    resolution: object = NoResolution()
    upper_keV: float | None = None
    quenching_variations: tuple = ()
    statistic: str = "counting"
    sigma_alpha: float = 0.30
    sigma_signal: float | None = None
    bin_edges_keV: tuple = ()
    backgrounds: tuple = ()
    off_exposure_s: float | None = None
    data_counts: tuple | None = None
    data_off_counts: tuple | None = None
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
        for name in ("baseline_m", "flux_reference_m", "power_GW", "power_baseline_m", "exposure_s", "n_pot",
                     "off_exposure_s"):
            if getattr(self, name) is not None:
                check_positive(getattr(self, name), f"{label}: {name}")
        if self.power_GW is not None and self.power_baseline_m is None and self.baseline_m is not None:
            object.__setattr__(self, "power_baseline_m", self.baseline_m)
        check_positive(self.nu_per_pot, f"{label}: nu_per_pot")
        check_positive(self.energy_per_fission_MeV, f"{label}: energy_per_fission_MeV")
        self._check_cores(label)
        self._check_source(label)
        if self.statistic not in STATISTICS:
            raise ValueError(f"{label}: unknown statistic {self.statistic!r}; allowed: {', '.join(STATISTICS)}")
        sa = check_finite_scalar(self.sigma_alpha, f"{label}: sigma_alpha")
        if not 0 <= sa < 1:
            raise ValueError(f"{label}: sigma_alpha must lie in [0, 1), got {self.sigma_alpha!r}")
        self._check_window(label)
        self._check_binned(label)
        if not isinstance(self.physics, PhysicsModel):
            raise TypeError(f"{label}: physics must be a cevns_lib.physics.PhysicsModel")
        object.__setattr__(self, "aliases", tuple(self.aliases))

    def _check_cores(self, label):
        if not self.cores:
            object.__setattr__(self, "cores", ())
            return
        if self.source != "reactor":
            raise ValueError(f"{label}: cores apply to a reactor source only")
        if self.power_GW is not None or self.baseline_m is not None or self.flux_cm2_s is not None:
            raise ValueError(f"{label}: give either cores or one power_GW and baseline_m (or flux_cm2_s), not both")
        try:
            cores = tuple((float(p), float(L)) for p, L in self.cores)
        except (TypeError, ValueError):
            raise ValueError(f"{label}: cores must be (power_GW, baseline_m) pairs, got {self.cores!r}") from None
        for n, (p, L) in enumerate(cores):
            check_positive(p, f"{label}: cores[{n}].power_GW")
            check_positive(L, f"{label}: cores[{n}].baseline_m")
        object.__setattr__(self, "cores", cores)

    def _check_window(self, label):
        if self.upper_keV is None:
            return
        up = check_positive(self.upper_keV, f"{label}: upper_keV")
        if not up > self.threshold_keV:
            raise ValueError(f"{label}: upper_keV ({up:g}) must lie above threshold_keV ({self.threshold_keV:g})")
        if self.threshold_kind == "ee_approx":
            raise ValueError(f"{label}: an upper window edge needs threshold_kind 'nr' or 'ee' (not 'ee_approx')")

    def _check_binned(self, label):
        binned = self.statistic in BINNED_STATISTICS
        for name in ("bin_edges_keV", "backgrounds"):
            if getattr(self, name) and not binned:
                raise ValueError(f"{label}: {name} needs a binned statistic ({', '.join(BINNED_STATISTICS)}), "
                                 f"not {self.statistic!r}")
        for name in ("off_exposure_s", "data_counts", "data_off_counts", "sigma_signal"):
            if getattr(self, name) is not None and not binned:
                raise ValueError(f"{label}: {name} needs a binned statistic ({', '.join(BINNED_STATISTICS)}), "
                                 f"not {self.statistic!r}")
        if self.quenching_variations and not binned:
            raise ValueError(f"{label}: a quenching uncertainty (a shape nuisance) needs a binned statistic")
        if not binned:
            return
        if self.threshold_kind == "ee_approx":
            raise ValueError(f"{label}: the binned statistic needs threshold_kind 'nr' or 'ee' (not 'ee_approx')")
        if self.sigma_signal is not None:
            ss = check_finite_scalar(self.sigma_signal, f"{label}: sigma_signal")
            if not 0 <= ss < 1:
                raise ValueError(f"{label}: sigma_signal must lie in [0, 1), got {self.sigma_signal!r}")
        edges = self.bin_edges_keV
        if not edges:
            hi = self.upper_keV
            if hi is None:
                raise ValueError(f"{label}: a binned statistic needs bin_edges_keV (or upper_keV for one bin)")
            edges = (self.threshold_keV, hi)
        edges = _read_only_tuple(edges, f"{label}: bin_edges_keV")
        if len(edges) < 2 or any(b <= a for a, b in zip(edges[:-1], edges[1:])):
            raise ValueError(f"{label}: bin_edges_keV must be at least two increasing energies, got {edges!r}")
        if edges[0] < self.threshold_keV * (1 - 1e-12):
            raise ValueError(f"{label}: bin_edges_keV start at {edges[0]:g}, below threshold_keV "
                             f"({self.threshold_keV:g})")
        if self.upper_keV is not None and edges[-1] > self.upper_keV * (1 + 1e-12):
            raise ValueError(f"{label}: bin_edges_keV end at {edges[-1]:g}, above upper_keV ({self.upper_keV:g})")
        object.__setattr__(self, "bin_edges_keV", edges)
        n_bins = len(edges) - 1
        names = []
        for b in self.backgrounds:
            if not isinstance(b, Background):
                raise TypeError(f"{label}: backgrounds must be cevns_lib.experiment.Background entries, got {b!r}")
            if b.model == "counts" and len(b.counts) != n_bins:
                raise ValueError(f"{label}: background {b.name!r} has {len(b.counts)} counts for {n_bins} bins")
            names.append(b.name)
        if len(set(names)) != len(names):
            raise ValueError(f"{label}: background names must be unique, got {names}")
        object.__setattr__(self, "backgrounds", tuple(self.backgrounds))
        for name in ("data_counts", "data_off_counts"):
            v = getattr(self, name)
            if v is None:
                continue
            v = _read_only_tuple(v, f"{label}: {name}")
            if len(v) != n_bins or min(v) < 0:
                raise ValueError(f"{label}: {name} must be {n_bins} counts >= 0 (one per bin), got {len(v)}")
            object.__setattr__(self, name, v)
        if self.data_off_counts is not None and self.off_exposure_s is None:
            raise ValueError(f"{label}: data_off_counts need an off exposure (exposure.off_days)")
        if self.data_off_counts is not None and self.data_counts is None:
            raise ValueError(f"{label}: data_off_counts need the on data too (data.counts)")
        if self.off_exposure_s is not None and self.data_counts is not None and self.data_off_counts is None:
            raise ValueError(f"{label}: observed data with an off exposure need data_off_counts (data.off_counts)")
        for entry in self.quenching_variations:
            if not (isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[0], str)):
                raise ValueError(f"{label}: quenching_variations must be (name, up model, down model) triples")

    @property
    def bins_keV(self):
        """Bin edges of a binned experiment (keV of the threshold's energy): ``bin_edges_keV``, or one bin from
        the threshold to ``upper_keV``; () for a counting experiment."""
        if self.statistic not in BINNED_STATISTICS:
            return ()
        return self.bin_edges_keV or (float(self.threshold_keV), float(self.upper_keV))

    @property
    def signal_sigma(self):
        """Relative uncertainty of the signal normalisation in the binned statistic (``sigma_signal``, default
        ``sigma_alpha``)."""
        return self.sigma_alpha if self.sigma_signal is None else float(self.sigma_signal)

    @property
    def kg_days(self):
        """Detector mass times running time with the source on (kg day), or None for an SNS exposure in POT."""
        return None if self.exposure_s is None else self.mass_kg * self.exposure_s / DAY_S

    @property
    def off_kg_days(self):
        """Detector mass times running time with the source off (kg day), or None."""
        return None if self.off_exposure_s is None else self.mass_kg * self.off_exposure_s / DAY_S

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
        if self.flux_cm2_s is not None:
            check_positive(self.flux_cm2_s, f"{label}: flux_cm2_s")
        elif not self.cores and (self.source == "table" or self.power_GW is None or self.baseline_m is None):
            raise ValueError(f"{label}: give flux_cm2_s" + ("" if self.source == "table" else
                                                            ", or power_GW and baseline_m, or cores"))
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
        """Flux per component (cm^-2 s^-1) at the detector, for flux-based sources (None for SNS with POT);
        for several reactor cores, the sum of their fluxes."""
        if self.cores:
            return sum(reactor_flux_from_power(p, L, self.spectrum, self.energy_per_fission_MeV)
                       for p, L in self.cores)
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
        if self.statistic not in BINNED_STATISTICS:
            return dataclasses.replace(self, mass_kg=self.mass_kg * factor, statistic=stat)
        # a binned experiment: backgrounds given as counts scale with the exposure, observed data are dropped
        bkgs = tuple(dataclasses.replace(b, counts=tuple(c * factor for c in b.counts)) if b.model == "counts" else b
                     for b in self.backgrounds)
        return dataclasses.replace(self, mass_kg=self.mass_kg * factor, backgrounds=bkgs, data_counts=None,
                                   data_off_counts=None)

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
