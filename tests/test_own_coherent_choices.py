"""The table of how each COHERENT limit moves with its main analysis choices (for the Part III chapter)."""

import numpy as np
import pytest

from cevns_lib.datasets import coherent
from cevns_lib.datasets.coherent.variations import CHOICES, analysis_choice_table, choice_models, rebin_time


def test_nominal_rows_are_the_published_library_limits():
    rows = analysis_choice_table(parameters=("mu_numu",))
    assert len(rows) == len(CHOICES)
    for name, choice, p, unit, lim, ratio in rows:
        assert unit == "1e-10 mu_B" and np.isfinite(lim) and lim > 0
        if choice.startswith("nominal"):
            assert ratio == 1.0
            assert lim == pytest.approx(coherent.limit(name, p).limit, rel=1e-4)
    by = {(r[0], r[1]): r[4] for r in rows}
    # a wider signal prior cannot tighten the limit
    assert by[("coherent-csi-2021", "13% signal prior")] >= by[("coherent-csi-2021", CHOICES[0][1])] * 0.999


def test_time_merging_keeps_every_event_and_template():
    d = coherent.dataset("coherent-csi-2021")
    one = choice_models("coherent-csi-2021", "no timing (1 time bin)")
    assert one.data.size == d.shape[0]
    np.testing.assert_allclose(one.data, d.reshape(d.model.data).sum(axis=1))
    for k, v in d.model.basis.items():
        assert one.basis[k].sum() == pytest.approx(v.sum())
    for b0, b1 in zip(d.model.backgrounds, one.backgrounds):
        assert b1.template.sum() == pytest.approx(b0.template.sum())
    with pytest.raises(ValueError, match="cover"):
        rebin_time(d.model, d.shape, ((0, 1),))
    with pytest.raises(ValueError, match="unknown analysis choice"):
        choice_models("coherent-lar-2020", "8 time bins")
