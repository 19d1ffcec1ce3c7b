"""Plotting helpers for the book: one style, legends outside the data, TeX labels with units.

The style itself is the file ``book/cevns.mplstyle``; :func:`use_style` loads it (the chapters call it in
a hidden cell, with the working directory ``book/``). Nothing here computes physics.
"""

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt

__all__ = [
    "STYLE_FILE", "T_N", "E_NU", "DSIGMA", "LAMBDA_UNIT", "use_style", "legend_below", "legend_right", "lam",
    "legend_under"
]


STYLE_FILE = Path(__file__).resolve().parents[2] / "book" / "cevns.mplstyle"


# Axis labels used in several chapters (units in parentheses, as TeX).
T_N = r"nuclear recoil energy $T_N$ (keV)"


E_NU = r"neutrino energy $E_\nu$ (MeV)"


DSIGMA = r"$d\sigma/dT_N$ (cm$^2$ keV$^{-1}$)"


LAMBDA_UNIT = r"$10^{-10}\,\mu_B$"


def use_style(path=None):
    """Load the book's matplotlib style (``book/cevns.mplstyle`` unless ``path`` is given)."""
    style = Path(path) if path is not None else STYLE_FILE
    if not style.exists():
        raise FileNotFoundError(f"path: style file {style} not found")
    mpl.rcdefaults()
    plt.style.use(str(style))


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
