#!/usr/bin/env python3
"""Convert the XENONnT solar-8B release's background templates from HDF5 to one .npz per science run, and verify.

The release (github.com/XENONnT/cevns_data_release at commit 60d230dd7a5646fd4aa2368c5fdfba575ee0cb88, CC-BY-4.0,
Zenodo 10.5281/zenodo.20576156) stores each template as an HDF5 file holding one float64 histogram
``templates/template`` of shape (3, 3, 3, 3), the four bin-edge arrays ``bins/0..3`` (each with an attribute
``name``) and the file attributes ``date`` and ``version``. Per science run <sr> (sr0, sr1, sr2) there are

    templates/<sr>/ac/template_XENONnT_<sr>_ac_cevns.h5                         accidental coincidences
    templates/<sr>/er/template_XENONnT_<sr>_er_cevns.h5                         electronic recoils
    templates/<sr>/rg/template_XENONnT_<sr>_rg_cevns_tly_<a>_tqy_<b>.h5         radiogenic neutrons, 7 x 7 grid

all in events/(t yr) per bin. This script writes ``templates/<sr>/background_<sr>.npz`` (numpy ``savez_compressed``,
no pickled objects; read it with ``np.load(path, allow_pickle=False)``) holding, bit for bit:

    ac, er          (3,3,3,3)       float64  the AC and ER templates
    rg              (7,7,3,3,3,3)   float64  rg[i_ly, i_qy] = the RG template at (t_ly[i_ly], t_qy[i_qy])
    t_ly, t_qy      (7,), (7,)      float64  the yield nuisances of the RG grid, from the file names
    bin_edges_0..3  (4,)            float64  bin edges (identical in every file of the run: checked)
    axis_names      (4,)            str      the ``name`` attributes of bins/0..3
    file_name_<c>, file_sha256_<c>, file_date_<c>, file_version_<c>   (c = ac, er: scalars; rg: (7, 7))
                                    str      original file name, its sha256 and its ``date``/``version`` attributes
    unit            ()              str      "events/(t yr) per bin"
    source          ()              str      repository, commit and licence

The mono-energetic NR templates (``templates/<sr>/mono_<sr>.npz``) were packed in the same way before they
reached the project (46 energies x 7 t_ly x 7 t_qy, keys described in data/xenonnt-8b/PROVENANCE.md); ``verify``
checks them too when the release tree holds the original ``templates/<sr>/mono/*.h5`` files.

Usage (numpy and h5py needed; only this script needs h5py, the library reads the .npz files with numpy):

    python tools/pack_xenonnt_templates.py pack   <release_tree> <out_dir>
    python tools/pack_xenonnt_templates.py verify <release_tree> <out_dir>

<release_tree> is a checkout (or ``git archive``) of the release at the commit above; <out_dir> is the folder
that holds ``templates/`` (for the project, data/xenonnt-8b). ``verify`` re-reads every original file and
requires equal template bytes, bin edges, axis names, attributes and sha256; it prints ``VERIFY OK`` or exits 1.
"""

import argparse
import hashlib
import re
import sys
from pathlib import Path

import numpy as np

COMMIT = "60d230dd7a5646fd4aa2368c5fdfba575ee0cb88"
SOURCE = f"github.com/XENONnT/cevns_data_release@{COMMIT}; CC-BY-4.0; Zenodo 10.5281/zenodo.20576156"
RUNS = ("sr0", "sr1", "sr2")
UNIT = "events/(t yr) per bin"
AXES = ("cs2", "s2_shadow_s2_time_shadow", "s1_bdt_score", "s2_bdt_score")
RG_PATTERN = re.compile(r"template_XENONnT_(sr\d)_rg_cevns_tly_(-?\d\.\d)_tqy_(-?\d\.\d)\.h5$")
MONO_PATTERN = re.compile(r"template_XENONnT_(sr\d)_mono_(\d+\.\d{3})_cevns_tly_(-?\d\.\d)_tqy_(-?\d\.\d)\.h5$")


def read_h5(path):
    """(template, [edges 0..3], [axis names], {date, version}) of one release file; it must hold nothing else."""
    import h5py

    with h5py.File(path, "r") as f:
        names = []
        f.visit(names.append)
        expected = {"bins", "bins/0", "bins/1", "bins/2", "bins/3", "templates", "templates/template"}
        if set(names) != expected:
            raise ValueError(f"{path}: unexpected content {sorted(names)}")
        if set(f.attrs) != {"date", "version"}:
            raise ValueError(f"{path}: unexpected file attributes {sorted(f.attrs)}")
        tmpl = f["templates/template"][()]
        edges = [f["bins"][str(i)][()] for i in range(4)]
        axis = [str(f["bins"][str(i)].attrs["name"]) for i in range(4)]
        attrs = {k: str(f.attrs[k]) for k in ("date", "version")}
    if tmpl.dtype != np.float64 or tmpl.shape != (3, 3, 3, 3):
        raise ValueError(f"{path}: template has dtype {tmpl.dtype} and shape {tmpl.shape}, expected float64 (3,3,3,3)")
    if any(e.dtype != np.float64 or e.shape != (4,) for e in edges):
        raise ValueError(f"{path}: bin edges must be four float64 arrays of 4 edges")
    if tuple(axis) != AXES:
        raise ValueError(f"{path}: axis names {axis}, expected {list(AXES)}")
    return tmpl, edges, axis, attrs


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _one(folder, pattern):
    files = sorted(Path(folder).glob(pattern))
    if len(files) != 1:
        raise ValueError(f"{folder}: expected one file {pattern}, found {len(files)}")
    return files[0]


def _rg_files(tree, sr):
    files = sorted((Path(tree) / "templates" / sr / "rg").glob("*.h5"))
    keys = {}
    for p in files:
        m = RG_PATTERN.search(p.name)
        if not m or m.group(1) != sr:
            raise ValueError(f"unexpected file name {p}")
        keys[(float(m.group(2)), float(m.group(3)))] = p
    t_ly = np.array(sorted({a for a, _ in keys}))
    t_qy = np.array(sorted({b for _, b in keys}))
    if len(keys) != t_ly.size * t_qy.size or t_ly.size != 7 or t_qy.size != 7:
        raise ValueError(f"{sr}: the {len(keys)} RG files do not fill a 7 x 7 grid")
    return t_ly, t_qy, keys


def background_arrays(tree, sr):
    """The content of ``background_<sr>.npz`` read from the release tree (a dict of arrays)."""
    base = Path(tree) / "templates" / sr
    out = {}
    edges0 = None
    for comp in ("ac", "er"):
        p = _one(base / comp, f"template_XENONnT_{sr}_{comp}_cevns.h5")
        tmpl, edges, axis, attrs = read_h5(p)
        edges0 = edges if edges0 is None else edges0
        if not all(np.array_equal(a, b) for a, b in zip(edges, edges0)):
            raise ValueError(f"{p}: bin edges differ from the other files of {sr}")
        out[comp] = tmpl
        out[f"file_name_{comp}"] = np.array(p.name)
        out[f"file_sha256_{comp}"] = np.array(sha256(p))
        out[f"file_date_{comp}"] = np.array(attrs["date"])
        out[f"file_version_{comp}"] = np.array(attrs["version"])
    t_ly, t_qy, keys = _rg_files(tree, sr)
    rg = np.empty((7, 7, 3, 3, 3, 3))
    meta = {k: np.empty((7, 7), dtype="U96") for k in ("name", "sha256", "date", "version")}
    for i, a in enumerate(t_ly):
        for j, b in enumerate(t_qy):
            p = keys[(a, b)]
            tmpl, edges, axis, attrs = read_h5(p)
            if not all(np.array_equal(x, y) for x, y in zip(edges, edges0)):
                raise ValueError(f"{p}: bin edges differ from the other files of {sr}")
            rg[i, j] = tmpl
            meta["name"][i, j], meta["sha256"][i, j] = p.name, sha256(p)
            meta["date"][i, j], meta["version"][i, j] = attrs["date"], attrs["version"]
    out["rg"] = rg
    for k, v in meta.items():
        out[f"file_{k}_rg"] = v
    out["t_ly"], out["t_qy"] = t_ly, t_qy
    for i, e in enumerate(edges0):
        out[f"bin_edges_{i}"] = e
    out["axis_names"] = np.array(AXES)
    out["unit"] = np.array(UNIT)
    out["source"] = np.array(SOURCE)
    return out


def pack(tree, out_dir):
    for sr in RUNS:
        arrays = background_arrays(tree, sr)
        target = Path(out_dir) / "templates" / sr / f"background_{sr}.npz"
        target.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(target, **arrays)
        print(f"wrote {target} ({target.stat().st_size} B)")


def _equal(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind == "f":
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    return a.shape == b.shape and bool(np.all(a == b))


def verify_background(tree, out_dir, sr):
    """Number of arrays compared; raises on the first mismatch."""
    ref = background_arrays(tree, sr)
    path = Path(out_dir) / "templates" / sr / f"background_{sr}.npz"
    with np.load(path, allow_pickle=False) as z:
        if set(z.files) != set(ref):
            raise ValueError(f"{path}: keys {sorted(z.files)} differ from {sorted(ref)}")
        for k, v in ref.items():
            if not _equal(z[k], v):
                raise ValueError(f"{path}: {k} differs from the release files")
    return len(ref)


def verify_mono(tree, out_dir, sr):
    """Number of mono templates compared with the original files, or None if the tree does not hold them."""
    folder = Path(tree) / "templates" / sr / "mono"
    files = sorted(folder.glob("*.h5"))
    if not files:
        return None
    path = Path(out_dir) / "templates" / sr / f"mono_{sr}.npz"
    with np.load(path, allow_pickle=False) as z:
        E, t_ly, t_qy, tmpl = z["energy_keVnr"], z["t_ly"], z["t_qy"], z["template"]
        names, hashes = z["file_name"], z["file_sha256"]
        dates, versions = z["file_date"], z["file_version"]
        edges = [z[f"bin_edges_{i}"] for i in range(4)]
        axis = list(z["axis_names"])
    if len(files) != tmpl.shape[0] * tmpl.shape[1] * tmpl.shape[2]:
        raise ValueError(f"{folder}: {len(files)} files, the packed grid has {tmpl.shape[:3]}")
    n = 0
    for p in files:
        m = MONO_PATTERN.search(p.name)
        if not m or m.group(1) != sr:
            raise ValueError(f"unexpected file name {p}")
        i = int(np.flatnonzero(np.isclose(E, float(m.group(2)), atol=1e-9, rtol=0))[0])
        j = int(np.flatnonzero(t_ly == float(m.group(3)))[0])
        k = int(np.flatnonzero(t_qy == float(m.group(4)))[0])
        t, e, a, attrs = read_h5(p)
        ok = (_equal(tmpl[i, j, k], t) and all(_equal(x, y) for x, y in zip(edges, e)) and axis == a
              and names[i, j, k] == p.name and hashes[i, j, k] == sha256(p)
              and dates[i, j, k] == attrs["date"] and versions[i, j, k] == attrs["version"])
        if not ok:
            raise ValueError(f"{path}: entry {i, j, k} differs from {p}")
        n += 1
    return n


def verify(tree, out_dir):
    total = 0
    for sr in RUNS:
        n = verify_background(tree, out_dir, sr)
        total += n
        print(f"{sr}: background_{sr}.npz: {n} arrays equal to the release files")
        m = verify_mono(tree, out_dir, sr)
        if m is None:
            print(f"{sr}: mono_{sr}.npz not checked (the release tree has no templates/{sr}/mono/*.h5)")
        else:
            total += m
            print(f"{sr}: mono_{sr}.npz: {m} templates equal to the release files")
    print(f"VERIFY OK ({total} comparisons)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("pack", "verify"))
    parser.add_argument("release_tree", type=Path)
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    try:
        (pack if args.command == "pack" else verify)(args.release_tree, args.out_dir)
    except ValueError as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
