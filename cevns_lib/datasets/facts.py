"""What the released data sets share: the facts their files do not hold, the published results, the analysis
settings (each release's ``parameters.toml``), read into frozen records.

Every fact and published number carries a provenance tag (V: read in the release or the paper; V2: a secondary
source; I: not verified; D: derived from the files) and its source.
"""

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from ..data import DataFormatError

__all__ = ["Fact", "Published", "ReleaseParameters", "number", "freeze", "parse_parameters"]


@dataclass(frozen=True)
class Fact:
    """A number about a dataset that its files do not hold: value, unit, tag (V, V2, I) and source."""

    name: str
    value: object
    unit: str
    tag: str
    source: str


@dataclass(frozen=True)
class Published:
    """A published result: value, lower and upper errors, unit, tag and source."""

    name: str
    value: float
    err_low: float
    err_high: float
    unit: str
    tag: str
    source: str


@dataclass(frozen=True)
class ReleaseParameters:
    """Contents of ``parameters.toml``: ``facts``, ``published`` and ``analysis`` (read-only mappings)."""

    release: str
    facts: MappingProxyType
    published: MappingProxyType
    analysis: MappingProxyType

    def fact(self, name):
        """Value of a fact, by name (ValueError listing the known names otherwise)."""
        if name not in self.facts:
            raise ValueError(f"{self.release}: unknown fact {name!r}; known: {', '.join(self.facts)}")
        return self.facts[name].value

    def setting(self, name):
        """Value of an analysis setting, by name."""
        if name not in self.analysis:
            raise ValueError(f"{self.release}: unknown analysis setting {name!r}; known: {', '.join(self.analysis)}")
        return self.analysis[name]


def number(v, where):
    """A finite number from a parameters file, or a DataFormatError naming ``where``."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v):
        raise DataFormatError(f"{where}: expected a finite number, got {v!r}")
    return float(v)


def freeze(v):
    """A parsed TOML value made read-only (lists as tuples, tables as read-only mappings)."""
    if isinstance(v, list):
        return tuple(freeze(x) for x in v)
    if isinstance(v, dict):
        return MappingProxyType({k: freeze(x) for k, x in v.items()})
    return v


def parse_parameters(raw, path, release, tags):
    """The :class:`ReleaseParameters` of a parsed ``parameters.toml`` (``raw``, read from ``path``): [fact.NAME]
    entries with value, unit, tag, source; [published.NAME] with value, err_low, err_high, unit, tag, source;
    [analysis] settings. ``tags``: the provenance tags the release allows. A DataFormatError names the entry."""
    extra = set(raw) - {"fact", "published", "analysis"}
    if extra:
        raise DataFormatError(f"{path}: unknown tables {sorted(extra)}")
    facts = {}
    for name, entry in raw.get("fact", {}).items():
        where = f"{path} [fact.{name}]"
        if set(entry) != {"value", "unit", "tag", "source"}:
            raise DataFormatError(f"{where}: needs exactly the keys value, unit, tag, source")
        if entry["tag"] not in tags:
            raise DataFormatError(f"{where}: tag must be one of {tags}, got {entry['tag']!r}")
        value = entry["value"]
        value = tuple(number(x, where) for x in value) if isinstance(value, list) else number(value, where)
        facts[name] = Fact(name, value, entry["unit"], entry["tag"], entry["source"])
    published = {}
    keys = {"value", "err_low", "err_high", "unit", "tag", "source"}
    for name, entry in raw.get("published", {}).items():
        where = f"{path} [published.{name}]"
        if set(entry) != keys:
            raise DataFormatError(f"{where}: needs exactly the keys {sorted(keys)}")
        if entry["tag"] not in tags:
            raise DataFormatError(f"{where}: tag must be one of {tags}, got {entry['tag']!r}")
        published[name] = Published(name, number(entry["value"], where), number(entry["err_low"], where),
                                    number(entry["err_high"], where), entry["unit"], entry["tag"], entry["source"])
    analysis = {k: freeze(v) for k, v in raw.get("analysis", {}).items()}
    return ReleaseParameters(release, MappingProxyType(facts), MappingProxyType(published), MappingProxyType(analysis))
