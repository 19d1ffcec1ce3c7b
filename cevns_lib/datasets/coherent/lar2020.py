"""COHERENT CENNS-10 liquid argon, Analysis A (arXiv:2003.10630; release arXiv:2006.12659): the 3-D likelihood.

The release gives the beam-on data and the CEvNS, prompt and delayed beam-related-neutron (BRN) and
steady-state (SS) PDFs in 12 x 8 x 10 bins of reconstructed energy (0-120 keVee), F90 (0.5-0.9) and trigger
time (-0.1-4.9 us), each normalised to its predicted number of events; +-1 sigma shape variations
(``SystErrors/``); the efficiency in keVee; and a YAML with the exposure, the quenching, the resolution, the
proton-pulse timing and the predicted and best-fit normalisations with their uncertainties.

Rate fit (reproduces the release's best fit, choice D6): Poisson in the 960 bins with the release's CEvNS PDF
scaled freely and Gaussian priors on the BRN and SS normalisations (YAML prediction uncertainties). The
release's own way to its systematic errors, refits with the alternative PDFs of ``SystErrors/``, is
:func:`systematic_fits`; :func:`release_rate_model` with ``systematics=True`` profiles them instead.

Our prediction (for the electromagnetic fits, choices D6-D8): the engine's recoil spectrum, quenched with
QF = a + b T, smeared with sigma = 0.58 sqrt(E_ee), times the efficiency, in the 12 energy bins; the F90
distribution in each energy bin taken from the release's CEvNS PDF; the time distribution of each component
from the decay-at-rest timing with the YAML's proton pulse (440 ns, 150 ns). Shape nuisances: CEvNS F90
(+-1 sigma PDFs), pulse mean (+-200 ns), BRN energy and timing mean (+-1 sigma PDFs) and BRN timing width.
"""

from functools import lru_cache
from types import MappingProxyType

import numpy as np
from scipy.stats import norm

from ...physics.model import DEFAULT_PHYSICS
from ...sources.sns import sns_fluence
from ...statistics.likelihood import Background, Model, SignalShape, rate_model
from . import prediction, timing
from .dataset import Dataset
from .releases import read_table, release_parameters, yaml_parameter, yaml_value

__all__ = [
    "NAME", "RELEASE", "YAML", "E_EDGES", "F90_EDGES", "T_EDGES_US", "SHAPE", "PDFS", "SYSTEMATICS", "grid",
    "PROJECTIONS", "release_projection", "efficiency", "quenching", "energy_response", "f90_given_energy", "pulse",
    "release_backgrounds", "engine_basis", "release_rate_model", "systematic_fits", "build"
]


NAME = "coherent-lar-2020"


RELEASE = "lar2020"


YAML = "Data/LArParametersAnlA.yaml"


E_EDGES = np.arange(0.0, 121.0, 10.0)


F90_EDGES = np.round(np.arange(0.5, 0.901, 0.05), 3)


T_EDGES_US = np.round(np.arange(-0.1, 4.91, 0.5), 3)


SHAPE = (12, 8, 10)


#: Release PDFs and their normalisation entries in the YAML (prediction).
PDFS = {"cevns": ("cevnspdf.txt", "cevnsPredictionNormalization"),
        "brn_prompt": ("brnpdf.txt", "promptBeamRelatedNeutronPredictionNormalization"),
        "brn_delayed": ("delbrnpdf.txt", "delayedBeamRelatedNeutronPredictionNormalization"),
        "steady_state": ("bkgpdf.txt", "ssBackgroundPredictionNormalization")}


#: Release systematic PDFs (SystErrors/): nuisance -> (component, +1 sigma file, -1 sigma file or None).
SYSTEMATICS = {"cevns_f90": ("cevns", "cevnspdf+1sigF90.txt", "cevnspdf-1sigF90.txt"),
               "cevns_timing_mean": ("cevns", "cevnspdfCEvNSTimingMeanSyst.txt", None),
               "brn_energy": ("brn_prompt", "brnpdf+1sigEnergy.txt", "brnpdf-1sigEnergy.txt"),
               "brn_timing_mean": ("brn_prompt", "brnpdf+1sigBRNTimingMean.txt", "brnpdf-1sigBRNTimingMean.txt"),
               "brn_timing_width": ("brn_prompt", "brnpdfBRNTimingWidthSyst.txt", None)}


def grid(relpath):
    """A released 3-D array (energy, F90, time) from ``Data/<relpath>``, with its binning checked."""
    a = read_table(RELEASE, f"Data/{relpath}", 4)
    c = [0.5 * (e[1:] + e[:-1]) for e in (E_EDGES, F90_EDGES, T_EDGES_US)]
    expected = np.stack(np.meshgrid(*c, indexing="ij"), axis=-1).reshape(-1, 3)
    if a.shape[0] != expected.shape[0] or not np.allclose(a[:, :3], expected, atol=1e-6):
        raise ValueError(f"Data/{relpath}: unexpected binning (expected 12 x 8 x 10 bins, energy-major)")
    if np.any(a[:, 3] < 0):
        raise ValueError(f"Data/{relpath}: negative entries")
    return a[:, 3].reshape(SHAPE)


PROJECTIONS = {"energy_keVee": "energydata1d.txt", "f90": "f90data1d.txt", "t_us": "timingdata1d.txt"}


def release_projection(axis):
    """The release's 1-D projection (``Data/OneDProjections/``) on "energy_keVee", "f90" or "t_us": array of rows
    (bin centre, SS-subtracted data, its error, CEvNS, BRN, CEvNS + BRN, systematic low, systematic high)."""
    if axis not in PROJECTIONS:
        raise ValueError(f"unknown axis {axis!r}; allowed: {', '.join(PROJECTIONS)}")
    return read_table(RELEASE, f"Data/OneDProjections/{PROJECTIONS[axis]}", 8, skiprows=1)


def efficiency(e_keVee):
    """Release efficiency at reconstructed energy (keVee); flat beyond the table, as the release prescribes."""
    tab = read_table(RELEASE, "Data/CENNS10AnlAEfficiency.txt", 3)
    return np.interp(np.asarray(e_keVee, dtype=float), tab[:, 0], tab[:, 2])


def quenching(T_keV):
    """QF = a + b T (T in keVnr), YAML central values."""
    a = yaml_parameter(RELEASE, YAML, "larQF", "a")
    b = yaml_parameter(RELEASE, YAML, "larQF", "b")
    return a + b * np.asarray(T_keV, dtype=float)


def energy_response(T_keV, iso=None, step=0.25):
    """Probability that a recoil T (keVnr) is reconstructed and accepted in each of the 12 energy bins."""
    T = np.asarray(T_keV, dtype=float)
    e_ee = quenching(T) * T
    a = yaml_parameter(RELEASE, YAML, "energyResolution", "a")
    sigma = a * np.sqrt(e_ee)
    fine = np.arange(E_EDGES[0], E_EDGES[-1] + step / 2, step)
    P = np.diff(norm.cdf(fine[None, :], e_ee[:, None], sigma[:, None]), axis=1)
    P = P * efficiency(0.5 * (fine[1:] + fine[:-1]))[None, :]
    per = int(round((E_EDGES[1] - E_EDGES[0]) / step))
    return P.reshape(T.size, E_EDGES.size - 1, per).sum(axis=2)


def f90_given_energy(cevns_pdf, min_events):
    """F90 distribution in each energy bin (rows sum to 1) from a CEvNS PDF; bins with fewer than ``min_events``
    CEvNS events borrow the distribution of the last bin above (choice D7)."""
    ef = cevns_pdf.sum(axis=2)
    out = np.zeros_like(ef)
    last = None
    for i in range(ef.shape[0]):
        if ef[i].sum() >= min_events:
            last = ef[i] / ef[i].sum()
        if last is None:
            raise ValueError("the first energy bin of the CEvNS PDF has too few events for an F90 shape")
        out[i] = last
    return out


def pulse():
    """(mean, uncertainty, width) of the proton pulse in us, from the YAML."""
    mean = yaml_parameter(RELEASE, YAML, "snsPOTTraceTiming", "a") * 1e-3
    err = yaml_parameter(RELEASE, YAML, "snsPOTTraceTiming", "a", "uncertainty") * 1e-3
    width = yaml_parameter(RELEASE, YAML, "snsPOTTraceTiming", "b") * 1e-3
    return mean, err, width


def _prior(key):
    return yaml_value(RELEASE, YAML, key, "uncertainty") / yaml_value(RELEASE, YAML, key)


def release_backgrounds(systematics=True):
    """Prompt BRN, delayed BRN and steady state as :class:`~.likelihood.Background` (YAML priors)."""
    out = []
    for name in ("brn_prompt", "brn_delayed", "steady_state"):
        fname, key = PDFS[name]
        nominal = grid(fname)
        shapes = []
        if systematics:
            for nuis, (comp, up, down) in SYSTEMATICS.items():
                if comp == name:
                    d_up = (grid(f"SystErrors/{up}") - nominal).ravel()
                    d_dn = None if down is None else (grid(f"SystErrors/{down}") - nominal).ravel()
                    shapes.append((nuis, d_up, d_dn))
        out.append(Background(name, nominal.ravel(), "gauss", _prior(key), shapes=tuple(shapes)))
    return tuple(out)


def engine_basis(t0_us=None, physics=DEFAULT_PHYSICS):
    """Our CEvNS prediction in the 960 bins: {(component, term): array}, and the energy counts per component."""
    par = release_parameters(RELEASE)
    n_pot = yaml_value(RELEASE, YAML, "beamExposure") * 1e22
    fluence = sns_fluence(n_pot, yaml_value(RELEASE, YAML, "distanceToTarget"),
                          yaml_value(RELEASE, YAML, "neutrinosPerProton"))
    rates = prediction.recoil_rates("Ar", yaml_value(RELEASE, YAML, "fiducialMass"), fluence, par.setting("t_min_keV"),
                                    physics=physics)
    e_counts = prediction.binned(rates, energy_response)
    f90 = f90_given_energy(grid("cevnspdf.txt"), par.setting("f90_min_events"))
    mean, _, width = pulse()
    p, d = timing.binned_time_pdfs(T_EDGES_US, mean if t0_us is None else t0_us, width)
    t_pdf = {"nu_mu_prompt": p, "nu_e": d, "nu_mu_bar": d}
    basis = {}
    for (f, k), v in e_counts.items():
        arr = (v[:, None, None] * f90[:, :, None] * t_pdf[f][None, None, :]).ravel()
        arr.flags.writeable = False
        basis[(f, k)] = arr
    return MappingProxyType(basis), e_counts


def release_rate_model(systematics=True):
    """The rate fit with the release's own PDFs: its CEvNS PDF (key ("total", "sm")), the backgrounds with the
    YAML priors and, with ``systematics``, every +-1 sigma PDF of ``SystErrors/`` as a shape nuisance (choice D6)."""
    data = grid("datanobkgsub.txt").ravel()
    cevns = grid("cevnspdf.txt")
    shapes = ()
    if systematics:
        for nuis, (comp, up, down) in SYSTEMATICS.items():
            if comp == "cevns":
                d_up = MappingProxyType({("total", "sm"): (grid(f"SystErrors/{up}") - cevns).ravel()})
                d_dn = None if down is None else MappingProxyType(
                    {("total", "sm"): (grid(f"SystErrors/{down}") - cevns).ravel()})
                shapes += (SignalShape(nuis, d_up, d_dn),)
    cevns = cevns.ravel()
    cevns.flags.writeable = False
    model = Model(NAME, data, MappingProxyType({("total", "sm"): cevns}), release_backgrounds(systematics),
                  signal_shapes=shapes)
    return rate_model(model)


def systematic_fits():
    """The release's way to its systematic errors: refits with each set of alternative PDFs of its Table 3
    (no shape nuisances). Returns {set name: fitted CEvNS events}, "nominal" first."""
    from ...statistics.likelihood import Likelihood
    from .parameters import get_parameter

    base = release_rate_model(systematics=False)
    sets = {"nominal": {}}
    for nuis, (comp, up, down) in SYSTEMATICS.items():
        for sign, f in (("+1", up), ("-1", down)):
            if f is not None:
                sets[f"{nuis} {sign}" if down is not None else nuis] = {comp: grid(f"SystErrors/{f}").ravel()}
    out = {}
    for name, repl in sets.items():
        basis = base.basis
        bkgs = base.backgrounds
        if "cevns" in repl:
            basis = MappingProxyType({("total", "sm"): repl["cevns"]})
        if "brn_prompt" in repl:
            bkgs = tuple(Background(b.name, repl["brn_prompt"], b.prior, b.sigma) if b.name == "brn_prompt" else b
                         for b in bkgs)
        from dataclasses import replace
        lik = Likelihood([replace(base, basis=basis, backgrounds=bkgs)], get_parameter("signal_strength"))
        best = lik.minimise()
        out[name] = float(lik.expected(best)[0][1].sum())
    return MappingProxyType(out)


def _f90_shape(basis, pdf_file):
    """Basis with the F90 distribution of another CEvNS PDF (same energy and time distributions)."""
    par = release_parameters(RELEASE)
    nominal = f90_given_energy(grid("cevnspdf.txt"), par.setting("f90_min_events"))
    alt = f90_given_energy(grid(f"SystErrors/{pdf_file}"), par.setting("f90_min_events"))
    ratio = np.divide(alt, nominal, out=np.ones_like(alt), where=nominal > 0)
    return MappingProxyType({k: (v.reshape(SHAPE) * ratio[:, :, None]).ravel() - v for k, v in basis.items()})


@lru_cache(maxsize=None)
def build(physics=DEFAULT_PHYSICS):
    """The LAr 2020 :class:`~.dataset.Dataset` (``physics``: the cross-section choices, choice D14)."""
    data = grid("datanobkgsub.txt").ravel()
    basis, e_counts = engine_basis(physics=physics)
    mean, err, _ = pulse()
    shift_up, _ = engine_basis(mean + err, physics)
    shift_dn, _ = engine_basis(mean - err, physics)
    shapes = (SignalShape("cevns_f90", _f90_shape(basis, SYSTEMATICS["cevns_f90"][1]),
                          _f90_shape(basis, SYSTEMATICS["cevns_f90"][2])),
              SignalShape("pulse_mean", MappingProxyType({k: shift_up[k] - v for k, v in basis.items()}),
                          MappingProxyType({k: shift_dn[k] - v for k, v in basis.items()})))
    backgrounds = release_backgrounds(systematics=True)
    model = Model(NAME, data, basis, backgrounds, signal_sigma=_prior("cevnsPredictionNormalization"),
                  signal_shapes=shapes)
    release_model = release_rate_model(systematics=False)
    release_cevns = release_model.basis[("total", "sm")]
    pub = dict(release_parameters(RELEASE).published)
    from .releases import Published
    src = "COHERENT LAr 2020 release, Data/LArParametersAnlA.yaml"
    for name, key, err in (("n_cevns", "cevnsBestfitNormalization", "uncertainty_stat"),
                           ("n_brn_prompt", "promptBeamRelatedNeutronBestfitNormalization", "uncertainty"),
                           ("n_brn_delayed", "delayedBeamRelatedNeutronBestfitNormalization", "uncertainty"),
                           ("n_steady_state", "ssBackgroundBestfitNormalization", "uncertainty"),
                           ("n_predicted", "cevnsPredictionNormalization", "uncertainty")):
        e = yaml_value(RELEASE, YAML, key, err)
        pub[name] = Published(name, yaml_value(RELEASE, YAML, key), e, e, "events", "V", src)
    n_pred = float(sum(v.sum() for (f, k), v in basis.items() if k == "sm"))
    info = {"release_cevns_sum": float(release_cevns.sum()), "data_sum": float(data.sum()),
            "template_sums": MappingProxyType({n: float(grid(f).sum()) for n, (f, _) in PDFS.items()}),
            "energy_counts": e_counts, "pulse_mean_us": mean}
    return Dataset(NAME, RELEASE, model, release_model, n_pred,
                   MappingProxyType({"energy_keVee": E_EDGES, "f90": F90_EDGES, "t_us": T_EDGES_US}), SHAPE,
                   MappingProxyType(pub), MappingProxyType(info))
