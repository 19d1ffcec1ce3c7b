"""Running the `cevns` command in tests: in this process (fast), or as a real subprocess where it matters.

``cevns(*args)`` calls :func:`cevns_lib.cli.main` with the arguments and returns a
:class:`subprocess.CompletedProcess` (returncode, stdout, stderr) as a subprocess would. With ``env`` (an
environment to add, e.g. ``CEVNS_DATA``) or ``subprocess=True`` the command runs in a new Python process instead:
the library caches what it reads, so a changed data folder needs a fresh process.
"""

import contextlib
import io
import os
import subprocess as sp
import sys

from cevns_lib import cli


def cevns(*args, env=None, cwd=None, subprocess=False, timeout=300):
    if env is not None or subprocess:
        full_env = {k: v for k, v in os.environ.items() if k not in ("CEVNS_DATA", "CEVNS_DEBUG")}
        full_env.update(env or {})
        return sp.run([sys.executable, "-m", "cevns_lib", *args], capture_output=True, text=True, timeout=timeout,
                      env=full_env, cwd=cwd)
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    saved = {k: os.environ.pop(k) for k in ("CEVNS_DATA", "CEVNS_DEBUG") if k in os.environ}
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(list(args), out=out)
    finally:
        os.chdir(here)
        os.environ.update(saved)
    return sp.CompletedProcess(["cevns", *args], code, out.getvalue(), err.getvalue())
