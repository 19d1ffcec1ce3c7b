"""Table 2 of arXiv:1905.03750 (O. G. Miranda, D. K. Papoulias, M. Tortola, J. W. F. Valle, JHEP 07
(2019) 103): every limit beside the published value, the comparisons and the Borexino bounds.
"""

from . import table2 as _table2
from .table2 import *  # noqa: F403

__all__ = [*_table2.__all__]


def __getattr__(name):
    # inputs read from data/ on first use (BOREXINO_BOUND, P2NU_E1_BOREXINO, ...; see .table2)
    return _table2.__getattr__(name)
