"""Released data sets and their likelihoods: the COHERENT CsI-2017, LAr-2020 and CsI-2021 releases
(:mod:`cevns_lib.datasets.coherent`), the XENONnT solar-8B runs (:mod:`cevns_lib.datasets.xenonnt`), and their
combinations across families (:mod:`cevns_lib.datasets.combined`).
"""


__all__ = []
