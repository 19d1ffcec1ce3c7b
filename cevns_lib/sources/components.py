"""Flux components: one vocabulary for the incident neutrinos of every source.

A :class:`Component` has a name, a species ("nu_e", "nu_mu_bar", ...), a time window ("prompt" or
"delayed" at the SNS, "steady" otherwise) and, for the Sun, optionally the mass state (1, 2, 3) in which it
arrives: a solar nu_e leaves the Sun as an incoherent mixture of mass states, and the transition moments
|Lambda_i| couple to each mass state separately (a mass-state component keeps the species it was produced as,
"nu_e"). The SNS has three (:data:`SNS_COMPONENTS`: "nu_mu_prompt", "nu_e",
"nu_mu_bar"), a reactor one ("nu_e_bar"), a tabulated source one, named by its species. Selections of
components (:func:`select`): "all" (aliases "full" and "reactor"), "prompt", "delayed", "e-flavour",
"mu-flavour", "tau-flavour", or a tuple of component names.
"""

from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["SPECIES", "Component", "SNS_COMPONENTS", "REACTOR_COMPONENTS", "SELECTIONS", "SELECTION_ALIASES",
           "DEFAULT_SELECTION", "select"]


SPECIES = ("nu_e", "nu_mu", "nu_tau", "nu_e_bar", "nu_mu_bar", "nu_tau_bar")


@dataclass(frozen=True)
class Component:
    """One incident neutrino component: ``name``, ``species`` (one of :data:`SPECIES`), time ``window`` and
    ``mass_state`` (1, 2 or 3 for a neutrino arriving in that mass state; None for a flavour component)."""

    name: str
    species: str
    window: str = "steady"
    mass_state: int | None = None

    def __post_init__(self):
        if self.species not in SPECIES:
            raise ValueError(f"unknown neutrino species {self.species!r}; allowed: {', '.join(SPECIES)}")
        if self.window not in ("prompt", "delayed", "steady"):
            raise ValueError(f"unknown time window {self.window!r}; allowed: prompt, delayed, steady")
        if self.mass_state is not None and (isinstance(self.mass_state, bool) or self.mass_state not in (1, 2, 3)):
            raise ValueError(f"mass_state must be 1, 2, 3 or None, got {self.mass_state!r}")

    @property
    def flavour(self):
        """"e", "mu" or "tau"."""
        return self.species.split("_")[1]

    @property
    def antineutrino(self):
        return self.species.endswith("_bar")


#: The SNS components: the prompt nu_mu line and the delayed nu_e and anti-nu_mu of muon decay.
SNS_COMPONENTS = (Component("nu_mu_prompt", "nu_mu", "prompt"), Component("nu_e", "nu_e", "delayed"),
                  Component("nu_mu_bar", "nu_mu_bar", "delayed"))


#: The reactor component.
REACTOR_COMPONENTS = (Component("nu_e_bar", "nu_e_bar", "steady"),)


#: Named selections of components (aliases: "full" and "reactor" mean "all").
SELECTIONS = ("all", "prompt", "delayed", "e-flavour", "mu-flavour", "tau-flavour")


SELECTION_ALIASES = MappingProxyType({"full": "all", "reactor": "all"})
#: The selection every analysis uses unless told otherwise: every incident component of the source.
DEFAULT_SELECTION = "all"


def select(components, selection="all"):
    """The components (a tuple) picked by a selection: a name of :data:`SELECTIONS` (or an alias) or a
    tuple of component names. Raises if the selection is unknown or picks nothing."""
    comps = tuple(components)
    if isinstance(selection, str):
        sel = SELECTION_ALIASES.get(selection, selection)
        if sel == "all":
            out = comps
        elif sel in ("prompt", "delayed"):
            out = tuple(c for c in comps if c.window == sel)
        elif sel.endswith("-flavour") and sel in SELECTIONS:
            out = tuple(c for c in comps if c.flavour == sel.split("-")[0])
        else:
            raise ValueError(f"unknown beam selection {selection!r}; allowed: {', '.join(SELECTIONS)} "
                             f"(aliases: full, reactor) or a tuple of component names")
    else:
        names = tuple(selection)
        known = {c.name: c for c in comps}
        bad = [n for n in names if n not in known]
        if bad or not names:
            raise ValueError(f"unknown component(s) {bad or names!r}; this source has {', '.join(known)}")
        out = tuple(known[n] for n in names)
    if not out:
        raise ValueError(f"beam selection {selection!r} picks none of the components {[c.name for c in comps]}")
    return out
