"""Experiment files: one declarative schema (:data:`SCHEMA`) that drives the validation and the book's key table.

A file describes one detector configuration; every key carries its unit in its name::

    name = "CONUS+ (Leibstadt)"          # required, unique; aliases = ["CONUS+"] adds other names
    [target]
    material = "Ge"                      # formula ("CsI"), isotope ("76Ge"), mixture ("2Ge:1Si"),
    mass_kg = 2.83                       #   or [target.composition] with mass fractions
    [source]
    kind = "reactor"                     # "sns", "reactor", "table" or "solar" (see below)
    power_GW = 3.6                       # reactor: flux_cm2_s (at baseline_m), or power_GW and baseline_m,
    baseline_m = 20.7                    #   or cores = [{ power_GW = 3.6, baseline_m = 20.7 }, ...]
    fission_fractions = { "235U" = 0.58, "238U" = 0.07, "239Pu" = 0.30, "241Pu" = 0.05 }
    [exposure]
    days = 119                           # or years (365.25 d), seconds, on_days (+ off_days); the SNS takes pot
    [response]
    threshold_keV = 0.16                 # lower edge of the window; upper_keV closes it
    threshold_kind = "ee"                # "nr", "ee" (E_ee = Q_f(T) T, inverted exactly), "ee_approx" (choice A5)
    quenching = { model = "lindhard", k = 0.157 }     # sigma_k = 0.01: a shape nuisance (binned statistic)
    efficiency = 1.0                     # a number, { model = "table", file = ..., energy = "ee" },
                                         #   or "coherent-csi-2017" (eqs. 30-31)
    resolution = { model = "none" }      # or { model = "gaussian", sigma_keV = ..., sigma_sqrt_keV = ...,
                                         #   sigma_rel = ... }
    [analysis]
    statistic = "counting"               # or "binned-poisson" (bins, backgrounds, data: cevns_lib.statistics.binned)
    sigma_alpha = 0.30

A binned experiment adds its bins, its backgrounds and (optionally) its data::

    [analysis]
    statistic = "binned-poisson"
    bin_edges_keV = [0.16, 0.20, 0.25, 0.30, 0.40, 0.50]   # in the threshold_kind's energy
    sigma_signal = 0.05
    [[analysis.background]]
    name = "flat"
    model = "flat"                       # or "table" (file: energy, events per kg day keV) or "counts" per bin
    rate_per_kg_day_keV = 1.0
    sigma = 0.02
    [data]
    counts = [...]                       # per bin, source on; off_counts with exposure.off_days

A solar source lists its components, each with the flux at the Earth and a spectrum table (E_MeV, dN/dE; for the
components "8B" and "hep" the table may be left out: the library's spectrum, choices E7 and E8, is used). Without
``p_ee`` each component is converted in the Sun energy by energy (adiabatic MSW in its production region, choice
E26; components named "8B", "hep" or "7Be"), which also gives the mass-state content the transition moments need;
with ``p_ee`` one electron-flavour fraction holds at every energy (the rest splits between nu_mu and nu_tau,
choice E6)::

    [source]
    kind = "solar"
    p_ee = 0.36
    [source.components.8B]
    file = "b8_spectrum.csv"
    flux_cm2_s = 5.16e6

Optional tables: ``[physics]`` (the fields of :class:`cevns_lib.physics.PhysicsModel`), ``[status]`` (a text
per input: paper, literature, or inferred with its register choice) and ``[comparison]`` (published numbers
to compare with). Every key is checked against :data:`SCHEMA`: a wrong name, type, unit or value raises a
``ValueError`` naming the file, the key and what is allowed; values a physicist rarely means (a core above
10 GW thermal, more than one neutrino per proton, a spectrum beyond its source's range) give one
:class:`ExperimentFileWarning` naming the key. Relative file names (tables) are read relative to the
experiment file. :func:`key_table` renders the schema as the key table of the book.

To add a key: one :class:`Key` entry in :data:`SCHEMA` (its table, type, unit, default, allowed values and
text), and its reading in the section's reader below if it is more than a checked value; a new source kind
is a new ``kinds`` value and a ``_source_KIND`` reader (see :func:`_solar_source`).
"""

import math
import tomllib
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from ..detector.efficiency import CsIEfficiency, FlatEfficiency, TableEfficiency
from ..detector.quenching import QUENCHING_MODELS, THRESHOLD_ALIASES, THRESHOLD_KINDS, Lindhard, TableQuenching
from ..detector.resolution import GaussianResolution, NoResolution
from ..physics.model import physics_from_mapping
from ..sources.components import SPECIES
from ..sources.reactor import ENERGY_PER_FISSION_MEV, ReactorSpectrum, VogelEngel235U
from ..sources.sns import SNS_NU_PER_POT
from ..sources.solar import SPECTRUM_COMPONENTS
from ..sources.solar import spectrum as solar_spectrum
from ..sources.spectra import read_spectrum_table
from .experiment import BACKGROUND_MODELS, BACKGROUND_PRIORS, STATISTICS, Background

__all__ = [
    "Key", "SCHEMA", "REQUIRED", "TOP_KEYS", "SECTION_KEYS", "SOURCE_KINDS", "SOURCE_KEYS", "REACTOR_SPECTRA",
    "EFFICIENCY_NAMES", "MAX_CORE_POWER_GW", "MAX_NU_PER_POT", "SOURCE_E_MAX_MEV", "ExperimentFileWarning",
    "keys_of", "key_table", "load_experiment"
]


#: The default of a key that must be given.
REQUIRED = "required"


SOURCE_KINDS = MappingProxyType({"sns": "SNS", "reactor": "reactor", "table": "table", "solar": "solar"})


REACTOR_SPECTRA = ("mueller-vogel-engel", "vogel-engel-235U")


EFFICIENCY_NAMES = ("coherent-csi-2017",)


#: Guards against unit mistakes: the largest thermal power of one core (GW) and neutrinos per proton on target
#: (per flavour) that are read without a warning, and the end of each source's physical range (MeV).
MAX_CORE_POWER_GW = 10.0
MAX_NU_PER_POT = 1.0
SOURCE_E_MAX_MEV = MappingProxyType({"reactor": 15.0, "solar": 20.0, "sns": 60.0, "table": 60.0})


class ExperimentFileWarning(UserWarning):
    """A value in an experiment file that is allowed but probably a unit mistake (the message names the key)."""


@dataclass(frozen=True)
class Key:
    """One key of the experiment-file schema.

    ``table``: where it sits ("" for the top level, "source", "response.quenching", "analysis.background[]" for
    each entry of an array of tables, "source.components.NAME" for each named sub-table); ``type``: "number",
    "text", "texts", "numbers", "table" or "tables" (an array of tables), "number|text|table" for a key with
    several forms; ``unit``; ``default`` (:data:`REQUIRED`, None for "not set", or a value); ``allowed``: the
    allowed texts; ``check``: for numbers "> 0", ">= 0", "[0, 1]" or "" (any finite number); ``kinds``: the
    source kinds (source keys) or models (model tables) the key applies to, () for all; ``doc``: its meaning.
    """

    table: str
    name: str
    type: str
    doc: str
    unit: str = ""
    default: object = None
    allowed: tuple = ()
    check: str = ""
    kinds: tuple = ()


def _k(table, name, type_, doc, **kw):
    return Key(table, name, type_, doc, **kw)


_SOURCES = ("sns", "reactor", "table")

#: The schema: every key the loader accepts, in the order of the book's table.
SCHEMA = (
    _k("", "name", "text", "the experiment's name (unique among the shipped experiments)", default=REQUIRED),
    _k("", "aliases", "texts", "other names accepted for it", default=()),
    _k("", "experiment", "text", "the experiment label of Table 2 rows", default="the name"),
    _k("", "stage", "text", "a label such as \"current\" or \"future\" (no physics)", default=""),
    _k("", "description", "text", "one line describing the file", default=""),
    _k("target", "material", "text", "a chemical formula (\"Ge\", \"CsI\", \"CaWO4\"), an isotope (\"76Ge\") or a "
       "mixture (\"2Ge:1Si\")"),
    _k("target", "composition", "table", "instead of material: mass fractions, { Ge = 0.9, Si = 0.1 }"),
    _k("target", "mass_kg", "number", "detector (active) mass", unit="kg", default=REQUIRED, check="> 0"),
    _k("source", "kind", "text", "the neutrino source", default=REQUIRED, allowed=tuple(SOURCE_KINDS)),
    _k("source", "baseline_m", "number", "distance from the source; a given flux scales as 1/L^2 (choice E3)",
       unit="m", check="> 0", kinds=_SOURCES),
    _k("source", "flux_cm2_s", "number", "flux per component at flux_reference_m (the total antineutrino flux of a "
       "reactor)", unit="cm^-2 s^-1", check="> 0", kinds=_SOURCES),
    _k("source", "flux_reference_m", "number", "distance at which flux_cm2_s is given", unit="m",
       default="baseline_m", check="> 0", kinds=_SOURCES),
    _k("source", "nu_per_pot", "number", "SNS: neutrinos per flavour per proton on target", default=SNS_NU_PER_POT,
       check="> 0", kinds=("sns",)),
    _k("source", "power_GW", "number", "reactor: thermal power, giving the flux with baseline_m", unit="GW",
       check="> 0", kinds=("reactor",)),
    _k("source", "power_baseline_m", "number", "reactor: the distance belonging to power_GW when a flux is given "
       "too (for comparisons)", unit="m", default="baseline_m", check="> 0", kinds=("reactor",)),
    _k("source", "cores", "tables", "reactor: several cores whose fluxes add, instead of power_GW and baseline_m",
       kinds=("reactor",)),
    _k("source", "spectrum", "text", "reactor: the antineutrino spectrum model", default="mueller-vogel-engel",
       allowed=REACTOR_SPECTRA, kinds=("reactor",)),
    _k("source", "fission_fractions", "table", "reactor: fission fractions of 235U, 238U, 239Pu, 241Pu "
       "(choice A7)", default="a typical power reactor", kinds=("reactor",)),
    _k("source", "captures_per_fission", "number", "reactor: neutron captures on 238U per fission (choice A7)",
       check=">= 0", kinds=("reactor",)),
    _k("source", "energy_per_fission_MeV", "number", "reactor: thermal energy per fission", unit="MeV",
       default=ENERGY_PER_FISSION_MEV, check="> 0", kinds=("reactor",)),
    _k("source", "file", "text", "table: a file of two columns, E (MeV) and dN/dE", default=REQUIRED,
       kinds=("table",)),
    _k("source", "species", "text", "table: the neutrino species", default=REQUIRED, allowed=SPECIES,
       kinds=("table",)),
    _k("source", "p_ee", "number", "solar: one electron-flavour fraction at every energy (the rest splits between "
       "nu_mu and nu_tau, choice E6); without it, MSW conversion in the Sun energy by energy (choice E26)",
       default="energy-dependent", check="[0, 1]", kinds=("solar",)),
    _k("source", "components", "table", "solar: one sub-table per component (8B, hep, ...)", default=REQUIRED,
       kinds=("solar",)),
    _k("source.cores[]", "power_GW", "number", "thermal power of the core", unit="GW", default=REQUIRED,
       check="> 0"),
    _k("source.cores[]", "baseline_m", "number", "distance from the core", unit="m", default=REQUIRED, check="> 0"),
    _k("source.components.NAME", "file", "text", "spectrum file: E (MeV) and dN/dE (8B and hep: the library's "
       "spectrum when left out, choices E7, E8)", default="the library's (8B, hep)"),
    _k("source.components.NAME", "flux_cm2_s", "number", "flux of the component at the Earth", unit="cm^-2 s^-1",
       default=REQUIRED, check="> 0"),
    _k("exposure", "days", "number", "running time with the source on", unit="d", check="> 0"),
    _k("exposure", "years", "number", "running time, in years of 365.25 days", unit="yr", check="> 0"),
    _k("exposure", "seconds", "number", "running time", unit="s", check="> 0"),
    _k("exposure", "on_days", "number", "running time with the source on (as days), beside off_days", unit="d",
       check="> 0"),
    _k("exposure", "off_days", "number", "running time with the source off (binned statistic: the off data "
       "constrain the backgrounds)", unit="d", check="> 0"),
    _k("exposure", "pot", "number", "SNS: protons on target (instead of a time and a flux)", check="> 0"),
    _k("response", "threshold_keV", "number", "threshold, the lower edge of the window (0 is allowed for rates "
       "whose terms stay finite)", unit="keV", default=REQUIRED, check=">= 0"),
    _k("response", "upper_keV", "number", "upper edge of the window, in the threshold's energy", unit="keV",
       check="> 0"),
    _k("response", "threshold_kind", "text", "the threshold's energy: nuclear recoil, electron equivalent "
       "(inverted exactly) or the paper's approximation (choice A5)", default="nr",
       allowed=THRESHOLD_KINDS + tuple(THRESHOLD_ALIASES)),
    _k("response", "quenching", "table", "the quenching model (keys below)", default="lindhard"),
    _k("response", "efficiency", "number|text|table", "a number in (0, 1], \"coherent-csi-2017\" (eqs. 30-31) or "
       "{ model = \"table\", ... }", default=1.0),
    _k("response", "resolution", "table", "the energy resolution (keys below)", default="none"),
    _k("response.quenching", "model", "text", "the quenching model", default=REQUIRED,
       allowed=tuple(QUENCHING_MODELS)),
    _k("response.quenching", "k", "number", "Lindhard k (default: 0.133 Z^(2/3) A^(-1/2) per isotope)",
       check="> 0", kinds=("lindhard",)),
    _k("response.quenching", "sigma_k", "number", "uncertainty of k: a profiled shape nuisance (binned statistic)",
       check="> 0", kinds=("lindhard",)),
    _k("response.quenching", "value", "number", "a constant quenching factor", default=REQUIRED, check="> 0",
       kinds=("constant",)),
    _k("response.quenching", "coefficients", "numbers", "E_ee(T) = c_0 + c_1 T + ... (T and E_ee in unit)",
       default=REQUIRED, kinds=("polynomial",)),
    _k("response.quenching", "unit", "text", "the unit of the polynomial", default="keV", allowed=("keV", "MeV"),
       kinds=("polynomial",)),
    _k("response.quenching", "file", "text", "a table of T (keVnr) and the quenching factor", default=REQUIRED,
       kinds=("table",)),
    _k("response.efficiency", "model", "text", "the efficiency model", default=REQUIRED,
       allowed=("table",) + EFFICIENCY_NAMES),
    _k("response.efficiency", "file", "text", "a table of energy (keV) and efficiency", default=REQUIRED,
       kinds=("table",)),
    _k("response.efficiency", "energy", "text", "the energy of the table", default="nr", allowed=("nr", "ee"),
       kinds=("table",)),
    _k("response.efficiency", "pe_max", "number", "upper end of the photoelectron window", default=30.0,
       check="> 0", kinds=("coherent-csi-2017",)),
    _k("response.resolution", "model", "text", "the resolution model", default=REQUIRED,
       allowed=("none", "gaussian")),
    _k("response.resolution", "sigma_keV", "number", "constant term of sigma", unit="keV", default=0.0,
       check=">= 0", kinds=("gaussian",)),
    _k("response.resolution", "sigma_sqrt_keV", "number", "term of sigma growing as sqrt(E / keV)", unit="keV",
       default=0.0, check=">= 0", kinds=("gaussian",)),
    _k("response.resolution", "sigma_rel", "number", "term of sigma proportional to E", default=0.0, check=">= 0",
       kinds=("gaussian",)),
    _k("analysis", "statistic", "text", "the statistic: counting (eq. 35, choice A1), its literal reading, the "
       "COHERENT 2017 data, or the binned Poisson likelihood", default="counting", allowed=STATISTICS),
    _k("analysis", "sigma_alpha", "number", "counting: relative uncertainty of the signal (choice A2)",
       default=0.30, check="[0, 1)"),
    _k("analysis", "sigma_signal", "number", "binned: relative uncertainty of the signal normalisation (flux, "
       "cross section; on SM and new-physics events alike)", default="sigma_alpha", check="[0, 1)"),
    _k("analysis", "bin_edges_keV", "numbers", "binned: the bin edges, in the threshold_kind's energy",
       unit="keV", default="one bin, threshold_keV to upper_keV"),
    _k("analysis", "background", "tables", "binned: the backgrounds (keys below)", default=()),
    _k("analysis.background[]", "name", "text", "the background's name (its nuisance)", default=REQUIRED),
    _k("analysis.background[]", "model", "text", "a flat rate, a table of rates, or expected counts per bin",
       default=REQUIRED, allowed=BACKGROUND_MODELS),
    _k("analysis.background[]", "rate_per_kg_day_keV", "number", "flat: the rate", unit="(kg d keV)^-1",
       default=REQUIRED, check=">= 0", kinds=("flat",)),
    _k("analysis.background[]", "file", "text", "table: energy (keV, the bins' energy) and rate per kg day keV, "
       "linear in between", default=REQUIRED, kinds=("table",)),
    _k("analysis.background[]", "counts", "numbers", "counts: expected events per bin, source-on exposure",
       default=REQUIRED, kinds=("counts",)),
    _k("analysis.background[]", "sigma", "number", "relative uncertainty of the normalisation (a profiled "
       "nuisance with a Gaussian prior)", check="> 0"),
    _k("analysis.background[]", "prior", "text", "the normalisation's prior: Gaussian (needs sigma) or free",
       default="gauss", allowed=BACKGROUND_PRIORS),
    _k("data", "counts", "numbers", "observed events per bin with the source on (absent: the Asimov result)"),
    _k("data", "off_counts", "numbers", "observed events per bin with the source off (with exposure.off_days)"),
    _k("physics", "(fields)", "table", "the fields of the PhysicsModel: couplings, kinematics, form_factor, "
       "radii; the defaults are the paper's"),
    _k("status", "(any)", "text", "where each input comes from (paper, literature, inferred with its register "
       "choice)"),
    _k("comparison", "(any)", "number|text", "published numbers to compare with"),
)


def keys_of(table, kind=None):
    """The names of the keys of a schema table (for a source kind or model ``kind``: those that apply to it)."""
    return tuple(k.name for k in SCHEMA if k.table == table and (kind is None or not k.kinds or kind in k.kinds))


def _spec(table, name):
    for k in SCHEMA:
        if k.table == table and k.name == name:
            return k
    raise KeyError(f"{table}.{name} is not in the schema")


_TABLES = ("target", "source", "exposure", "response", "analysis", "data", "physics", "status", "comparison")


#: The top-level keys and tables a file may have; the keys of each table; the keys of each source kind.
TOP_KEYS = frozenset(keys_of("") + _TABLES)
SECTION_KEYS = MappingProxyType({t: frozenset(keys_of(t)) for t in ("target", "source", "exposure", "response",
                                                                    "analysis", "data")})
SOURCE_KEYS = MappingProxyType({kind: frozenset(("kind",) + tuple(k for k in keys_of("source", kind) if k != "kind"))
                                for kind in SOURCE_KINDS})


def _default_text(k):
    if k.default is REQUIRED:
        return "required"
    if k.default is None or k.default == ():
        return ""
    if isinstance(k.default, str) and k.type != "text" and k.type != "texts":
        return k.default
    if isinstance(k.default, str):
        return k.default if k.default.startswith(("the ", "a ", "one ")) or not k.default else f"\"{k.default}\""
    return f"{k.default:g}" if isinstance(k.default, float) else str(k.default)


def key_table():
    """The schema as rows for the book: (table, key, type, unit, default, allowed values (texts) or range
    (numbers), applies to, meaning)."""
    rows = []
    for k in SCHEMA:
        table = "(top)" if not k.table else f"[{k.table}]"
        rows.append((table, k.name, k.type, k.unit, _default_text(k), ", ".join(k.allowed) or k.check,
                     ", ".join(k.kinds), k.doc))
    return tuple(rows)


# ------------------------------------------------------------------------------------------------ reading

class _File:
    """Reads values as the schema says, naming the file and key in every error."""

    def __init__(self, path):
        self.path = Path(path)

    def error(self, key, message):
        return ValueError(f"{self.path}: {key}: {message}")

    def warn(self, key, message):
        warnings.warn(f"{self.path}: {key}: {message}", ExperimentFileWarning, stacklevel=3)

    def table(self, raw, key, required=True):
        if key not in raw:
            if required:
                raise self.error(f"[{key}]", "missing table")
            return {}
        if not isinstance(raw[key], dict):
            raise self.error(key, f"must be a table, got {raw[key]!r}")
        return raw[key]

    def keys(self, table, allowed, where):
        bad = sorted(set(table) - set(allowed))
        if bad:
            raise self.error(f"{where}.{bad[0]}", f"unknown key; allowed: {', '.join(sorted(allowed))}")

    def value(self, table, schema_table, name, where, required=None, default=None):
        """The value of key ``name`` of ``table`` checked by its schema entry (type, allowed values, range)."""
        k = _spec(schema_table, name)
        required = (k.default is REQUIRED) if required is None else required
        if name not in table:
            if required:
                raise self.error(f"{where}.{name}", f"missing ({'a number' if k.type == 'number' else 'a text'})")
            return default
        v = table[name]
        key = f"{where}.{name}"
        if k.type == "number":
            return self._number(v, key, k.check)
        if k.type == "text":
            if not isinstance(v, str):
                raise self.error(key, f"must be a text, got {v!r}")
            if k.allowed and v not in k.allowed:
                raise self.error(key, f"unknown value {v!r}; allowed: {', '.join(k.allowed)}")
            return v
        if k.type == "numbers":
            if not isinstance(v, list) or not v:
                raise self.error(key, f"must be a list of numbers, got {v!r}")
            return tuple(self._number(x, key, "") for x in v)
        return v

    def _number(self, v, key, check):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise self.error(key, f"must be a number, got {v!r}")
        v = float(v)
        if not math.isfinite(v):
            raise self.error(key, f"must be finite, got {v!r}")
        if check == "> 0" and not v > 0:
            raise self.error(key, f"must be > 0, got {v!r}")
        if check == ">= 0" and not v >= 0:
            raise self.error(key, f"must be >= 0, got {v!r}")
        if check == "[0, 1]" and not 0 <= v <= 1:
            raise self.error(key, f"must be a probability in [0, 1], got {v!r}")
        if check == "[0, 1)" and not 0 <= v < 1:
            raise self.error(key, f"must lie in [0, 1), got {v!r}")
        return v

    def number(self, table, key, where, positive=True, allow_zero=False, required=True, default=None):
        """A number of a table without a schema entry (mass fractions, fission fractions)."""
        if key not in table:
            if required:
                raise self.error(f"{where}.{key}", "missing (a number)")
            return default
        return self._number(table[key], f"{where}.{key}", (">= 0" if allow_zero else "> 0") if positive else "")

    def file(self, name, where):
        p = (self.path.parent / name).resolve()
        if not p.is_file():
            raise self.error(where, f"file {name!r} not found (relative to the experiment file)")
        return p


def _read_table_file(f, path, where):
    rows = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            vals = [float(x) for x in line.replace(",", " ").split()]
        except ValueError:
            raise f.error(where, f"{path.name}, line {n}: expected two numbers, got {line!r}") from None
        if len(vals) != 2:
            raise f.error(where, f"{path.name}, line {n}: expected two numbers, got {line!r}")
        rows.append(vals)
    if len(rows) < 2:
        raise f.error(where, f"{path.name} needs at least two rows")
    return tuple(r[0] for r in rows), tuple(r[1] for r in rows)


def _model_table(f, spec, table, where, example):
    """The model of a response sub-table, after checking its keys against the schema."""
    if not isinstance(spec, dict):
        raise f.error(where, f"must be a table such as {example}, got {spec!r}")
    model = f.value(spec, table, "model", where)
    f.keys(spec, keys_of(table, model), where)
    return model


def _wrap(f, where, exc):
    if str(exc).startswith(str(f.path)):
        return exc
    return f.error(where, str(exc))


def _quenching(f, spec, kw):
    where, table = "response.quenching", "response.quenching"
    model = _model_table(f, spec, table, where, '{ model = "lindhard" }')
    try:
        if model == "lindhard":
            k = f.value(spec, table, "k", where)
            q = QUENCHING_MODELS[model](k=k)
            sigma = f.value(spec, table, "sigma_k", where)
            if sigma is not None:
                if k is None:
                    raise f.error(f"{where}.sigma_k", "needs an explicit k")
                if not sigma < k:
                    raise f.error(f"{where}.sigma_k", f"must be smaller than k ({k:g}), got {sigma!r}")
                kw["quenching_variations"] = (("quenching_k", Lindhard(k=k + sigma), Lindhard(k=k - sigma)),)
            return q
        if model == "constant":
            return QUENCHING_MODELS[model](f.value(spec, table, "value", where))
        if model == "polynomial":
            coeffs = f.value(spec, table, "coefficients", where)
            return QUENCHING_MODELS[model](coeffs, f.value(spec, table, "unit", where, default="keV"))
        path = f.file(f.value(spec, table, "file", where), f"{where}.file")
        T, q = _read_table_file(f, path, f"{where}.file")
        return TableQuenching(T, q, source=path.name)
    except (TypeError, ValueError) as exc:
        raise _wrap(f, where, exc) from None


def _efficiency(f, spec):
    where, table = "response.efficiency", "response.efficiency"
    try:
        if isinstance(spec, bool):
            raise f.error(where, f"must be a number, a name or a table, got {spec!r}")
        if isinstance(spec, (int, float)):
            return FlatEfficiency(float(spec))
        if isinstance(spec, str):
            if spec not in EFFICIENCY_NAMES:
                raise f.error(where, f"unknown efficiency {spec!r}; allowed: a number in (0, 1], "
                                     f"{', '.join(EFFICIENCY_NAMES)}, or a table")
            return CsIEfficiency()
        model = _model_table(f, spec, table, where, '{ model = "table", file = "eff.csv" }')
        if model == "coherent-csi-2017":
            return CsIEfficiency(pe_max=f.value(spec, table, "pe_max", where, default=30.0))
        path = f.file(f.value(spec, table, "file", where), f"{where}.file")
        E, v = _read_table_file(f, path, f"{where}.file")
        return TableEfficiency(E, v, energy=f.value(spec, table, "energy", where, default="nr"), source=path.name)
    except (TypeError, ValueError) as exc:
        raise _wrap(f, where, exc) from None


def _resolution(f, spec):
    where, table = "response.resolution", "response.resolution"
    model = _model_table(f, spec, table, where, '{ model = "none" }')
    if model == "none":
        return NoResolution()
    try:
        return GaussianResolution(*(f.value(spec, table, k, where, default=0.0)
                                    for k in ("sigma_keV", "sigma_sqrt_keV", "sigma_rel")))
    except ValueError as exc:
        raise _wrap(f, where, exc) from None


def _spectrum_range(f, spectrum, kind, where):
    e_top = spectrum.line if spectrum.line is not None else spectrum.e_max
    limit = SOURCE_E_MAX_MEV[kind]
    if e_top > limit:
        f.warn(where, f"the spectrum reaches {e_top:g} MeV, beyond the {limit:g} MeV of a {kind} source "
                      "(energies in MeV?)")


def _reactor_source(f, src, kw):
    if "cores" in src:
        cores = src["cores"]
        if not isinstance(cores, list) or not cores or not all(isinstance(c, dict) for c in cores):
            raise f.error("source.cores", "must be a list of tables such as [{ power_GW = 3.6, baseline_m = 20.7 }]")
        for key in ("power_GW", "baseline_m", "flux_cm2_s"):
            if key in src:
                raise f.error(f"source.{key}", "give either cores or one power_GW and baseline_m (or flux_cm2_s)")
        out = []
        for n, core in enumerate(cores):
            where = f"source.cores[{n}]"
            f.keys(core, keys_of("source.cores[]"), where)
            out.append((f.value(core, "source.cores[]", "power_GW", where),
                        f.value(core, "source.cores[]", "baseline_m", where)))
            if out[-1][0] > MAX_CORE_POWER_GW:
                f.warn(f"{where}.power_GW", f"{out[-1][0]:g} GW is above {MAX_CORE_POWER_GW:g} GW thermal for one "
                                            "core (GW, not MW?)")
        kw["cores"] = tuple(out)
    elif "flux_cm2_s" not in src and not ("power_GW" in src and "baseline_m" in src):
        raise f.error("source", "a reactor needs flux_cm2_s, or power_GW and baseline_m, or cores")
    if "flux_cm2_s" in src and "power_GW" in src and "power_baseline_m" not in src:
        raise f.error("source.power_GW", "give one of flux_cm2_s or power_GW (with baseline_m); a power beside a "
                                         "flux is kept for comparison only and then needs its own power_baseline_m")
    if kw.get("power_GW", 0.0) > MAX_CORE_POWER_GW:
        f.warn("source.power_GW", f"{kw['power_GW']:g} GW is above {MAX_CORE_POWER_GW:g} GW thermal for one core "
                                  "(GW, not MW? several cores: give cores)")
    name = f.value(src, "source", "spectrum", "source", default="mueller-vogel-engel")
    if name == "vogel-engel-235U":
        for key in ("fission_fractions", "captures_per_fission"):
            if key in src:
                raise f.error(f"source.{key}", "only applies to the 'mueller-vogel-engel' spectrum")
        kw["spectrum"] = VogelEngel235U()
        return
    args = {}
    if "fission_fractions" in src:
        ff = src["fission_fractions"]
        if not isinstance(ff, dict) or not ff:
            raise f.error("source.fission_fractions", "must be a table such as { \"235U\" = 0.58, ... }")
        args["fission_fractions"] = tuple((k, f.number(ff, k, "source.fission_fractions", allow_zero=True))
                                          for k in ff)
    if "captures_per_fission" in src:
        args["n_capture"] = f.value(src, "source", "captures_per_fission", "source")
    try:
        kw["spectrum"] = ReactorSpectrum(**args)
    except (TypeError, ValueError) as exc:
        raise f.error("source.fission_fractions", str(exc)) from None
    _spectrum_range(f, kw["spectrum"], "reactor", "source.spectrum")


def _table_source(f, src, kw):
    species = f.value(src, "source", "species", "source")
    if "flux_cm2_s" not in src:
        raise f.error("source.flux_cm2_s", "missing (a tabulated source needs its total flux)")
    path = f.file(f.value(src, "source", "file", "source"), "source.file")
    try:
        kw["spectrum"] = read_spectrum_table(path)
    except ValueError as exc:
        raise f.error("source.file", str(exc)) from None
    _spectrum_range(f, kw["spectrum"], "table", "source.file")
    kw["species"] = species


def _solar_source(f, src, kw):
    """The solar branch: p_ee (optional) and one (name, spectrum, flux) triple per [source.components.NAME] table."""
    kw["p_ee"] = f.value(src, "source", "p_ee", "source") if "p_ee" in src else None
    comps = src.get("components")
    if not isinstance(comps, dict) or not comps:
        raise f.error("source.components", "needs at least one component, e.g. [source.components.8B]")
    entries = []
    for cname, comp in comps.items():
        where = f"source.components.{cname}"
        if not isinstance(comp, dict):
            raise f.error(where, "must be a table with file and flux_cm2_s")
        f.keys(comp, keys_of("source.components.NAME"), where)
        if "file" not in comp and cname in SPECTRUM_COMPONENTS:
            spectrum = solar_spectrum(cname)
        else:
            path = f.file(f.value(comp, "source.components.NAME", "file", where, required=True), f"{where}.file")
            try:
                spectrum = read_spectrum_table(path, name=cname)
            except ValueError as exc:
                raise f.error(f"{where}.file", str(exc)) from None
            _spectrum_range(f, spectrum, "solar", f"{where}.file")
        entries.append((cname, spectrum, f.value(comp, "source.components.NAME", "flux_cm2_s", where)))
    kw["solar_components"] = tuple(entries)


_SOURCE_READERS = {"reactor": _reactor_source, "table": _table_source, "solar": _solar_source}


def _source(f, src, kw):
    kind = f.value(src, "source", "kind", "source")
    f.keys(src, SOURCE_KEYS[kind], "source")
    kw["source"] = SOURCE_KINDS[kind]
    for key in ("baseline_m", "flux_cm2_s", "flux_reference_m", "power_GW", "power_baseline_m",
                "energy_per_fission_MeV", "nu_per_pot"):
        if key in src:
            kw[key] = f.value(src, "source", key, "source")
    if "flux_cm2_s" in src and "flux_reference_m" not in src and "baseline_m" in src:
        kw["flux_reference_m"] = kw["baseline_m"]
    if kw.get("nu_per_pot", 0.0) > MAX_NU_PER_POT:
        f.warn("source.nu_per_pot", f"{kw['nu_per_pot']:g} neutrinos per flavour per proton is above "
                                    f"{MAX_NU_PER_POT:g} (the SNS gives about {SNS_NU_PER_POT:g})")
    if kind in _SOURCE_READERS:
        _SOURCE_READERS[kind](f, src, kw)
    return kind


def _exposure(f, exposure, kind, kw):
    from .experiment import exposure_seconds

    f.keys(exposure, SECTION_KEYS["exposure"], "exposure")
    if kind == "sns" and "pot" in exposure:
        if len(exposure) != 1:
            raise f.error("exposure", "give pot alone for the SNS (protons on target)")
        kw["n_pot"] = f.value(exposure, "exposure", "pot", "exposure")
        return
    if "pot" in exposure:
        raise f.error("exposure.pot", "protons on target only apply to an SNS source")
    vals = {k: f.value(exposure, "exposure", k, "exposure") for k in ("days", "years", "seconds", "on_days",
                                                                     "off_days")}
    if vals["on_days"] is not None:
        if any(vals[k] is not None for k in ("days", "years", "seconds")):
            raise f.error("exposure.on_days", "give on_days (with off_days) or one of days, years, seconds")
        vals["days"] = vals["on_days"]
    try:
        kw["exposure_s"] = exposure_seconds(vals["days"], vals["years"], vals["seconds"], where="exposure")
    except ValueError as exc:
        raise ValueError(f"{f.path}: {exc}") from None
    if vals["off_days"] is not None:
        kw["off_exposure_s"] = exposure_seconds(days=vals["off_days"], where="exposure")


def _backgrounds(f, entries):
    table = "analysis.background[]"
    if not isinstance(entries, list) or not all(isinstance(b, dict) for b in entries):
        raise f.error("analysis.background", "must be an array of tables ([[analysis.background]] entries)")
    out = []
    for n, b in enumerate(entries):
        where = f"analysis.background[{n}]"
        name = f.value(b, table, "name", where)
        where = f"analysis.background.{name}"
        model = f.value(b, table, "model", where)
        f.keys(b, keys_of(table, model), where)
        prior = f.value(b, table, "prior", where, default="gauss")
        sigma = f.value(b, table, "sigma", where, required=(prior == "gauss"), default=0.0)
        kw = {}
        if model == "flat":
            kw["rate_per_kg_day_keV"] = f.value(b, table, "rate_per_kg_day_keV", where)
        elif model == "table":
            path = f.file(f.value(b, table, "file", where), f"{where}.file")
            E, r = _read_table_file(f, path, f"{where}.file")
            kw.update(energy_keV=E, rate_per_kg_day_keV_table=r, source=path.name)
        else:
            kw["counts"] = f.value(b, table, "counts", where)
            if min(kw["counts"]) < 0:
                raise f.error(f"{where}.counts", "must be expected events >= 0")
        try:
            out.append(Background(name, model, sigma=sigma, prior=prior, **kw))
        except ValueError as exc:
            raise _wrap(f, where, exc) from None
    return tuple(out)


def _analysis(f, analysis, kw):
    f.keys(analysis, SECTION_KEYS["analysis"], "analysis")
    for key in ("statistic", "sigma_alpha", "sigma_signal", "bin_edges_keV"):
        if key in analysis:
            kw[key] = f.value(analysis, "analysis", key, "analysis")
    if "background" in analysis:
        kw["backgrounds"] = _backgrounds(f, analysis["background"])


def _data(f, data, kw):
    f.keys(data, SECTION_KEYS["data"], "data")
    for key, field in (("counts", "data_counts"), ("off_counts", "data_off_counts")):
        if key in data:
            v = f.value(data, "data", key, "data")
            if min(v) < 0:
                raise f.error(f"data.{key}", "must be counts >= 0")
            kw[field] = v


def _field_key(message):
    """The file key an Experiment error is about (its field names are the file's keys, or map to them)."""
    keys = {"data_counts": "data.counts", "data_off_counts": "data.off_counts", "off_exposure_s": "exposure.off_days",
            "bin_edges_keV": "analysis.bin_edges_keV", "sigma_signal": "analysis.sigma_signal",
            "upper_keV": "response.upper_keV", "threshold_keV": "response.threshold_keV",
            "backgrounds": "analysis.background", "background": "analysis.background", "cores": "source.cores"}
    for field, key in keys.items():
        if field in message:
            return key
    return None


def _check_endpoint(f, e):
    """The guard against a threshold above every recoil the source can give (a unit mistake, keV vs eV)."""
    from ..detector.quenching import threshold_nr_keV
    from ..physics.cross_sections import t_max_keV
    from ..physics.nuclei import number_of_nuclei

    t_end = 0.0
    for iso, _ in number_of_nuclei(e.material, 1.0):
        m = e.physics.mass_MeV(iso)
        for comp in e.flavours:
            s = e.spectrum_of(comp)
            t_end = max(t_end, float(t_max_keV(s.line if s.line is not None else s.e_max, m)))
    thr = max(threshold_nr_keV(e.threshold_keV, e.threshold_kind, iso.Z, iso.A, e.quenching, iso)
              for iso, _ in number_of_nuclei(e.material, 1.0)) if e.threshold_keV > 0 else 0.0
    if thr >= t_end:
        raise f.error("response.threshold_keV", f"{e.threshold_keV:g} keV{'' if e.threshold_kind == 'nr' else 'ee'} "
                                                f"is above the largest recoil energy the source can give "
                                                f"({t_end:.3g} keVnr): is the unit right (keV, not eV)?")


def load_experiment(path, _relative_to=None):
    """Read and validate one experiment file; returns an :class:`~cevns_lib.experiment.Experiment`.

    Every key is checked against :data:`SCHEMA` (errors name the file and the key); see the module docstring.
    """
    from .experiment import Experiment

    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: experiment file not found")
    f = _File(path)
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not a UTF-8 text file (TOML files are UTF-8): {exc.reason} at byte "
                         f"{exc.start}") from None
    if "setup" in raw:
        raise f.error("setup", "renamed to stage (the current/future label) in cevns_lib 0.2")
    f.keys(raw, TOP_KEYS, "file")
    kw = {}
    name = f.value(raw, "", "name", "file")
    if not name.strip():
        raise f.error("name", "must not be empty")
    kw["name"] = name
    kw["experiment"] = f.value(raw, "", "experiment", "file", default=name)
    kw["stage"] = f.value(raw, "", "stage", "file", default="")
    kw["description"] = f.value(raw, "", "description", "file", default="")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        raise f.error("aliases", "must be a list of names")
    kw["aliases"] = tuple(aliases)

    target = f.table(raw, "target")
    f.keys(target, SECTION_KEYS["target"], "target")
    if ("material" in target) == ("composition" in target):
        raise f.error("target", "give exactly one of material or composition")
    if "material" in target:
        kw["material"] = f.value(target, "target", "material", "target")
    else:
        comp = target["composition"]
        if not isinstance(comp, dict) or not comp:
            raise f.error("target.composition", "must be a table of mass fractions such as { Ge = 0.9, Si = 0.1 }")
        kw["material"] = tuple((k, f.number(comp, k, "target.composition")) for k in comp)
    kw["mass_kg"] = f.value(target, "target", "mass_kg", "target")

    kind = _source(f, f.table(raw, "source"), kw)
    _exposure(f, f.table(raw, "exposure"), kind, kw)

    resp = f.table(raw, "response")
    f.keys(resp, SECTION_KEYS["response"], "response")
    kw["threshold_keV"] = f.value(resp, "response", "threshold_keV", "response")
    if "upper_keV" in resp:
        kw["upper_keV"] = f.value(resp, "response", "upper_keV", "response")
    kw["threshold_kind"] = f.value(resp, "response", "threshold_kind", "response", default="nr")
    if "quenching" in resp:
        kw["quenching"] = _quenching(f, resp["quenching"], kw)
    if "efficiency" in resp:
        kw["efficiency"] = _efficiency(f, resp["efficiency"])
    if "resolution" in resp:
        kw["resolution"] = _resolution(f, resp["resolution"])

    _analysis(f, f.table(raw, "analysis", required=False), kw)
    _data(f, f.table(raw, "data", required=False), kw)

    if "physics" in raw:
        try:
            kw["physics"] = physics_from_mapping(f.table(raw, "physics"), f"{path}: physics")
        except ValueError as exc:
            raise ValueError(str(exc)) from None
    for key in ("status", "comparison"):
        table = f.table(raw, key, required=False)
        for k, v in table.items():
            ok = (isinstance(v, str) if key == "status"
                  else (isinstance(v, (str, int, float)) and not isinstance(v, bool)))
            if not ok:
                raise f.error(f"{key}.{k}", "must be a text" + ("" if key == "status" else " or a number"))
        kw[key] = tuple(table.items())
    kw["file"] = str(path.relative_to(_relative_to)) if _relative_to is not None else str(path)
    try:
        e = Experiment(**kw)
    except (TypeError, ValueError) as exc:
        key = _field_key(str(exc))
        raise ValueError(f"{path}: {key + ': ' if key else ''}{exc}") from None
    _check_endpoint(f, e)
    return e
