"""tools/coherent_toys.py writes its runs to the user cache folder, atomically, and replaces a shipped run
(data/coherent/toys/, what the chapters read) only with --write-shipped-cache."""

import hashlib
import importlib.util
import json
import os
from pathlib import Path

import pytest

from cevns_lib.data import data_path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted(data_path("coherent", "toys").glob("*.json"))
TINY = ["--dataset", "coherent-csi-2017", "--parameter", "mu_nue", "--toys", "10", "--jobs", "1", "--points", "1.0",
        "--seed", "3", "--no-progress"]


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("coherent_toys", ROOT / "tools" / "coherent_toys.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fingerprints():
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in SHIPPED}


def test_the_chapters_read_shipped_runs_of_500_toys():
    names = {p.name for p in SHIPPED}
    assert {"coherent-csi-2017_mu_numu.json", "coherent-csi-2017_mu_nue.json"} <= names
    for p in SHIPPED:
        res = json.loads(p.read_text())
        assert res["n_toys"] >= 300 and res["command"].startswith("python tools/coherent_toys.py"), p


def test_cache_folder_follows_xdg(tool, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert tool.user_cache_dir() == tmp_path / "xdg" / "cevns_lib" / "coherent-toys"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")           # not absolute: ignored, as the XDG rule says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert tool.user_cache_dir() == tmp_path / "home" / ".cache" / "cevns_lib" / "coherent-toys"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert tool.user_cache_dir() == tmp_path / "home" / ".cache" / "cevns_lib" / "coherent-toys"
    assert tool.shipped_cache_dir() == data_path("coherent", "toys")


def test_a_small_run_goes_to_the_user_cache_and_leaves_the_shipped_runs_alone(tool, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    before = fingerprints()
    assert tool.main(TINY) == 0
    assert fingerprints() == before
    path = tmp_path / "cevns_lib" / "coherent-toys" / "coherent-csi-2017_mu_nue.json"
    res = json.loads(path.read_text())
    assert res["n_toys"] == 10 and len(res["points"]) == 1 and res["seed"] == 3
    assert res["command"] == "python tools/coherent_toys.py " + " ".join(TINY)
    assert 0 <= res["points"][0]["wilks_coverage"] <= 1
    assert [p.name for p in path.parent.iterdir()] == [path.name]      # no temporary file left behind
    out = capsys.readouterr().out
    assert str(path) in out and "--write-shipped-cache" in out


def test_only_the_flag_replaces_a_shipped_run(tool, monkeypatch, tmp_path):
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    old = shipped / "coherent-csi-2017_mu_nue.json"
    old.write_text('{"n_toys": 500}\n')
    monkeypatch.setattr(tool, "shipped_cache_dir", lambda: shipped)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert tool.main(TINY) == 0
    assert old.read_text() == '{"n_toys": 500}\n'
    assert tool.main([*TINY, "--write-shipped-cache"]) == 0
    res = json.loads(old.read_text())
    assert res["n_toys"] == 10 and res["command"].endswith("--write-shipped-cache")
    assert [p.name for p in shipped.iterdir()] == [old.name]


def test_the_flag_and_an_output_folder_exclude_each_other(tool, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        tool.main([*TINY, "--write-shipped-cache", "--output-dir", str(tmp_path)])
    assert exc.value.code == 2 and "not allowed with" in capsys.readouterr().err


def test_write_cache_replaces_atomically(tool, monkeypatch, tmp_path):
    target = tmp_path / "run.json"
    target.write_text('{"old": true}\n')
    moves = []
    real_replace = os.replace

    def replace(src, dst):
        # at the moment of the move, the new text is complete in a temporary file of the same folder,
        # and the old file is still whole
        assert Path(src).parent == tmp_path and Path(src).name.startswith(".run.json.")
        assert json.loads(Path(src).read_text()) == {"new": [1, 2]}
        assert json.loads(Path(dst).read_text()) == {"old": True}
        moves.append((Path(src).name, Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(tool.os, "replace", replace)
    umask = os.umask(0o022)
    try:
        assert tool.write_cache({"new": [1, 2]}, tmp_path, "run.json") == target
    finally:
        os.umask(umask)
    assert len(moves) == 1 and moves[0][1] == target
    assert json.loads(target.read_text()) == {"new": [1, 2]}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.json"]
    assert target.stat().st_mode & 0o777 == 0o644          # an ordinary file, not the 0600 of a temporary one


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tool, monkeypatch, tmp_path):
    target = tmp_path / "run.json"
    target.write_text('{"old": true}\n')
    with pytest.raises(TypeError):
        tool.write_cache({"bad": object()}, tmp_path, "run.json")              # not JSON: nothing written

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(tool.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        tool.write_cache({"new": 1}, tmp_path, "run.json")                     # fails half-way through
    assert target.read_text() == '{"old": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.json"]


@pytest.mark.parametrize("name", ["", "../run.json", "run.txt", "sub/run.json"])
def test_write_cache_checks_the_name(tool, tmp_path, name):
    with pytest.raises(ValueError, match="name"):
        tool.write_cache({}, tmp_path, name)
