"""The statements of the proceedings, tested with this project's inputs: one record per statement.

The proceedings' numbers are not available, so the tensor chapters test what the proceedings *state* (their
qualitative conclusions about the SNS detectors, the form factors and the induced moments). :func:`claims`
evaluates each statement with the library and returns the verdict and the numbers behind it, in the order of the
chapter "Tensor NSI: sensitivities, claims and magnetic moments", which shows them as one table.

Only the proceedings' own statements are here. The library's consistency checks (closed-form limits against a
root finder, the scaling laws, the Standard-Model limit of eq. 1.4) are tests (tests/test_tensor_nsi.py).

Each record carries its numbers as (label, value, significant digits) items, formatted by the book
(:func:`cevns_lib.presentation.formatting.fmt_items`); labels and statements are text with inline TeX.
"""

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from ...constants import RED_GIANT_MU_LIMIT_MUB
from .cross_sections import QUARKS, CrossSectionModel, degeneracy_slope
from .events import beam_events, sns_setup, sns_setups
from .limits import DCHI2_2D, band_half_width, epsilon_limit, is_closed, region_boundary, table_records

__all__ = ["HOLDS", "PARTLY", "FAILS", "Claim", "claims", "F1_BAND", "PAIRS"]

HOLDS, PARTLY, FAILS = "holds", "holds in part", "does not hold with our inputs"

#: "About 20% in most cases" (choice N13): the median |change| over the 16 target-beam-quark cases lies in 10-30%.
F1_BAND = (0.10, 0.30)

#: The target pairs combined in the two-coupling regions (nu_e beam).
PAIRS = (("20Ne", "132Xe"), ("20Ne", "76Ge"), ("20Ne", "40Ar"), ("76Ge", "132Xe"))

_BEAM_TEX = {"nu_e": r"$\nu_e$", "nu_mu": r"$\nu_\mu+\bar\nu_\mu$"}
_NUCLIDE = MappingProxyType({"20Ne": "²⁰Ne", "40Ar": "⁴⁰Ar", "76Ge": "⁷⁶Ge", "132Xe": "¹³²Xe"})


@dataclass(frozen=True)
class Claim:
    """One statement of the proceedings and what we find.

    key: a short name ("best-target", ...); statement: the proceedings' statement (text with inline TeX);
    verdict: HOLDS, PARTLY or FAILS; finding: our reading and result in words; numbers: the numbers behind it, a
    tuple of (label, value, significant digits), value a float or a text.
    """

    key: str
    statement: str
    verdict: str
    finding: str
    numbers: tuple

    @property
    def holds(self):
        """True when the statement holds fully with our inputs."""
        return self.verdict == HOLDS


def _eps(events, quark, level=None):
    return epsilon_limit(events, quark) if level is None else epsilon_limit(events, quark, level)


def claims():
    """The proceedings' statements about the SNS detectors, the form factors and the induced moments, each
    tested with the library's defaults (the register's choices N1-N20). Returns a tuple of :class:`Claim`."""
    setups = {s.target: s for s in sns_setups()}
    targets = tuple(setups)
    records = table_records()
    eps = {(r["target"], r["beam"], r["quark"]): r["epsilon_limit"] for r in records}
    cols = [(b, q) for b in ("nu_e", "nu_mu") for q in QUARKS]

    def col_label(b, q):
        return f"{_BEAM_TEX[b]}, ${q}$"

    def items(pairs, sig=4):
        return tuple((label, float(v), sig) for label, v in pairs)

    def per_column(title, values):
        """One item per column of the Table-1-shaped result, the quantity named once."""
        return items((f"{title}: {col_label(b, q)}" if k == 0 else col_label(b, q), v)
                     for k, ((b, q), v) in enumerate(zip(cols, values)))

    out = []
    best = {c: min(targets, key=lambda t: eps[(t, *c)]) for c in cols}
    out.append(Claim(
        "best-target", "⁷⁶Ge gives the best prospects",
        HOLDS if all(v == "76Ge" for v in best.values()) else FAILS,
        "⁷⁶Ge gives the tightest limit on both couplings with both beams",
        tuple((f"{col_label(b, q)}: {_NUCLIDE[best[b, q]]}", float(eps[(best[b, q], b, q)]), 4) for b, q in cols)))

    xe20 = sns_setup("132Xe", baseline_m=20.0)
    ratios20 = [_eps(beam_events(xe20, b), q) / eps[("20Ne", b, q)] for b, q in cols]
    out.append(Claim(
        "heavier-is-better", "heavier targets would do better in principle",
        HOLDS if all(r < 1 for r in ratios20) else FAILS,
        "at the same 20 m, ¹³²Xe would beat ²⁰Ne in every column",
        per_column(r"$\epsilon$(¹³²Xe, 20 m)/$\epsilon$(²⁰Ne)", ratios20)))

    ratios = [eps[("20Ne", b, q)] / eps[("132Xe", b, q)] for b, q in cols]
    out.append(Claim(
        "distance", "but the distance matters: ²⁰Ne at 20 m beats ¹³²Xe at 40 m",
        HOLDS if all(r < 1 for r in ratios) else FAILS,
        "²⁰Ne at 20 m gives tighter limits than ¹³²Xe at 40 m in every column",
        per_column(r"$\epsilon$(²⁰Ne)/$\epsilon$(¹³²Xe)", ratios)))

    mu_vs_e = [eps[(t, "nu_mu", q)] / eps[(t, "nu_e", q)] for t in targets for q in QUARKS]
    out.append(Claim(
        "mu-beam", r"the $\nu_\mu+\bar\nu_\mu$ beam ($\alpha = \mu$) constrains more tightly than the $\nu_e$ beam "
                   r"($\alpha = e$)",
        HOLDS if all(r < 1 for r in mu_vs_e) else FAILS,
        r"tighter for every target and coupling: it has about twice the events, and $\epsilon_{90} \propto N^{-1/4}$",
        items(((r"$\epsilon$($\mu$ beam)/$\epsilon$($\nu_e$ beam), smallest", min(mu_vs_e)),
               ("largest", max(mu_vs_e))))))

    ge = setups["76Ge"]
    prompt, delayed = beam_events(ge, "prompt"), beam_events(ge, "nu_e")
    band = {cl: band_half_width(delayed, "u", lev) / band_half_width(prompt, "u", lev) for cl, lev in DCHI2_2D.items()}
    every = all(band_half_width(beam_events(s, "nu_e"), "u") < band_half_width(beam_events(s, "prompt"), "u")
                for s in setups.values())
    more = {t: (beam_events(s, "nu_e").n_sm, beam_events(s, "prompt").n_sm) for t, s in setups.items()}
    narrower = all(r < 1 for r in band.values())
    out.append(Claim(
        "delayed-region", "the delayed beam gives the most restricted region, because it yields more events",
        HOLDS if narrower and every and all(d > p for d, p in more.values()) else FAILS,
        "narrower bands than the prompt beam for every target (at 68, 90 and 99% C.L. for ⁷⁶Ge), by only a few per "
        "cent, and more events",
        (("⁷⁶Ge: bands narrower (%)", float(100 * (1 - band[90])), 3),)
        + tuple(item for t, (d, p) in more.items() for item in (
            (rf"{_NUCLIDE[t]}: $N_{{\rm SM}}$ delayed", float(d), 4), ("prompt", float(p), 4),
            ("more (%)", float(100 * (d / p - 1)), 3)))))

    single = [is_closed(beam_events(s, "nu_e")) for s in setups.values()]
    closed, widths = [], []
    for a, b in PAIRS:
        pair = [beam_events(setups[a], "nu_e"), beam_events(setups[b], "nu_e")]
        closed.append(is_closed(pair))
        u, _ = region_boundary(pair, DCHI2_2D[90], n_theta=20001)
        widths.append(float(np.max(np.abs(u))))
    one_band = epsilon_limit(beam_events(setups["20Ne"], "nu_e"), "u", DCHI2_2D[90])
    k_spread = max(degeneracy_slope(t) for t in targets) / min(degeneracy_slope(t) for t in targets) - 1
    out.append(Claim(
        "two-targets", "constraining both couplings needs two targets with different $k = (A+N)/(A+Z)$",
        HOLDS if not any(single) and all(closed) else FAILS,
        "one target leaves an open band; every pair of targets closes the region",
        (("closed regions, single targets", f"{sum(single)} of {len(single)}", 0),
         ("pairs", f"{sum(closed)} of {len(closed)}", 0),
         ("width of the closed ²⁰Ne + ¹³²Xe region / one band", float(widths[0] / one_band), 2),
         ("largest difference of $k$ (%)", float(100 * k_spread), 2))))

    none = CrossSectionModel(form_factor="none")
    changes = {"n_sm": [], "eps": []}
    for s in setups.values():
        for beam in ("nu_e", "nu_mu"):
            h, f1 = beam_events(s, beam), beam_events(s, beam, none)
            for q in QUARKS:
                changes["n_sm"].append(abs(f1.n_sm / h.n_sm - 1))
                changes["eps"].append(abs(epsilon_limit(f1, q) / epsilon_limit(h, q) - 1))
    lo, hi = F1_BAND
    events_ok = lo <= float(np.median(changes["n_sm"])) <= hi
    limits_ok = lo <= float(np.median(changes["eps"])) <= hi
    out.append(Claim(
        "form-factor", "replacing the form factors by $F = 1$ changes the results by about 20% in most cases",
        HOLDS if events_ok and limits_ok else PARTLY if events_ok or limits_ok else FAILS,
        "true of the event numbers, not of the limits: $N_{\\rm SM}$ and $N_T(1)$ move together and "
        r"$\epsilon_{90} \propto N_{\rm SM}^{1/4}/N_T(1)^{1/2}$",
        ((r"$N_{\rm SM}$, median change (%)", float(100 * np.median(changes["n_sm"])), 3),
         (r"$\epsilon_{90}$ and $\mu_{90}$, smallest change (%)", float(100 * min(changes["eps"])), 2),
         ("largest (%)", float(100 * max(changes["eps"])), 2))))

    mus = [r["magnetic_moment_muB"] for r in records]
    lo_r, hi_r = min(mus) / RED_GIANT_MU_LIMIT_MUB, max(mus) / RED_GIANT_MU_LIMIT_MUB
    out.append(Claim(
        "astrophysics", "the induced moments are of the same order of magnitude as the astrophysical limits",
        HOLDS if 0.1 < lo_r and hi_r < 10 else FAILS,
        "within a factor of 10 of the red-giant bound (eq. 1.7 with the defaults of choices N1-N3)",
        ((r"$\mu_{90}$ / red-giant bound, smallest", float(lo_r), 4), ("largest", float(hi_r), 4))))
    return tuple(out)
