"""Released data sets and their likelihoods: the COHERENT CsI-2017, LAr-2020 and CsI-2021 releases
(:mod:`cevns_lib.datasets.coherent`).
"""


__all__ = []
