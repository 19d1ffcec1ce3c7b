"""Released data sets of every family, one at a time or combined: the COHERENT releases and the XENONnT runs.

A combination multiplies the likelihoods: the parameter of interest is shared, every nuisance stays with its data
set. Within a family the family's own combination is used (:func:`cevns_lib.datasets.coherent.combination`; the
XENONnT datasets are alternatives, the 2026 one contains the 2024 runs). Across families the likelihoods are summed
with :class:`cevns_lib.statistics.JointLikelihood`, each part profiling its own nuisances. Data sets that share
events are never combined (:data:`OVERLAPPING`).

What a combination can constrain (:func:`parameters`): the parameters every one of its data sets constrains (the
SNS carries no nu_tau, so COHERENT has no tau-flavour parameters; the Sun has all three flavours and, through the
conversion in the Sun, the mass states).
"""

from ..physics.parameters import get_parameter
from ..statistics.joint import Combination, JointLikelihood
from ..statistics.limits import parameter_limit
from ..validation import match_name, match_names
from . import coherent, xenonnt
from .coherent.parameters import EM_PARAMETERS as COHERENT_PARAMETERS

__all__ = ["DATASETS", "OVERLAPPING", "DATA_KINDS", "family", "parameters", "combination", "limit"]

#: Every released data set, by family.
DATASETS = coherent.DATASETS + xenonnt.DATASETS
#: Pairs that share events and must not be combined.
OVERLAPPING = coherent.OVERLAPPING + (tuple(xenonnt.DATASETS),)
#: Observed data, or the Standard-Model expectation (Asimov) of each data set.
DATA_KINDS = ("observed", "asimov")


def family(name):
    """"coherent" or "xenonnt": the family of a data set name (any case)."""
    name = match_name(name, DATASETS, "dataset")
    return "coherent" if name in coherent.DATASETS else "xenonnt"


def _names(names):
    return match_names(names, DATASETS, "dataset", OVERLAPPING)


def parameters(names):
    """The parameters every data set of ``names`` constrains, in the order of cevns_lib.physics.PARAMETERS."""
    names = _names(names)
    allowed = [set(COHERENT_PARAMETERS) if family(n) == "coherent" else set(xenonnt.EM_PARAMETERS) for n in names]
    return tuple(p for p in xenonnt.EM_PARAMETERS if all(p in a for a in allowed))


def _likelihood(names, parameter, data):
    """The likelihood of a parameter: one family's own, or the :class:`~cevns_lib.statistics.JointLikelihood` of
    several families."""
    coh = tuple(n for n in names if family(n) == "coherent")
    xe = tuple(n for n in names if family(n) == "xenonnt")
    name = getattr(parameter, "name", None) or get_parameter(parameter).name
    bad = [n for n in names if name not in parameters((n,))]
    if bad:
        raise ValueError(f"{', '.join(bad)} do(es) not constrain {name}; a combination of {', '.join(names)} "
                         f"constrains {', '.join(parameters(names))}")
    parts = []
    if coh:
        parts.append(coherent.combined_likelihood(coh, parameter, data))
    for n in xe:
        d = xenonnt.dataset(n)
        if data == "asimov":
            d = xenonnt.projection(d.exposure_t_yr, n)
        parts.append(d.likelihood_for(parameter))
    return parts[0] if len(parts) == 1 else JointLikelihood(parts)


def combination(names, data="observed"):
    """The :class:`Combination` of data set names (one or several, any family) with ``data`` "observed" or "asimov"."""
    if data not in DATA_KINDS:
        raise ValueError(f"unknown data {data!r}; allowed: {', '.join(DATA_KINDS)}")
    return Combination(_names(names), data, _likelihood)


def limit(names, parameter, cl=0.9, data="observed"):
    """Limit on an electromagnetic parameter from data sets of any family, one or combined (profile likelihood,
    Wilks): a :class:`cevns_lib.statistics.Limit`, values in the parameter's unit."""
    return parameter_limit(combination(names, data), parameter, cl)
