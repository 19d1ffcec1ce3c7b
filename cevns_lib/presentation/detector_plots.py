"""Figures of a detector's analysis: its spectrum per bin, a profile, a two-parameter region (matplotlib).

Each function draws on the axes it is given and computes no physics: the records come from
:func:`cevns_lib.statistics.binned_spectrum`, :func:`~cevns_lib.statistics.parameter_profile` and
:func:`~cevns_lib.statistics.parameter_region`.
"""

import numpy as np

__all__ = ["ENERGY_LABEL", "PARAMETER_LABELS", "parameter_label", "plot_spectrum", "plot_profile", "plot_region"]


#: Axis label of a bin energy ("nr" or "ee").
ENERGY_LABEL = {"nr": r"nuclear recoil energy $T_N$ (keV)", "ee": r"electron-equivalent energy $E_{ee}$ (keV)"}


#: TeX names of the parameters.
PARAMETER_LABELS = {"mu_nue": r"\mu_{\nu_e}", "mu_numu": r"\mu_{\nu_\mu}", "mu_nutau": r"\mu_{\nu_\tau}",
                    "mu_eff": r"\mu_{\rm eff}", "q_nue": r"q_{\nu_e}", "q_numu": r"q_{\nu_\mu}",
                    "q_nutau": r"q_{\nu_\tau}", "r2_nue": r"\langle r^2_{\nu_e}\rangle",
                    "r2_numu": r"\langle r^2_{\nu_\mu}\rangle", "r2_nutau": r"\langle r^2_{\nu_\tau}\rangle",
                    "Lambda1": r"|\Lambda_1|", "Lambda2": r"|\Lambda_2|", "Lambda3": r"|\Lambda_3|"}


_UNITS = {"1e-10 mu_B": r"$10^{-10}\,\mu_B$", "e": r"$e$", "cm^2": r"cm$^2$"}


def parameter_label(name, unit):
    """An axis label: the parameter in TeX with its unit."""
    return f"${PARAMETER_LABELS.get(name, name)}$ ({_UNITS.get(unit, unit)})"


def _steps(edges, values):
    return np.repeat(edges, 2)[1:-1], np.repeat(values, 2)


def plot_spectrum(ax, spectrum, example=None, per_keV=False):
    """Stacked events per bin of a :class:`~cevns_lib.statistics.Spectrum`: background, Standard Model and, with
    ``example`` = (parameter, value in its unit), its extra events; the data with Poisson error bars if any.
    ``per_keV``: events per keV instead of per bin."""
    edges = spectrum.edges_keV
    norm = np.diff(edges) if per_keV else np.ones(edges.size - 1)
    bkg = spectrum.n_background / norm
    sm = spectrum.n_sm / norm
    layers = [("background", bkg, "0.65"), ("Standard Model", sm, "C0")]
    if example is not None:
        name, value = example
        unit = spectrum.units[name]
        layers.append((f"${PARAMETER_LABELS.get(name, name)} = {value:.3g}$ {_UNITS.get(unit, unit)}",
                       spectrum.extra_events(name, value) / norm, "C3"))
    base = np.zeros_like(sm)
    for label, v, colour in layers:
        x, top = _steps(edges, base + v)
        _, bottom = _steps(edges, base)
        ax.fill_between(x, bottom, top, color=colour, alpha=0.8 if colour != "0.65" else 0.6, label=label, lw=0)
        base = base + v
    if spectrum.data is not None:
        centres = 0.5 * (edges[1:] + edges[:-1])
        ax.errorbar(centres, spectrum.data / norm, yerr=np.sqrt(spectrum.data) / norm, fmt="ko", ms=3, label="data")
    ax.set_xlabel(ENERGY_LABEL[spectrum.energy])
    ax.set_ylabel("events per keV" if per_keV else "events per bin")
    ax.set_xlim(edges[0], edges[-1])
    return ax


def plot_profile(ax, profile, label=None, **kw):
    """Delta chi^2 of a :class:`~cevns_lib.statistics.Profile` with its level as a dotted line."""
    ax.plot(profile.values, profile.delta_chi2, label=label or profile.experiment, **kw)
    ax.axhline(profile.level, color="0.4", ls=":", lw=1)
    ax.set_xlabel(parameter_label(profile.parameter, profile.unit))
    ax.set_ylabel(r"$\Delta\chi^2$")
    return ax


def plot_region(ax, region, label=None, color="C0", filled=True):
    """The allowed region of a :class:`~cevns_lib.statistics.Region2D` (filled contour at its level) and its best
    fit."""
    z = np.asarray(region.delta_chi2)
    if filled:
        ax.contourf(region.x, region.y, z, levels=[-1.0, region.level], colors=[color], alpha=0.35)
    ax.contour(region.x, region.y, z, levels=[region.level], colors=[color])
    if label:
        ax.plot([], [], color=color, label=label)
    ax.plot(*region.best_fit, "+", color=color)
    ax.set_xlabel(parameter_label(region.parameters[0], region.units[0]))
    ax.set_ylabel(parameter_label(region.parameters[1], region.units[1]))
    return ax
