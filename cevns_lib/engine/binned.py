"""Event numbers per energy bin, per incident component and per term, integrated once (the binned engine).

The same integral as :func:`cevns_lib.engine.event_yields` (eq. 33), with the detection probability of the
window replaced by that of each bin b,

    N_b = sum_components sum_isotopes K_x int dT eps(T) P_b(T) int dE lambda(E) dsigma/dT(E, T),

where P_b(T) is the probability that a recoil of T_N is measured in bin b: a sharp window on T_N at the
bin edges (converted to nuclear recoil with the quenching model for an "ee" binning), or with a Gaussian
resolution the probability that the measured energy falls between the edges (choice E4). The recoil nodes
are those of the whole window with the bin edges as segment ends, so each term is folded with the spectrum
once and every bin reuses the same nodes. Bin edges are in the energy of the threshold (``threshold_kind``:
"nr" or "ee"), in keV.
"""

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from ..experiment.experiment import check_experiment
from ..physics.nuclei import number_of_nuclei
from ..validation import check_positive, frozen_copy
from .response import efficiency_at, recoil_range_keV, window_probability
from .yields import DIVERGENT_TERMS, N_E, N_T, TERMS, check_finite_terms, node_term_densities, recoil_nodes

__all__ = ["BinnedYields", "binned_yields", "bin_edges_nr_keV"]


@dataclass(frozen=True)
class BinnedYields:
    """Events per bin of one experiment (read-only arrays of length n_bins).

    ``edges_keV``: the bin edges (keV of ``energy``, "nr" or "ee"); ``terms[component][term]``: events of each
    term per unit parameter in every bin (the units of :class:`~cevns_lib.engine.EventYields`: "sm" events,
    "mag" per mu_B^2, "r2_*" per cm^2 and cm^4, "q_*" per e and e^2, "r2_q" per cm^2 e, tensor terms per unit
    coupling); the same for neutrinos and antineutrinos (choice E1).
    """

    experiment: object
    edges_keV: np.ndarray
    energy: str
    terms: MappingProxyType

    @property
    def components(self):
        return tuple(self.terms)

    @property
    def n_bins(self):
        return int(self.edges_keV.size - 1)

    @property
    def centres_keV(self):
        """Bin centres (keV)."""
        return frozen_copy(0.5 * (self.edges_keV[1:] + self.edges_keV[:-1]))

    @property
    def widths_keV(self):
        """Bin widths (keV)."""
        return frozen_copy(np.diff(self.edges_keV))

    def term(self, name, components=None):
        """A term per bin summed over components (all by default): a read-only array."""
        if name not in TERMS:
            raise ValueError(f"unknown term {name!r}; allowed: {', '.join(TERMS)}")
        comps = self.components if components is None else tuple(components)
        bad = [c for c in comps if c not in self.terms]
        if bad:
            raise ValueError(f"unknown component(s) {bad}; this experiment has {', '.join(self.components)}")
        total = sum(self.terms[c][name] for c in comps)
        check_finite_terms(self.experiment.label, {name: total})
        return frozen_copy(total)

    @property
    def n_sm(self):
        """Standard-Model events per bin, all components."""
        return self.term("sm")


def bin_edges_nr_keV(experiment, iso, edges_keV):
    """Bin edges (keV of the threshold's energy) as nuclear-recoil energies (keVnr) on ``iso``."""
    from ..detector.quenching import threshold_nr_keV

    return tuple(threshold_nr_keV(e, experiment.threshold_kind, iso.Z, iso.A, experiment.quenching, iso)
                 for e in edges_keV)


def _bins(experiment, edges_keV):
    if edges_keV is None:
        edges = experiment.bins_keV
        if not edges:
            if experiment.upper_keV is None:
                raise ValueError(f"{experiment.label}: give bin edges (bin_edges_keV), or an upper_keV for one bin")
            edges = (experiment.threshold_keV, experiment.upper_keV)
    else:
        edges = edges_keV
    edges = np.asarray(edges, dtype=float)
    if edges.ndim != 1 or edges.size < 2 or not np.all(np.isfinite(edges)) or np.any(np.diff(edges) <= 0) \
            or edges[0] < 0:
        raise ValueError(f"bin edges must be at least two increasing energies >= 0 (keV), got {edges_keV!r}")
    if experiment.threshold_kind == "ee_approx":
        raise ValueError(f"{experiment.label}: binning needs threshold_kind 'nr' or 'ee' (not 'ee_approx')")
    return tuple(float(e) for e in edges)


@lru_cache(maxsize=128)
def _binned(experiment, edges, n_t, n_e):
    physics = experiment.physics
    # the window of the bins: from the first edge to the last (the engine's recoil range of that window)
    window = dataclasses.replace(experiment, threshold_keV=edges[0], upper_keV=edges[-1], bin_edges_keV=(),
                                 statistic="counting", backgrounds=(), off_exposure_s=None, data_counts=None,
                                 data_off_counts=None, sigma_signal=None, quenching_variations=())
    comps = {c.name: c for c in experiment.components}
    out = {f: {k: np.zeros(len(edges) - 1) for k in TERMS} for f in comps}
    for iso, n_x in number_of_nuclei(experiment.material, experiment.mass_kg):
        nr_edges = bin_edges_nr_keV(experiment, iso, edges)
        for f in comps:
            spectrum = experiment.spectrum_of(f)
            lo, hi, inner = recoil_range_keV(window, iso, spectrum)
            if lo >= hi:
                continue
            T, w = recoil_nodes(lo, hi, tuple(inner) + nr_edges, n_t)
            w = w * efficiency_at(experiment, T, iso)
            dens = node_term_densities(T, iso, spectrum, physics, n_e)
            k_x = n_x * experiment.component_fluence_cm2(f)
            for b in range(len(edges) - 1):
                wb = w * window_probability(experiment, T, iso, edges[b], edges[b + 1])
                zero = lo <= 0 and wb[0] > 0
                for name, v in dens.items():
                    out[f][name][b] += np.inf if zero and name in DIVERGENT_TERMS else k_x * float(np.sum(wb * v))
    terms = MappingProxyType({f: MappingProxyType({k: frozen_copy(v) for k, v in t.items()}) for f, t in out.items()})
    energy = "nr" if experiment.threshold_kind == "nr" else "ee"
    return BinnedYields(experiment=experiment, edges_keV=frozen_copy(edges), energy=energy, terms=terms)


def binned_yields(experiment, edges_keV=None, n_t=N_T, n_e=N_E):
    """:class:`BinnedYields` of an experiment: events per bin, component and term, computed once (cached).

    ``edges_keV``: bin edges in the threshold's energy (keV, "nr" or "ee" as ``threshold_kind``); default the
    experiment's bins (``bin_edges_keV``, or one bin from the threshold to ``upper_keV``). ``n_t``, ``n_e``:
    Gauss-Legendre nodes per segment in ln T_N and in E_nu (as :func:`~cevns_lib.engine.event_yields`).
    """
    check_experiment(experiment)
    check_positive(n_t, "n_t")
    check_positive(n_e, "n_e")
    return _binned(experiment, _bins(experiment, edges_keV), int(n_t), int(n_e))


binned_yields.cache_clear = _binned.cache_clear
