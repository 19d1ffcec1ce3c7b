"""Experiment files: the TOML schema, its validation, and the experiments shipped in ``data/experiments``.

A file describes one detector configuration; every key carries its unit in its name::

    name = "CONUS+ (Leibstadt)"          # required, unique; aliases = ["CONUS+"] adds other names
    [target]
    material = "Ge"                      # formula ("CsI"), isotope ("76Ge"), mixture ("2Ge:1Si"),
    mass_kg = 2.83                       #   or [target.composition] with mass fractions
    [source]
    kind = "reactor"                     # "sns", "reactor", "table" or "solar" (see below)
    power_GW = 3.6                       # reactor: flux_cm2_s (at baseline_m), or power_GW and baseline_m
    baseline_m = 20.7
    fission_fractions = { "235U" = 0.58, "238U" = 0.07, "239Pu" = 0.30, "241Pu" = 0.05 }
    [exposure]
    days = 119                           # or years (365.25 d), seconds; the SNS takes pot
    [response]
    threshold_keV = 0.16
    threshold_kind = "ee"                # "nr", "ee" (E_ee = Q_f(T) T, inverted exactly), "ee_approx" (choice A5)
    quenching = { model = "lindhard", k = 0.157 }
    efficiency = 1.0                     # a number, { model = "table", file = ..., energy = "ee" },
                                         #   or "coherent-csi-2017" (eqs. 30-31)
    resolution = { model = "none" }      # or { model = "gaussian", sigma_keV = ..., sigma_sqrt_keV = ...,
                                         #   sigma_rel = ... }
    [analysis]
    statistic = "counting"               # see cevns_lib.statistics; sigma_alpha the signal uncertainty
    sigma_alpha = 0.30

A solar source lists its components, each with the flux at the Earth and a spectrum table (E_MeV, dN/dE; for the
components "8B" and "hep" the table may be left out: the library's spectrum, choices E7 and E8, is used). Without
``p_ee`` each component is converted in the Sun energy by energy (adiabatic MSW in its production region, choice
E26; components named "8B", "hep" or "7Be"), which also gives the mass-state content the transition moments need;
with ``p_ee`` one electron-flavour fraction holds at every energy (the rest splits between nu_mu and nu_tau,
choice E6)::

    [source]
    kind = "solar"
    p_ee = 0.36                          # optional: leave it out for the conversion in the Sun
    [source.components.8B]
    file = "b8_spectrum.csv"             # optional for 8B and hep
    flux_cm2_s = 5.16e6

Optional tables: ``[physics]`` (the fields of :class:`cevns_lib.physics.PhysicsModel`), ``[status]`` (a text
per input: paper, literature, or inferred with its register choice) and ``[comparison]`` (published numbers
to compare with). Every key is checked: a wrong name, type, unit or value raises a ``ValueError`` naming the
file, the key and what is allowed. Relative file names (tables) are read relative to the experiment file.
"""

import math
import tomllib
from pathlib import Path

from ..detector.efficiency import CsIEfficiency, FlatEfficiency, TableEfficiency
from ..detector.quenching import QUENCHING_MODELS, THRESHOLD_ALIASES, THRESHOLD_KINDS, TableQuenching
from ..detector.resolution import GaussianResolution, NoResolution
from ..physics.model import physics_from_mapping
from ..sources.components import SPECIES
from ..sources.reactor import ReactorSpectrum, VogelEngel235U
from ..sources.solar import SPECTRUM_COMPONENTS
from ..sources.solar import spectrum as solar_spectrum
from ..sources.spectra import read_spectrum_table

__all__ = [
    "TOP_KEYS", "SECTION_KEYS", "SOURCE_KINDS", "SOURCE_KEYS", "REACTOR_SPECTRA", "EFFICIENCY_NAMES",
    "load_experiment"
]


TOP_KEYS = {"name", "experiment", "stage", "aliases", "description", "target", "source", "exposure", "response",
            "analysis", "physics", "status", "comparison"}


SECTION_KEYS = {
    "target": {"material", "composition", "mass_kg"},
    "source": {"kind", "baseline_m", "nu_per_pot", "flux_cm2_s", "flux_reference_m", "power_GW", "power_baseline_m",
               "fission_fractions", "spectrum", "captures_per_fission", "energy_per_fission_MeV", "file", "species",
               "components", "p_ee"},
    "exposure": {"pot", "days", "years", "seconds"},
    "response": {"threshold_keV", "threshold_kind", "quenching", "efficiency", "resolution"},
    "analysis": {"statistic", "sigma_alpha"},
}


SOURCE_KINDS = {"sns": "SNS", "reactor": "reactor", "table": "table", "solar": "solar"}


SOURCE_KEYS = {
    "sns": {"kind", "baseline_m", "nu_per_pot", "flux_cm2_s", "flux_reference_m"},
    "reactor": {"kind", "baseline_m", "flux_cm2_s", "flux_reference_m", "power_GW", "power_baseline_m",
                "fission_fractions", "spectrum", "captures_per_fission", "energy_per_fission_MeV"},
    "table": {"kind", "file", "species", "flux_cm2_s", "baseline_m", "flux_reference_m"},
    "solar": {"kind", "components", "p_ee"},
}


REACTOR_SPECTRA = ("mueller-vogel-engel", "vogel-engel-235U")


EFFICIENCY_NAMES = ("coherent-csi-2017",)


class _File:
    """Helpers that name the file and key in every error."""

    def __init__(self, path):
        self.path = Path(path)

    def error(self, key, message):
        return ValueError(f"{self.path}: {key}: {message}")

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

    def number(self, table, key, where, positive=True, allow_zero=False, required=True, default=None):
        if key not in table:
            if required:
                raise self.error(f"{where}.{key}", "missing (a number)")
            return default
        v = table[key]
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise self.error(f"{where}.{key}", f"must be a number, got {v!r}")
        v = float(v)
        if not math.isfinite(v):
            raise self.error(f"{where}.{key}", f"must be finite, got {v!r}")
        if positive and (v < 0 or (v == 0 and not allow_zero)):
            raise self.error(f"{where}.{key}", f"must be {'>= 0' if allow_zero else '> 0'}, got {v!r}")
        return v

    def text(self, table, key, where, allowed=None, required=True, default=None):
        if key not in table:
            if required:
                raise self.error(f"{where}.{key}", "missing (a text)")
            return default
        v = table[key]
        if not isinstance(v, str):
            raise self.error(f"{where}.{key}", f"must be a text, got {v!r}")
        if allowed is not None and v not in allowed:
            raise self.error(f"{where}.{key}", f"unknown value {v!r}; allowed: {', '.join(allowed)}")
        return v

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


def _quenching(f, spec):
    where = "response.quenching"
    if not isinstance(spec, dict):
        raise f.error(where, f"must be a table such as {{ model = \"lindhard\" }}, got {spec!r}")
    model = f.text(spec, "model", where, allowed=tuple(QUENCHING_MODELS))
    allowed = {"lindhard": {"model", "k"}, "constant": {"model", "value"},
               "polynomial": {"model", "coefficients", "unit"}, "table": {"model", "file"}}[model]
    f.keys(spec, allowed, where)
    try:
        if model == "lindhard":
            return QUENCHING_MODELS[model](k=f.number(spec, "k", where, required=False))
        if model == "constant":
            return QUENCHING_MODELS[model](f.number(spec, "value", where))
        if model == "polynomial":
            coeffs = spec.get("coefficients")
            if not isinstance(coeffs, list) or not all(isinstance(c, (int, float)) and not isinstance(c, bool)
                                                       for c in coeffs):
                raise f.error(f"{where}.coefficients", "must be a list of numbers (c_0, c_1, ...)")
            return QUENCHING_MODELS[model](tuple(coeffs), f.text(spec, "unit", where, ("keV", "MeV"), False, "keV"))
        path = f.file(f.text(spec, "file", where), f"{where}.file")
        T, q = _read_table_file(f, path, f"{where}.file")
        return TableQuenching(T, q, source=path.name)
    except (TypeError, ValueError) as exc:
        if str(exc).startswith(str(f.path)):
            raise
        raise f.error(where, str(exc)) from None


def _efficiency(f, spec):
    where = "response.efficiency"
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
        if not isinstance(spec, dict):
            raise f.error(where, f"must be a number, a name or a table, got {spec!r}")
        model = f.text(spec, "model", where, allowed=("table",) + EFFICIENCY_NAMES)
        if model == "coherent-csi-2017":
            f.keys(spec, {"model", "pe_max"}, where)
            return CsIEfficiency(pe_max=f.number(spec, "pe_max", where, required=False, default=30.0))
        f.keys(spec, {"model", "file", "energy"}, where)
        path = f.file(f.text(spec, "file", where), f"{where}.file")
        E, v = _read_table_file(f, path, f"{where}.file")
        return TableEfficiency(E, v, energy=f.text(spec, "energy", where, ("nr", "ee"), False, "nr"), source=path.name)
    except (TypeError, ValueError) as exc:
        if str(exc).startswith(str(f.path)):
            raise
        raise f.error(where, str(exc)) from None


def _resolution(f, spec):
    where = "response.resolution"
    if not isinstance(spec, dict):
        raise f.error(where, f"must be a table such as {{ model = \"none\" }}, got {spec!r}")
    model = f.text(spec, "model", where, allowed=("none", "gaussian"))
    if model == "none":
        f.keys(spec, {"model"}, where)
        return NoResolution()
    f.keys(spec, {"model", "sigma_keV", "sigma_sqrt_keV", "sigma_rel"}, where)
    try:
        return GaussianResolution(*(f.number(spec, k, where, allow_zero=True, required=False, default=0.0)
                                    for k in ("sigma_keV", "sigma_sqrt_keV", "sigma_rel")))
    except ValueError as exc:
        raise f.error(where, str(exc)) from None


def _source(f, src, kw):
    kind = f.text(src, "kind", "source", allowed=tuple(SOURCE_KINDS))
    f.keys(src, SOURCE_KEYS[kind], "source")
    kw["source"] = SOURCE_KINDS[kind]
    for key in ("baseline_m", "flux_cm2_s", "flux_reference_m", "power_GW", "power_baseline_m",
                "energy_per_fission_MeV", "nu_per_pot"):
        if key in src:
            kw[key] = f.number(src, key, "source")
    if "flux_cm2_s" in src and "flux_reference_m" not in src and "baseline_m" in src:
        kw["flux_reference_m"] = kw["baseline_m"]
    if kind == "reactor":
        if "flux_cm2_s" not in src and not ("power_GW" in src and "baseline_m" in src):
            raise f.error("source", "a reactor needs flux_cm2_s, or power_GW and baseline_m")
        name = f.text(src, "spectrum", "source", allowed=REACTOR_SPECTRA, required=False,
                      default="mueller-vogel-engel")
        if name == "vogel-engel-235U":
            for key in ("fission_fractions", "captures_per_fission"):
                if key in src:
                    raise f.error(f"source.{key}", "only applies to the 'mueller-vogel-engel' spectrum")
            kw["spectrum"] = VogelEngel235U()
        else:
            args = {}
            if "fission_fractions" in src:
                ff = src["fission_fractions"]
                if not isinstance(ff, dict) or not ff:
                    raise f.error("source.fission_fractions", "must be a table such as { \"235U\" = 0.58, ... }")
                args["fission_fractions"] = tuple((k, f.number(ff, k, "source.fission_fractions", allow_zero=True))
                                                  for k in ff)
            if "captures_per_fission" in src:
                args["n_capture"] = f.number(src, "captures_per_fission", "source", allow_zero=True)
            try:
                kw["spectrum"] = ReactorSpectrum(**args)
            except (TypeError, ValueError) as exc:
                raise f.error("source.fission_fractions", str(exc)) from None
    elif kind == "table":
        species = f.text(src, "species", "source", allowed=SPECIES)
        if "flux_cm2_s" not in src:
            raise f.error("source.flux_cm2_s", "missing (a tabulated source needs its total flux)")
        path = f.file(f.text(src, "file", "source"), "source.file")
        try:
            kw["spectrum"] = read_spectrum_table(path)
        except ValueError as exc:
            raise f.error("source.file", str(exc)) from None
        kw["species"] = species
    elif kind == "solar":
        kw["p_ee"] = f.number(src, "p_ee", "source", positive=False, allow_zero=True, required=False)
        if kw["p_ee"] is not None and not 0.0 <= kw["p_ee"] <= 1.0:
            raise f.error("source.p_ee", f"must be a probability in [0, 1], got {kw['p_ee']!r}")
        comps = src.get("components")
        if not isinstance(comps, dict) or not comps:
            raise f.error("source.components", "needs at least one component, e.g. [source.components.8B]")
        entries = []
        for cname, comp in comps.items():
            where = f"source.components.{cname}"
            if not isinstance(comp, dict):
                raise f.error(where, "must be a table with file and flux_cm2_s")
            f.keys(comp, {"file", "flux_cm2_s"}, where)
            if "file" not in comp and cname in SPECTRUM_COMPONENTS:
                spectrum = solar_spectrum(cname)
            else:
                path = f.file(f.text(comp, "file", where), f"{where}.file")
                try:
                    spectrum = read_spectrum_table(path, name=cname)
                except ValueError as exc:
                    raise f.error(f"{where}.file", str(exc)) from None
            entries.append((cname, spectrum, f.number(comp, "flux_cm2_s", where)))
        kw["solar_components"] = tuple(entries)
    return kind


def load_experiment(path, _relative_to=None):
    """Read and validate one experiment file; returns an :class:`~cevns_lib.experiment.Experiment`."""
    from .experiment import Experiment, exposure_seconds

    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: experiment file not found")
    f = _File(path)
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from None
    if "setup" in raw:
        raise f.error("setup", "renamed to stage (the current/future label) in cevns_lib 0.2")
    f.keys(raw, TOP_KEYS, "file")
    kw = {}
    name = f.text(raw, "name", "file")
    if not name.strip():
        raise f.error("name", "must not be empty")
    kw["name"] = name
    kw["experiment"] = f.text(raw, "experiment", "file", required=False, default=name)
    kw["stage"] = f.text(raw, "stage", "file", required=False, default="")
    kw["description"] = f.text(raw, "description", "file", required=False, default="")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        raise f.error("aliases", "must be a list of names")
    kw["aliases"] = tuple(aliases)

    target = f.table(raw, "target")
    f.keys(target, SECTION_KEYS["target"], "target")
    if ("material" in target) == ("composition" in target):
        raise f.error("target", "give exactly one of material or composition")
    if "material" in target:
        kw["material"] = f.text(target, "material", "target")
    else:
        comp = target["composition"]
        if not isinstance(comp, dict) or not comp:
            raise f.error("target.composition", "must be a table of mass fractions such as { Ge = 0.9, Si = 0.1 }")
        kw["material"] = tuple((k, f.number(comp, k, "target.composition")) for k in comp)
    kw["mass_kg"] = f.number(target, "mass_kg", "target")

    kind = _source(f, f.table(raw, "source"), kw)

    exposure = f.table(raw, "exposure")
    f.keys(exposure, SECTION_KEYS["exposure"], "exposure")
    if kind == "sns" and "pot" in exposure:
        if len(exposure) != 1:
            raise f.error("exposure", "give pot alone for the SNS (protons on target)")
        kw["n_pot"] = f.number(exposure, "pot", "exposure")
    else:
        if "pot" in exposure:
            raise f.error("exposure.pot", "protons on target only apply to an SNS source")
        try:
            kw["exposure_s"] = exposure_seconds(*(f.number(exposure, k, "exposure", required=False)
                                                  for k in ("days", "years", "seconds")), where="exposure")
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None

    resp = f.table(raw, "response")
    f.keys(resp, SECTION_KEYS["response"], "response")
    kw["threshold_keV"] = f.number(resp, "threshold_keV", "response", allow_zero=True)
    kw["threshold_kind"] = f.text(resp, "threshold_kind", "response",
                                  allowed=THRESHOLD_KINDS + tuple(THRESHOLD_ALIASES), required=False, default="nr")
    if "quenching" in resp:
        kw["quenching"] = _quenching(f, resp["quenching"])
    if "efficiency" in resp:
        kw["efficiency"] = _efficiency(f, resp["efficiency"])
    if "resolution" in resp:
        kw["resolution"] = _resolution(f, resp["resolution"])

    analysis = f.table(raw, "analysis", required=False)
    f.keys(analysis, SECTION_KEYS["analysis"], "analysis")
    from .experiment import STATISTICS

    if "statistic" in analysis:
        kw["statistic"] = f.text(analysis, "statistic", "analysis", allowed=STATISTICS)
    if "sigma_alpha" in analysis:
        kw["sigma_alpha"] = f.number(analysis, "sigma_alpha", "analysis", allow_zero=True)

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
        return Experiment(**kw)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{path}: {exc}") from None
