"""Formatting helpers: every number a chapter prints goes through these, so the stored text is stable."""

import math


def fmt(x, sig=4):
    """A number rounded to ``sig`` significant digits as text ('inf' and 'nan' kept; None -> '-')."""
    if x is None:
        return "-"
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return str(x)
    if x == 0:
        return "0"
    return f"{x:.{sig}g}"


def table(rows, headers, sig=4):
    """A plain-text table (monospace, right-aligned numbers) from a list of row sequences."""
    cells = [[c if isinstance(c, str) else fmt(c, sig) for c in row] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) if cells else len(str(h)) for i, h in enumerate(headers)]
    line = "  ".join(str(h).rjust(w) for h, w in zip(headers, widths))
    out = [line, "-" * len(line)]
    out += ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in cells]
    return "\n".join(out)
