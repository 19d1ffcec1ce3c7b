"""Two-parameter allowed regions and their CP-phase dependence (Figures 4-7 of arXiv:1905.03750).

Two moduli (|Lambda_i|, |Lambda_j|) are free, the third Lambda is zero. For fixed phases the
magnetic-moment excess is a quadratic form in the moduli, X(m) = m^T Q m (:mod:`cevns_lib.statistics`),
and every chi-square of the project (eq. 34 for the CsI data, eq. 35 in its effective or literal
reading) depends on the moduli only through X. The allowed region at a level Delta chi^2 is therefore
{m : X_lo <= m^T Q m <= X_hi}, where [X_lo, X_hi] is the interval of excesses with Delta chi^2(X) <= level,
found once per analysis (:func:`excess_interval`). Along the ray m = r (cos t, sin t) in the plane,
X = r^2 d^T Q d, so the edge of the region is

    r(t) = sqrt(X_hi / d(t)^T Q d(t)),       d(t) = (cos t, sin t),  0 <= t <= pi/2,

with no integral recomputed per point (and an inner edge sqrt(X_lo / d^T Q d) when the data prefer a
non-zero excess so strongly that the origin is excluded; never the case for the paper's setups).

Phases. Lambda_k = |Lambda_k| exp(i zeta_k). With the third Lambda zero only the relative phase
phi = zeta_i - zeta_j of the two non-zero Lambdas and the Dirac phase delta matter (a common phase of all
Lambdas drops out of mu_eff^2). In the labelling of choice A10,
xi_1 = zeta_2 - zeta_3, xi_2 = zeta_1 - zeta_3, xi_3 = zeta_1 - zeta_2, so phi is xi_3 in the plane
(1, 2), xi_2 in (1, 3) and xi_1 in (2, 3). :func:`phase_scan` scans phi and delta over [0, 2 pi) and
returns the outermost (most conservative) and innermost (most aggressive) contours with the phase
values that produce them.

Moduli and contour points are in units of 1e-10 mu_B. Planes are given with the paper's 1-based
indices, e.g. ``(1, 2)`` for (|Lambda_1|, |Lambda_2|).

Binned likelihoods (the released data) have no excess statistic: :func:`likelihood_region` finds their region ray
by ray, each ray a one-parameter limit on the length r of the moduli m = r d(t) (:func:`direction_binding`, the
magnetic term of each incident component weighted with d^T M d), measured from the minimum over all rays.
"""

import dataclasses
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from ..constants import MU_UNIT
from ..engine.yields import event_yields
from ..experiment.registry import get_setup
from ..physics.mixing import DE_SALAS_2018_NO, FLAVOURS, pmns
from ..physics.moments import mass_state_form, quadratic_form
from ..physics.parameters import Parameter
from ..sources.components import DEFAULT_SELECTION
from ..validation import check_nonnegative_array, check_positive
from .binding import Binding
from .counting import ExcessInterval, analysis, beam_components, em_matrix, require_mass_states
from .levels import DCHI2_90_2D, check_level
from .likelihood import allowed_region

__all__ = [
    "check_plane", "phase_name", "resolve_beam", "directions", "embed", "best_excess",
    "delta_chi2_of_excess", "excess_interval", "Region", "region", "setup_region",
    "axis_intercepts", "grid_delta_chi2", "plane_matrices", "PhaseScan", "phase_scan", "region_record",
    "direction_binding", "LikelihoodRegion", "likelihood_region"
]


#: Name of the relative phase zeta_i - zeta_j of a plane (i < j), choice A10.
_PHASE_NAME = {(1, 2): "xi_3", (1, 3): "xi_2", (2, 3): "xi_1"}


def check_plane(plane):
    """Validate a plane: two distinct indices out of 1, 2, 3 (1-based). Returns the tuple (i, j)."""
    try:
        items = tuple(plane)
    except TypeError:
        raise ValueError(f"plane must be two distinct indices out of 1, 2, 3, e.g. (1, 2); got {plane!r}") from None
    ok = (len(items) == 2 and all(isinstance(p, (int, np.integer)) and not isinstance(p, bool) for p in items)
          and all(p in (1, 2, 3) for p in items) and items[0] != items[1])
    if not ok:
        raise ValueError(f"plane must be two distinct indices out of 1, 2, 3, e.g. (1, 2); got {plane!r}")
    return int(items[0]), int(items[1])


def phase_name(plane):
    """Name of the relative phase zeta_i - zeta_j of a plane in the labelling of choice A10 ('xi_3' for (1, 2))."""
    i, j = check_plane(plane)
    return _PHASE_NAME[(i, j)] if i < j else "-" + _PHASE_NAME[(j, i)]


def resolve_beam(experiment, beam=None):
    """The beam component analysed: ``beam`` checked against the setup's source, or the default: every
    component ("all"). The transition moments need the mass-state content of the source."""
    require_mass_states(experiment)
    if beam is None:
        return DEFAULT_SELECTION
    beam_components(experiment, beam)
    return beam


def _check_level(level):
    return check_positive(level, "Delta chi^2 level")


def _sub(q, plane):
    """The 2x2 block of a (..., 3, 3) matrix belonging to a plane (1-based indices)."""
    i, j = check_plane(plane)
    idx = np.array([i - 1, j - 1])
    return np.asarray(q)[..., idx[:, None], idx[None, :]]


def _cos_sin(t):
    """cos t and sin t with an exact zero cosine on the |Lambda_j| axis (t = pi/2)."""
    t = np.asarray(t, dtype=float)
    c = np.where(t == 0.5 * np.pi, 0.0, np.cos(t))
    return c, np.sin(t)


def directions(n=181):
    """Ray angles t in [0, pi/2] (n of them) and the unit vectors (cos t, sin t), shape (n, 2)."""
    if int(n) != n or n < 2:
        raise ValueError(f"need at least 2 rays, got n={n!r}")
    t = np.linspace(0.0, 0.5 * np.pi, int(n))
    return t, np.stack(_cos_sin(t), axis=-1)


def embed(li, lj, plane):
    """Moduli vectors (..., 3) with |Lambda_i| = li, |Lambda_j| = lj and the third Lambda zero."""
    i, j = check_plane(plane)
    li, lj = np.broadcast_arrays(np.asarray(li, dtype=float), np.asarray(lj, dtype=float))
    m = np.zeros(li.shape + (3,))
    m[..., i - 1] = li
    m[..., j - 1] = lj
    return m


def best_excess(a):
    """Excess X >= 0 at which Delta chi^2 of an :class:`~cevns_lib.statistics.Analysis` is minimal
    (:meth:`~cevns_lib.statistics.Analysis.best_excess`)."""
    return a.best_excess()


def delta_chi2_of_excess(a, x):
    """Delta chi^2 of an analysis as a function of the excess X (events); vectorised."""
    return a.chi2_of_excess(np.asarray(x, dtype=float)) - a.chi2_min()


def excess_interval(a, level=DCHI2_90_2D, n_check=400):
    """The allowed excesses of an analysis at a level (:meth:`~cevns_lib.statistics.Analysis.excess_interval`)."""
    return a.excess_interval(level, n_check=n_check)


@dataclass(frozen=True)
class Region:
    """Edge of a two-parameter allowed region, ray by ray (moduli in 1e-10 mu_B).

    ``t`` ray angles in [0, pi/2] measured from the |Lambda_i| axis, ``r_outer``/``r_inner`` the outer and
    inner edge radii (``r_inner`` is zero unless the data exclude the origin), ``q2`` the 2x2 block of Q.
    """

    plane: tuple
    level: float
    t: np.ndarray
    r_outer: np.ndarray
    r_inner: np.ndarray
    q2: np.ndarray
    interval: ExcessInterval
    label: str = ""

    @property
    def lambda_i(self):
        """|Lambda_i| of the outer edge points."""
        return self.r_outer * _cos_sin(self.t)[0]

    @property
    def lambda_j(self):
        """|Lambda_j| of the outer edge points."""
        return self.r_outer * _cos_sin(self.t)[1]

    @property
    def intercepts(self):
        """Outer edge on the |Lambda_i| and |Lambda_j| axes: (r(0), r(pi/2))."""
        return float(self.r_outer[0]), float(self.r_outer[-1])

    def area(self):
        """Area of the allowed region in the quadrant, (1e-10 mu_B)^2 (trapezoidal rule in t)."""
        return float(np.trapezoid(0.5 * (self.r_outer**2 - self.r_inner**2), self.t))

    def polygon(self):
        """Closed outline (x, y) of the allowed region including the axes, for ``plt.fill``."""
        x = np.concatenate([[0.0], self.lambda_i, [0.0]])
        y = np.concatenate([[0.0], self.lambda_j, [0.0]])
        if np.any(self.r_inner > 0):
            c, s = _cos_sin(self.t)
            x = np.concatenate([self.lambda_i, (self.r_inner * c)[::-1]])
            y = np.concatenate([self.lambda_j, (self.r_inner * s)[::-1]])
        return x, y


def _radii(x, qd):
    """r = sqrt(X / d^T Q d), inf where d^T Q d <= 0 (a blind direction)."""
    qd = np.asarray(qd, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(qd > 0, np.sqrt(x / np.where(qd > 0, qd, 1.0)), np.inf)
    if x == 0:
        r = np.zeros_like(qd)
    return r


def region(a, plane=(1, 2), level=DCHI2_90_2D, n=181):
    """Allowed region of an :class:`~cevns_lib.statistics.Analysis` in a plane, third Lambda zero.

    Parameters
    ----------
    a : Analysis (any chi-square form; its ``q`` carries the phases and delta it was built with).
    plane : two distinct indices out of 1, 2, 3 (|Lambda_i|, |Lambda_j|).
    level : Delta chi^2 (4.61: 90% C.L. for 2 d.o.f.; 2.30 and 9.21 for 68% and 99%).
    n : number of rays between the two axes.
    """
    plane = check_plane(plane)
    iv = excess_interval(a, level)
    q2 = _sub(a.q, plane)
    t, d = directions(n)
    qd = np.einsum("ti,ij,tj->t", d, q2, d)
    return Region(plane=plane, level=iv.level, t=t, r_outer=_radii(iv.hi, qd), r_inner=_radii(iv.lo, qd),
                  q2=q2, interval=iv, label=a.label)


def setup_region(experiment, beam=None, plane=(1, 2), level=DCHI2_90_2D, n=181, **analysis_kw):
    """:func:`region` for a :class:`~cevns_lib.experiment.Experiment`.

    Keywords go to :func:`~cevns_lib.statistics.analysis`.
    """
    return region(analysis(experiment, resolve_beam(experiment, beam), **analysis_kw), plane, level, n)


def axis_intercepts(a, plane=(1, 2), level=DCHI2_90_2D):
    """Where the region's outer edge meets the |Lambda_i| and |Lambda_j| axes (1e-10 mu_B).

    Equals the one-parameter limit :meth:`Analysis.limit` evaluated at the same Delta chi^2 level.
    """
    return region(a, plane, level, n=2).intercepts


def grid_delta_chi2(a, plane, li, lj):
    """Delta chi^2 on a grid: ``li`` and ``lj`` are 1-D arrays of |Lambda_i|, |Lambda_j| (1e-10 mu_B).

    Returns an array of shape (len(lj), len(li)) (rows follow |Lambda_j|, as ``plt.contourf(li, lj, z)``
    expects), the third Lambda being zero.
    """
    li = check_nonnegative_array(li, "moduli li (|Lambda_i|, 1e-10 mu_B)")
    lj = check_nonnegative_array(lj, "moduli lj (|Lambda_j|, 1e-10 mu_B)")
    li_g, lj_g = np.meshgrid(li, lj)
    return a.delta_chi2(embed(li_g, lj_g, plane))


def _beam_rows_and_weights(experiment, beam, scale):
    """Flavour rows (e/mu index) and EM events per (1e-10 mu_B)^2 of the components of a beam."""
    comps = beam_components(experiment, beam)
    y = event_yields(experiment)
    rows = np.array([FLAVOURS.index(c.flavour) for c in comps])
    weights = np.array([y.n_em[c.name] for c in comps]) * MU_UNIT**2 * scale
    return rows, weights


def plane_matrices(experiment, beam, plane, phi, delta, params=DE_SALAS_2018_NO, scale=1.0):
    """2x2 blocks of Q for relative phases ``phi`` = zeta_i - zeta_j and Dirac phases ``delta`` (radians).

    ``phi`` and ``delta`` broadcast against each other; the result has their broadcast shape + (2, 2).
    For a beam of flavour alpha, mu_eff^2 = |Lambda|^2 - |sum_k U_{alpha k} Lambda_k|^2, so with
    Lambda_k = m_k exp(i zeta_k) the form in the moduli is
    M_kl = delta_kl - Re(conj(U_ak) U_al exp(i(zeta_l - zeta_k))). For a solar source converted in the Sun the
    neutrinos arrive as mass states and the blocks are the same for every phase (:func:`~.counting.em_matrix`).
    """
    i, j = check_plane(plane)
    phi, delta = np.broadcast_arrays(np.asarray(phi, dtype=float), np.asarray(delta, dtype=float))
    beam = resolve_beam(experiment, beam)
    if experiment.mass_state_components:
        # an incoherent mixture of mass states (the Sun, choice E26): the form has no phase dependence
        q = em_matrix(event_yields(experiment), beam, params) * scale
        block = q[np.ix_((i - 1, j - 1), (i - 1, j - 1))]
        return np.broadcast_to(block, phi.shape + (2, 2)).copy()
    rows, weights = _beam_rows_and_weights(experiment, beam, scale)
    flat_d = delta.ravel()
    # mixing rows for each delta: shape (n_delta, n_components, 3)
    u = np.array([pmns(dataclasses.replace(params, delta=float(dl)))[rows] for dl in flat_d])
    ui, uj = u[..., i - 1], u[..., j - 1]
    ph = np.exp(-1j * phi.ravel())[:, None]
    m_ii = np.sum(weights * (1 - np.abs(ui) ** 2), axis=-1)
    m_jj = np.sum(weights * (1 - np.abs(uj) ** 2), axis=-1)
    m_ij = np.sum(weights * -np.real(np.conj(ui) * uj * ph), axis=-1)
    out = np.stack([np.stack([m_ii, m_ij], -1), np.stack([m_ij, m_jj], -1)], -2)
    return out.reshape(phi.shape + (2, 2))


def _describe(mask, phi, delta, name):
    """Text describing a set of grid points (phi, delta) on which an extremum is attained."""
    p, d = phi[mask], delta[mask]
    two_pi = 2 * np.pi

    def const(v):
        w = np.mod(v + 1e-9, two_pi)
        return np.ptp(np.exp(1j * w).real) < 1e-6 and np.ptp(np.exp(1j * w).imag) < 1e-6

    n_delta = len(np.unique(np.round(delta, 12)))
    n_phi = len(np.unique(np.round(phi, 12)))
    deg = lambda v: f"{np.degrees(np.mod(v + 1e-9, two_pi)) % 360:.0f} deg"  # noqa: E731
    if len(p) >= n_delta > 1 and const(p):
        return f"{name} = {deg(p[0])}, any delta"
    if len(p) >= n_phi > 1 and const(d):
        return f"delta = {deg(d[0])}, any {name}"
    if len(p) > 2 and const(p + d):
        return f"{name} + delta = {deg(p[0] + d[0])}"
    if len(p) > 2 and const(p - d):
        return f"{name} - delta = {deg(p[0] - d[0])}"
    return "; ".join(f"({name}, delta) = ({deg(a)}, {deg(b)})" for a, b in zip(p[:4], d[:4]))


@dataclass(frozen=True)
class PhaseScan:
    """Contours of one setup and plane for a grid of phases (radians), moduli in 1e-10 mu_B.

    ``phi`` (relative phase zeta_i - zeta_j, named ``phase_name``) and ``delta`` are the scan grids
    (shape (n_phi, n_delta), 'ij' indexing); ``radii`` has shape (n_phi, n_delta, n_rays).

    Two kinds of envelope are provided:

    * pointwise, ray by ray: ``r_max``/``r_min`` with the phases ``phi_at_max``, ``delta_at_max`` (and
      ``..._at_min``) that produce them on each ray;
    * single phase choices: ``outer``/``inner`` are the (phi, delta) whose whole contour encloses the
      largest/smallest area (refined beyond the grid), ``r_outer``/``r_inner`` their contours, and
      ``outer_text``/``inner_text`` describe the set of grid points attaining them (degeneracies such as
      'any delta' or 'xi + delta = const').
    """

    setup_label: str
    beam: str
    plane: tuple
    level: float
    phase_name: str
    t: np.ndarray
    phi: np.ndarray
    delta: np.ndarray
    radii: np.ndarray
    r_real: np.ndarray
    r_max: np.ndarray
    r_min: np.ndarray
    phi_at_max: np.ndarray
    delta_at_max: np.ndarray
    phi_at_min: np.ndarray
    delta_at_min: np.ndarray
    outer: tuple
    inner: tuple
    r_outer: np.ndarray
    r_inner: np.ndarray
    outer_text: str
    inner_text: str
    x_hi: float
    contour_fn: object = dataclasses.field(default=None, repr=False, compare=False)

    def contour(self, phi, delta):
        """Outer edge radii r(t) for one phase choice (phi = zeta_i - zeta_j, delta), on the scan's rays."""
        return self.contour_fn(phi, delta)

    def points(self, r):
        """(|Lambda_i|, |Lambda_j|) of radii r on the scan's rays."""
        c, s = _cos_sin(self.t)
        return r * c, r * s

    def envelope_gap(self):
        """Largest relative difference between the pointwise envelopes and the single-choice contours."""
        return (float(np.max(np.abs(self.r_max / self.r_outer - 1))),
                float(np.max(np.abs(self.r_min / self.r_inner - 1))))


def phase_scan(experiment, beam=None, plane=(1, 2), level=DCHI2_90_2D, n_phase=72, n_rays=181,
               params=DE_SALAS_2018_NO, refine=True, **analysis_kw):
    """Scan the relative phase of the two non-zero Lambdas and delta over [0, 2 pi) (Figure 7).

    Parameters
    ----------
    experiment : cevns_lib.experiment.Experiment; beam : as for :func:`~cevns_lib.statistics.analysis`.
    plane : (i, j); the third Lambda is zero, so only phi = zeta_i - zeta_j and delta matter.
    level : Delta chi^2 of the contour. n_phase : grid points per phase (default 72, i.e. 5 degrees).
    params : mixing angles (its delta is the 'real' case; the scan replaces it).
    refine : polish the area-extremal phase choices with a Nelder-Mead search started from the grid.
    analysis_kw : form, sigma_alpha, scale ... passed to :func:`~cevns_lib.statistics.analysis`.

    Returns
    -------
    PhaseScan
    """
    plane = check_plane(plane)
    if int(n_phase) != n_phase or n_phase < 4:
        raise ValueError(f"n_phase must be an integer >= 4, got {n_phase!r}")
    beam = resolve_beam(experiment, beam)
    a = analysis(experiment, beam, params=params, **analysis_kw)
    scale = analysis_kw.get("scale", 1.0)
    iv = excess_interval(a, level)
    if not np.isfinite(iv.hi):
        raise ValueError(f"{a.label}: Delta chi^2 never reaches {level}; the region is unbounded")
    t, d = directions(n_rays)
    grid = np.linspace(0.0, 2 * np.pi, int(n_phase), endpoint=False)
    phi, delta = np.meshgrid(grid, grid, indexing="ij")
    q2 = plane_matrices(experiment, beam, plane, phi, delta, params, scale)
    qd = np.einsum("ti,...ij,tj->...t", d, q2, d)
    radii = _radii(iv.hi, qd)

    def contour_fn(p, dl):
        q = plane_matrices(experiment, beam, plane, p, dl, params, scale)
        return _radii(iv.hi, np.einsum("ti,ij,tj->t", d, q, d))

    r_real = region(a, plane, level, n_rays).r_outer
    flat = radii.reshape(-1, len(t))
    kmax, kmin = np.argmax(flat, axis=0), np.argmin(flat, axis=0)
    area = np.trapezoid(0.5 * flat**2, t, axis=-1).reshape(phi.shape)

    def best(sign):
        k0 = np.unravel_index(np.argmax(sign * area), area.shape)
        mask = np.abs(area - area[k0]) <= 1e-9 * max(abs(area[k0]), 1.0) + 1e-9 * np.ptp(area)
        # representative: the first extremal grid point (smallest phi, then smallest delta)
        k = np.unravel_index(np.argmax(mask), area.shape)
        x0 = np.array([phi[k], delta[k]])
        # polish an isolated extremum (a degenerate line of extrema is exact on the grid already)
        if refine and mask.sum() <= 2:
            f = lambda x: -sign * np.trapezoid(0.5 * contour_fn(x[0], x[1]) ** 2, t)  # noqa: E731
            res = minimize(f, x0, method="Nelder-Mead",
                           options={"xatol": 1e-6, "fatol": 1e-12 * abs(area[k]), "maxiter": 400})
            if res.fun <= f(x0):
                x0 = res.x
        return (float(np.mod(x0[0], 2 * np.pi)), float(np.mod(x0[1], 2 * np.pi))), mask

    outer, mask_out = best(+1)
    inner, mask_in = best(-1)
    name = phase_name(plane)
    return PhaseScan(
        setup_label=experiment.label, beam=beam, plane=plane, level=iv.level, phase_name=name, t=t, phi=phi,
        delta=delta, radii=radii, r_real=r_real, r_max=flat.max(axis=0), r_min=flat.min(axis=0),
        phi_at_max=phi.ravel()[kmax], delta_at_max=delta.ravel()[kmax],
        phi_at_min=phi.ravel()[kmin], delta_at_min=delta.ravel()[kmin],
        outer=outer, inner=inner, r_outer=contour_fn(*outer), r_inner=contour_fn(*inner),
        outer_text=_describe(mask_out.ravel(), phi.ravel(), delta.ravel(), name),
        inner_text=_describe(mask_in.ravel(), phi.ravel(), delta.ravel(), name),
        x_hi=iv.hi, contour_fn=contour_fn)


def region_record(experiment, stage="current", beam=None, plane=(1, 2), level=DCHI2_90_2D, n=91):
    """JSON-serialisable description of a two-parameter region (moduli in 1e-10 mu_B).

    ``experiment``: a Table 1 experiment name (with ``stage``) or an Experiment object (``stage`` ignored).

    Returns {"experiment", "stage", "beam", "plane": [i, j], "level", "points": [{"lambda_i", "lambda_j"},
    ...] (outer edge from the |Lambda_i| axis to the |Lambda_j| axis), "intercepts": {"lambda_i",
    "lambda_j"}}; "inner_points" is added only when the data exclude the origin.
    """
    from ..experiment.experiment import Experiment

    plane = check_plane(plane)
    level = _check_level(level)
    s = experiment if isinstance(experiment, Experiment) else get_setup(experiment, stage)
    beam = resolve_beam(s, beam)
    a = analysis(s, beam)
    reg = region(a, plane, level, n)
    if not np.all(np.isfinite(reg.r_outer)):
        raise ValueError(f"{a.label}: the region at Delta chi^2 = {level} is unbounded "
                         f"(the chi-square saturates below this level)")
    rec = {
        "experiment": s.experiment, "stage": s.stage, "beam": beam, "plane": list(plane), "level": level,
        "points": [{"lambda_i": float(x), "lambda_j": float(y)} for x, y in zip(reg.lambda_i, reg.lambda_j)],
        "intercepts": {"lambda_i": reg.intercepts[0], "lambda_j": reg.intercepts[1]},
    }
    if np.any(reg.r_inner > 0):
        c, s_ = _cos_sin(reg.t)
        rec["inner_points"] = [{"lambda_i": float(r * x), "lambda_j": float(r * y)}
                               for r, x, y in zip(reg.r_inner, c, s_)]
    return rec


def direction_binding(plane, t, components, params=DE_SALAS_2018_NO, phases=(0.0, 0.0, 0.0)):
    """The :class:`~.binding.Binding` of the length r (1e-10 mu_B) of the moduli m = r (cos t, sin t) in ``plane``
    (the third modulus zero; ``t`` in radians), for ``components`` (cevns_lib.sources Component objects): each
    component's magnetic term gets c2 = d^T M d per (1e-10 mu_B)^2, with M its quadratic form in the moduli
    (:func:`cevns_lib.physics.mass_state_form` for a mass state, :func:`cevns_lib.physics.quadratic_form` of its
    species with the mixing ``params`` and the ``phases`` zeta_k otherwise), and its Standard-Model term c0 = 1."""
    i, j = check_plane(plane)
    t = float(t)
    d = np.zeros(3)
    d[i - 1], d[j - 1] = np.cos(t), np.sin(t)
    coef = {}
    for comp in components:
        form = (mass_state_form(comp.mass_state) if getattr(comp, "mass_state", None) is not None
                else quadratic_form(comp.species, params, phases))
        coef[(comp.name, "sm")] = (1.0, 0.0, 0.0)
        coef[(comp.name, "mag")] = (0.0, 0.0, float(d @ form @ d) * MU_UNIT**2)
    name = f"|Lambda| in ({i}, {j})"
    par = Parameter(name, "transition", None, "1e-10 mu_B", MU_UNIT, False,
                    f"length of (|Lambda_{i}|, |Lambda_{j}|) along the direction t = {t:.6g} rad")
    from types import MappingProxyType

    return Binding(par, tuple(c.name for c in components), MappingProxyType(coef), 1.0, 0.0)


@dataclass(frozen=True)
class LikelihoodRegion:
    """The allowed region of a binned likelihood in a plane of moduli (1e-10 mu_B): directions ``t`` (radians, 0 to
    pi/2), the outer radius ``r_outer`` on each (read-only), the ``level`` (Delta(-2 ln L) from ``m2lnl_min``, the
    minimum over all directions) and the ``plane``."""

    plane: tuple
    level: float
    t: np.ndarray
    r_outer: np.ndarray
    m2lnl_min: float

    def xy(self):
        """Contour points (|Lambda_i|, |Lambda_j|)."""
        c, s = _cos_sin(self.t)
        return self.r_outer * c, self.r_outer * s


def likelihood_region(likelihood_of, components, plane=(1, 2), level=DCHI2_90_2D, n=31, params=DE_SALAS_2018_NO,
                      phases=(0.0, 0.0, 0.0)):
    """The 2-D allowed region of a binned likelihood in a plane of moduli, ray by ray (a :class:`LikelihoodRegion`).

    ``likelihood_of``: a function Binding -> likelihood (e.g. ``dataset.likelihood_for`` of a XENONnT dataset, or
    ``lambda b: Likelihood([model], b)``); ``components``: the incident components the bindings weight
    (:func:`direction_binding`); ``n`` directions from 0 to pi/2. On each direction the boundary is where
    -2 ln L exceeds the minimum over all directions by ``level`` (4.61 at 90% C.L. for two parameters).
    """
    plane = check_plane(plane)
    level = check_level(level)
    if int(n) != n or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    t = np.linspace(0.0, np.pi / 2, int(n))
    liks = [likelihood_of(direction_binding(plane, tk, components, params, phases)) for tk in t]
    bests = [lik.minimise() for lik in liks]
    low = min(b.m2lnl for b in bests)
    r = []
    for lik, b in zip(liks, bests):
        region, _ = allowed_region(lik, level=max(level - (b.m2lnl - low), 1e-9))
        r.append(region[-1][1] * lik.parameter.scale)
    r = np.array(r, dtype=float)
    r.flags.writeable = False
    t.flags.writeable = False
    return LikelihoodRegion(plane, float(level), t, r, float(low))
