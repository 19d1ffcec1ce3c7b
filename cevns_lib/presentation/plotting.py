"""Plotting helpers for the book: one style, legends outside the data, TeX labels with units.

The style itself is the file ``book/cevns.mplstyle``; :func:`use_style` loads it (the chapters call it in
a hidden cell, with the working directory ``book/``). Nothing here computes physics.
"""

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from ..statistics.levels import DCHI2_90_1D

__all__ = [
    "STYLE_FILE", "FIGURE_FORMAT", "T_N", "E_NU", "DSIGMA", "LAMBDA_UNIT", "use_style", "legend_below",
    "legend_right", "lam", "legend_under", "parameter_label", "profile_plot", "stacked_components"
]


STYLE_FILE = Path(__file__).resolve().parents[2] / "book" / "cevns.mplstyle"


# Axis labels used in several chapters (units in parentheses, as TeX).
T_N = r"nuclear recoil energy $T_N$ (keV)"


E_NU = r"neutrino energy $E_\nu$ (MeV)"


DSIGMA = r"$d\sigma/dT_N$ (cm$^2$ keV$^{-1}$)"


LAMBDA_UNIT = r"$10^{-10}\,\mu_B$"


FIGURE_FORMAT = "retina"      # inline figures of the book: PNG at twice the pixels of their displayed size


def use_style(path=None):
    """Load the book's matplotlib style (``book/cevns.mplstyle`` unless ``path`` is given).

    In a notebook (IPython with the inline backend) it also makes every figure a PNG with twice the pixels of its
    displayed size (``FIGURE_FORMAT``, the inline backend's "retina"): the stored image carries its display size
    (width and height in CSS pixels), so the page shows it at the size the style is made for, sharp on HiDPI
    screens and when a phone zooms in.
    """
    style = Path(path) if path is not None else STYLE_FILE
    if not style.exists():
        raise FileNotFoundError(f"path: style file {style} not found")
    mpl.rcdefaults()
    plt.style.use(str(style))
    _inline_format(FIGURE_FORMAT)


def _inline_format(fmt):
    """Select the inline backend's figure format when running in IPython (a no-op elsewhere)."""
    try:
        from IPython import get_ipython
    except ImportError:                                   # pragma: no cover - IPython is a dependency of the book
        return
    if get_ipython() is None:
        return
    from matplotlib_inline.backend_inline import InlineBackend, set_matplotlib_formats

    InlineBackend.instance().figure_formats = {fmt}
    set_matplotlib_formats(fmt)


def legend_below(fig, ax=None, ncol=3, **kw):
    """One legend for the whole figure, below the axes (outside the data)."""
    src = ax if ax is not None else fig.axes[0]
    handles, labels = src.get_legend_handles_labels()
    return fig.legend(handles, labels, loc="outside lower center", ncol=ncol, **kw)


def legend_right(fig, ax=None, ncol=1, **kw):
    """One legend for the whole figure, right of the axes (outside the data)."""
    src = ax if ax is not None else fig.axes[0]
    handles, labels = src.get_legend_handles_labels()
    return fig.legend(handles, labels, loc="outside right upper", ncol=ncol, **kw)


def lam(i):
    """TeX for |Lambda_i| (i = 1, 2, 3) with its unit, for axis labels."""
    return rf"$|\Lambda_{i}|$ ({LAMBDA_UNIT})"


def legend_under(ax, ncol=1, offset=0.2, **kw):
    """A legend for one panel, just below its axes (outside the data)."""
    return ax.legend(loc="upper center", bbox_to_anchor=(0.5, -offset), ncol=ncol, **kw)


_KIND = {"mu": ("magnetic moment", r"$\mu$"), "q": ("millicharge", "$q$"),
         "r2": ("charge radius", r"$\langle r^2\rangle$")}
_FLAVOUR = {"nue": r"$\nu_e$", "numu": r"$\nu_\mu$", "nutau": r"$\nu_\tau$"}


def parameter_label(name, short=False):
    """A figure label for a parameter of the library, without second-order subscripts (which print at a few
    pixels): 'mu_nue' -> 'magnetic moment of $\\nu_e$' (``short``: '$\\mu$ of $\\nu_e$'), 'Lambda1' -> '$|\\Lambda_1|$',
    'mu_eff' -> '$\\mu_{\\rm eff}$'."""
    if name.startswith("Lambda") and name[6:].isdigit():
        return rf"$|\Lambda_{name[6:]}|$"
    if name == "mu_eff":
        return r"$\mu_{\rm eff}$"
    kind, _, flavour = name.partition("_")
    if kind in _KIND and flavour in _FLAVOUR:
        words, symbol = _KIND[kind]
        return f"{symbol if short else words} of {_FLAVOUR[flavour]}"
    return name


def profile_plot(ax, x, curves, level=DCHI2_90_1D, xlabel=None, ylabel=r"$\Delta(-2\ln L)$", ylim=(0.0, 10.0),
                 legend=True, **legend_kw):
    """Profile curves against one parameter on ``ax``, with the 90% C.L. level as a dotted line.

    x: the parameter values (in the unit the x label states); curves: {label: values of Delta(-2 ln L) or
    Delta chi^2 at x}; level: the horizontal line (default the library's 90% C.L. one-parameter level);
    legend: draw a legend inside the axes (keyword arguments go to ``ax.legend``).
    """
    for label, y in curves.items():
        ax.plot(x, y, label=label)
    ax.axhline(level, color="k", lw=0.8, ls=":")
    ax.set_ylim(*ylim)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if legend:
        ax.legend(**{"fontsize": 9, **legend_kw})
    return ax


def stacked_components(ax, x, width, components, data=None, data_label="data", per=None):
    """Fitted components as stacked bars and the data as points with Poisson errors, on ``ax``.

    x, width: bin centres and widths; components: [(label, counts, colour)] from the bottom up; data: counts per
    bin (optional); per: divide every count by it (e.g. the bin width, for a density), default none.
    """
    scale = np.ones_like(np.asarray(x, dtype=float)) if per is None else np.asarray(per, dtype=float)
    bottom = np.zeros_like(scale)
    for label, counts, colour in components:
        y = np.asarray(counts, dtype=float) / scale
        ax.bar(x, y, width=width, bottom=bottom, color=colour, alpha=0.8, label=label)
        bottom = bottom + y
    if data is not None:
        n = np.asarray(data, dtype=float)
        ax.errorbar(x, n / scale, yerr=np.sqrt(n) / scale, fmt="o", color="k", ms=3, label=data_label)
    return ax
