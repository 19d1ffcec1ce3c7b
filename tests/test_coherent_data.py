"""The COHERENT releases in data/coherent: integrity, counted template sums, readers that refuse bad input."""

import hashlib
import re
import shutil

import numpy as np
import pytest

from cevns_lib.data import data_dir
from cevns_lib.datasets.coherent import csi2017, csi2021, lar2020
from cevns_lib.datasets.coherent.releases import RELEASES, read_table, release_parameters, release_path


def _provenance_checksums(release):
    text = (data_dir() / "coherent" / release / "PROVENANCE.md").read_text()
    return dict(re.findall(r"\| `([^`]+\.(?:txt|yaml))` \|.*\| `([0-9a-f]{64})` \|", text))


@pytest.mark.parametrize("release", RELEASES)
def test_every_file_matches_the_checksum_in_its_provenance(release):
    sums = _provenance_checksums(release)
    folder = data_dir() / "coherent" / release
    files = [p for p in folder.rglob("*") if p.is_file() and p.name not in ("PROVENANCE.md", "parameters.toml")]
    assert len(sums) == len(files) > 0
    for p in files:
        rel = p.relative_to(folder).as_posix()
        key = [k for k in sums if rel == k or rel.endswith("/" + k)]
        assert len(key) == 1, rel
        assert hashlib.sha256(p.read_bytes()).hexdigest() == sums[key[0]], rel


@pytest.mark.parametrize("release", RELEASES)
def test_provenance_names_the_citation_and_what_is_missing(release):
    text = (data_dir() / "coherent" / release / "PROVENANCE.md").read_text()
    assert "Citation requested" in text and "Missing" in text
    assert "arXiv:" in text


def test_lar_template_sums_are_the_counted_numbers():
    sums = {name: lar2020.grid(f).sum() for name, (f, _) in lar2020.PDFS.items()}
    assert sums["cevns"] == pytest.approx(128.0, abs=1e-3)
    assert sums["brn_prompt"] == pytest.approx(497.0, abs=1e-3)
    assert sums["brn_delayed"] == pytest.approx(33.0, abs=1e-3)
    assert sums["steady_state"] == pytest.approx(3152.0, abs=1e-2)
    assert lar2020.grid("datanobkgsub.txt").sum() == 3752


def test_csi2017_coincidence_minus_anticoincidence_is_142():
    d = csi2017.build()
    assert d.info["n_c"] == 547 and d.info["n_ac"] == 405 and d.info["c_minus_ac"] == 142
    totals = {s: csi2017.histogram(s).sum() for s in csi2017.SAMPLES}
    assert totals == {"coincidence_beamOn": 1207, "anticoincidence_beamOn": 1032, "coincidence_beamOff": 507,
                      "anticoincidence_beamOff": 507}


def test_csi2021_event_counts():
    c, ac = csi2021.events("C"), csi2021.events("AC")
    assert (len(c), len(ac)) == (5142, 4890)
    roi = lambda e: np.sum((e[:, 0] < 60) & (e[:, 1] < 6))  # noqa: E731
    assert (roi(c), roi(ac)) == (1578, 1295)
    d = csi2021.build()
    assert d.info["n_c"] == 1578 and d.info["n_ac"] == 1295


def test_csi2021_response_curves_are_read_in_the_expected_order():
    q = csi2021.quenching_curves()
    assert q["nominal"] == pytest.approx((0.0554628, 4.30681, -111.707, 840.384))
    e = csi2021.efficiency_curves()
    assert e["+"][2] < e["nominal"][2] < e["-"][2]
    # 10 keVnr gives 0.882 keVee with the nominal polynomial (hand calculation)
    assert csi2021.electron_equivalent_keV(10.0, q["nominal"]) == pytest.approx(0.88204, rel=1e-4)
    assert np.all(csi2021.pe_efficiency(np.linspace(0, 60, 61), e["nominal"]) >= 0)


def test_release_yaml_values_are_read_not_typed():
    assert csi2017.pe_per_keVnr() == pytest.approx(13.348 * 0.0878)
    assert lar2020.pulse() == pytest.approx((0.44, 0.2, 0.15))
    assert lar2020.quenching(100.0) == pytest.approx(0.246 + 0.078)


def test_parameters_carry_tags_and_sources():
    for r in RELEASES:
        par = release_parameters(r)
        for f in par.facts.values():
            assert f.tag in ("V", "V2", "I") and f.source
    p21 = release_parameters("csi2021")
    assert p21.facts["light_yield_pe_per_keVee"].tag == "V2"
    assert p21.published["n_cevns"].value == 306.0
    with pytest.raises(ValueError, match="unknown fact 'nope'"):
        p21.fact("nope")


def test_readers_refuse_bad_names_and_files(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="unknown COHERENT release"):
        release_path("csi2019", "x.txt")
    with pytest.raises(FileNotFoundError):
        release_path("csi2017", "no_such_file.txt")
    with pytest.raises(ValueError, match="expected 4 columns"):
        read_table("csi2017", "promptPDF.txt", 4, ",")
    with pytest.raises(ValueError, match="unknown CsI 2017 sample"):
        csi2017.histogram("coincidence")
    with pytest.raises(ValueError, match="unknown CsI 2021 window"):
        csi2021.events("B")
    # a parameters.toml with a wrong tag names the file and the entry
    root = tmp_path / "data"
    shutil.copytree(data_dir() / "coherent" / "csi2017", root / "coherent" / "csi2017")
    p = root / "coherent" / "csi2017" / "parameters.toml"
    p.write_text(p.read_text().replace('tag = "I"', 'tag = "maybe"', 1))
    monkeypatch.setenv("CEVNS_DATA", str(root))
    release_parameters.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"fact\.n_pot.*tag must be one of"):
            release_parameters("csi2017")
    finally:
        monkeypatch.delenv("CEVNS_DATA")
        release_parameters.cache_clear()
