"""The reproduced papers: :mod:`cevns_lib.papers.miranda2019` (Table 2 of arXiv:1905.03750) and
:mod:`cevns_lib.papers.tensor_nsi` (Papoulias & Kosmas, HNPS 2015).
"""


__all__ = []
