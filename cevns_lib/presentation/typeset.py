"""Plain-text formulas as TeX: ``chi^2 = X^2 / (N_SM + sigma_alpha^2 X^2)`` -> ``$\\chi^2 = X^2/(N_{\\rm SM} + ...)$``.

The register of choices (data/choices.toml) and a few records of the library (the phase scans of
:mod:`cevns_lib.statistics.regions`) write formulas as plain text, readable in a terminal. The book shows them
typeset: :func:`typeset` finds the formula-like runs of a text and writes each as inline TeX between dollars
(which the book's Markdown and :class:`~cevns_lib.presentation.formatting.Table` typeset with MathJax).

What counts as a formula: a name with a subscript or superscript (``N_SM``, ``sigma_alpha^2``, ``cm^-2``,
``U_(alpha k)``, ``N_POT^(-1/4)``), a Greek letter written as a word (``delta``, ``Lambda``), a number in
e-notation (``2.3e13``), ``sqrt(...)``, and what connects them (numbers, single letters, operators and balanced
parentheses). Plain words end a run, so ``the limits scale as flux^(-1/4)`` keeps its words. Text between
backticks, existing ``$...$`` TeX, MyST roles (``{ref}`...```), and identifiers such as ``arXiv:1905.03750`` or
file and code names (``flux_cm2_s``, ``baseline_m``: lower-case words joined by underscores that are not
formulas) are left alone.
"""

import re

__all__ = ["GREEK", "typeset", "formula_tex", "leftover_ascii_maths"]

GREEK = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "kappa", "lambda", "mu", "nu",
         "xi", "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda",
         "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega")
_GREEK_ALT = {"eps": "epsilon"}
_FUNCTIONS = {"sqrt", "ln", "log", "exp", "sin", "cos", "tan", "sum", "int", "min", "max"}
_UNITS = {"cm", "s", "m", "km", "fm", "eV", "keV", "MeV", "GeV", "TeV", "kg", "t", "yr", "d", "us", "ns", "sr"}
# subscripts and superscripts that are words (upright): descriptive labels, not products of variables
_UPRIGHT = {"SM", "EM", "NSI", "PE", "POT", "th", "meas", "stat", "ss", "on", "off", "thr", "max", "min", "obs",
            "eff", "tot", "cap", "ly", "qy", "sun", "crit", "lim", "current", "future", "cur", "fut", "sol", "nr",
            "ee", "ac", "brn", "nin", "CEvNS", "SNS", "det", "targ", "res", "fit", "exp", "data", "tree", "NU", "FC",
            "V", "A", "T", "mol", "sys", "syst"}
# names the general rules would get wrong
_SPECIAL = {
    "P2nu_e1": r"P^{2\nu}_{e1}", "q0_obs": r"q_{0,\rm obs}", "anti-nu_mu": r"\bar\nu_\mu", "anti-nu_e": r"\bar\nu_e",
    "anti-nu_tau": r"\bar\nu_\tau", "mu_numu": r"\mu_{\nu_\mu}", "mu_nue": r"\mu_{\nu_e}",
    "mu_nutau": r"\mu_{\nu_\tau}",
    "q_nul": r"q_{\nu_\ell}", "r^2_nul": r"r^2_{\nu_\ell}", "Q_ll'": r"Q_{\ell\ell'}",
    "s13^2": r"s_{13}^2",
    "c13^2": r"c_{13}^2", "hbar": r"\hbar", "nu_1": r"\nu_1", "nu_2": r"\nu_2", "nu_3": r"\nu_3",
    "P_e alpha": r"P_{e\alpha}", "U_alpha j": r"U_{\alpha j}", "U_(alpha k)": r"U_{\alpha k}",
    # the library's names of the electromagnetic parameters
    **{f"{kind}_nu{f}": tex.format(f=sub) for f, sub in (("e", "e"), ("mu", r"\mu"), ("tau", r"\tau"))
       for kind, tex in (("r2", r"\langle r^2_{{\nu_{f}}}\rangle"), ("q", r"q_{{\nu_{f}}}"))},
}
_SUPERSCRIPT = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")

# pieces of text never touched
_PROTECT = re.compile(r"`[^`]*`|\$[^$]+\$|\b[Cc]hi-squares?d?\b|\{[a-z:]+\}`[^`]*`|\b(?:arXiv|doi|DOI):\S+|https?://\S+"
                      r"|\b[A-Za-z0-9]+(?:\.[A-Za-z0-9_]+)+\(\)|\b\w+\.(?:toml|csv|yaml|py|npz|root|json|txt)\b")
_GROUP = r"(?:\([^()]*\)|\{[^{}]*\}|[-+]?[A-Za-z0-9']+(?:\.[0-9]+)?)"
_SCRIPTED = re.compile(rf"(?:[A-Za-z][A-Za-z0-9]*|\d+|\)|\||>)(?:[_^]{_GROUP})+")
_ENUM = re.compile(r"(?<![\w.])([-+]?\d+(?:\.\d+)?)[eE]([-+]?\d+)(?![\w.])")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9']*")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?%?")
_OPS = ("<=", ">=", "->", "+-", "=", "+", "-", "−", "/", "*", "<", ">", "~", "x", ":", "|")
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+){1,}\b")       # code names such as flux_cm2_s


def _greek(word):
    word = _GREEK_ALT.get(word, word)
    return "\\" + word if word in GREEK else None


def _script(group, kind):
    """TeX of the content of a subscript or superscript."""
    if group.startswith("(") and group.endswith(")") or group.startswith("{") and group.endswith("}"):
        inner = group[1:-1].strip()
    else:
        inner = group
    if kind == "^" and re.fullmatch(r"[-+]?\d+(?:/\d+)?", inner):
        return inner if len(inner) == 1 else "{" + inner + "}"
    parts = inner.split()
    out = []
    for p in parts:
        g = _greek(p)
        if g:
            out.append(g)
        elif p in _UPRIGHT or (len(p) > 1 and p.isalpha() and not (len(p) <= 2 and p.islower())):
            out.append(r"{\rm " + p + "}")
        else:
            out.append(_atom_inner(p))
    tex = " ".join(out)
    if len(tex) == 1 or (len(out) == 1 and out[0].startswith("{") and out[0].endswith("}")):
        return tex
    return "{" + tex + "}"


def _atom_inner(text):
    """TeX of a short piece inside a script: greek words and nested scripts."""
    m = _SCRIPTED.fullmatch(text)
    if m:
        return _scripted(text)
    g = _greek(text)
    return g if g else text


_UNIT_BASES = {"cm", "fm", "km", "eV", "keV", "MeV", "GeV", "TeV", "kg", "yr"}


def _base(base, first_script=""):
    g = _greek(base)
    if g:
        return g
    if base in ("sin", "cos", "tan", "ln", "log", "exp", "sum", "int", "prod"):
        return "\\" + base
    if base in _UNIT_BASES or base in ("s", "m") and re.fullmatch(r"\^\(?-\d+\)?", first_script or ""):
        return r"{\rm " + base + "}"
    m = re.fullmatch(r"([A-Za-z])(\d+)", base)
    if m:                                                   # s13 -> s_13, q0 -> q_0
        return f"{m.group(1)}_{{{m.group(2)}}}"
    if len(base) > 1 and base.isalpha() and not base.isupper():
        return r"{\rm " + base + "}"
    return base


def _scripted(text):
    """TeX of one name with its subscripts and superscripts."""
    if text in _SPECIAL:
        return _SPECIAL[text]
    m = re.match(r"[A-Za-z][A-Za-z0-9]*|\d+|\)|\||>", text)
    base, rest = m.group(0), text[m.end():]
    first = re.match(rf"[_^]{_GROUP}", rest)
    head = {")": ")", "|": "|", ">": r"\rangle"}.get(base) or _base(base, first.group(0) if first else "")
    if "_" in head and rest.startswith("_"):          # s13_x: the index of the base and a subscript, kept apart
        head = "{" + head + "}"
    out = [head]
    for sm in re.finditer(rf"([_^])({_GROUP})", rest):
        out.append(sm.group(1) + _script(sm.group(2), sm.group(1)))
    return "".join(out)


_NUCLIDE_TOKEN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+[A-Z][a-z]?")


def _tokens(text):
    """Split a formula-like text into tokens: scripted names, numbers, words, operators, parentheses, spaces."""
    pos, out = 0, []
    while pos < len(text):
        m = _NUCLIDE_TOKEN.match(text, pos)
        if m:
            out.append(("nuclide", m.group(0)))
            pos = m.end()
            continue
        for kind, rx in (("special", None), ("enum", _ENUM), ("scripted", _SCRIPTED), ("number", _NUMBER),
                         ("word", _WORD)):
            if kind == "special":
                hit = next((s for s in sorted(_SPECIAL, key=len, reverse=True) if text.startswith(s, pos)
                            and not (pos > 0 and text[pos - 1].isalnum())
                            and not (pos + len(s) < len(text) and (text[pos + len(s)].isalnum()
                                                                   or text[pos + len(s)] in "_^"))), None)
                if hit:
                    out.append(("special", hit))
                    pos += len(hit)
                    break
                continue
            m = rx.match(text, pos)
            if m and m.end() > pos:
                if kind == "number" and pos > 0 and (text[pos - 1].isalnum()):
                    continue
                out.append((kind, m.group(0)))
                pos = m.end()
                break
        else:
            ch = text[pos]
            if ch.isspace():
                end = pos
                while end < len(text) and text[end].isspace():
                    end += 1
                out.append(("space", text[pos:end]))
                pos = end
                continue
            two = text[pos:pos + 2]
            if two in ("<=", ">=", "->", "+-"):
                out.append(("op", two))
                pos += 2
            else:
                out.append(("op" if ch in "=+-−/*<>~|" else "punct", ch))
                pos += 1
    return out


def _strong(tok):
    kind, t = tok
    if kind in ("special", "scripted", "enum") or kind == "op" and t in ("<=", ">="):
        return True
    return kind == "word" and (_greek(t) is not None or t == "sqrt")


def _connector(tok):
    kind, t = tok
    if kind in ("number", "op", "space") or _strong(tok):
        return True
    if kind == "word":            # a variable, a function, a differential (dE), a name with an index (s13, q0)
        return len(t) == 1 or t in _FUNCTIONS or bool(re.fullmatch(r"d[A-Za-z]|[A-Za-z]\d{1,2}", t))
    return kind == "punct" and t in "()"


def formula_tex(tokens):
    """TeX of a run of tokens (see :func:`_tokens`)."""
    out = []
    i = 0
    while i < len(tokens):
        kind, t = tokens[i]
        if kind == "special":
            out.append(_SPECIAL[t])
        elif kind == "scripted":
            out.append(_scripted(t))
        elif kind == "enum":
            m = _ENUM.fullmatch(t)
            mant = m.group(1)
            sign = mant[0] if mant[0] in "+-" else ""
            mant = mant.lstrip("+-")
            out.append(sign + ("" if mant == "1" else mant + r"\times ") + "10^{" + str(int(m.group(2))) + "}")
        elif kind == "word":
            g = _greek(t)
            if g:
                out.append(g + " ")
            elif t == "sqrt" and i + 1 < len(tokens) and tokens[i + 1][1] == "(":
                depth, j = 0, i + 1
                while j < len(tokens):
                    depth += {"(": 1, ")": -1}.get(tokens[j][1], 0)
                    if depth == 0:
                        break
                    j += 1
                out.append(r"\sqrt{" + formula_tex(tokens[i + 2:j]) + "}")
                i = j
            elif t in ("ln", "log", "exp", "sin", "cos", "tan", "min", "max", "sum", "int"):
                out.append("\\" + t + " ")
            elif t == "x" and _between_quantities(tokens, i):
                out.append(r"\times ")
            elif re.fullmatch(r"[A-Za-z]\d{1,2}", t):
                out.append(_base(t))
            elif re.fullmatch(r"d[A-Za-z]", t):
                out.append(r"{\rm d}" + t[1])
            elif t in _UNITS and _after_number(tokens, i):
                out.append(r"\,{\rm " + t + "}")
            else:
                out.append(t if len(t) == 1 else r"{\rm " + t + "}")
        elif kind == "op" and t == "<" and i + 1 < len(tokens) and tokens[i + 1][0] != "space":
            out.append(r"\langle ")
        elif kind == "op" and t == ">" and i > 0 and tokens[i - 1][0] != "space":
            out.append(r"\rangle ")
        elif kind == "op":
            out.append({"<=": r"\le ", ">=": r"\ge ", "->": r"\to ", "+-": r"\pm ", "*": r"\,", "~": r"\sim ",
                        "−": "-", "|": "|"}.get(t, t))
        elif kind == "number":
            out.append(t.replace("%", r"\%"))
        elif kind == "space":
            out.append(" ")
        else:
            out.append(t)
        i += 1
    tex = "".join(out)
    tex = re.sub(r"\\(\w+) (?=[_^}),.])", r"\\\1", tex)          # "\alpha _" -> "\alpha_"
    return re.sub(r" {2,}", " ", tex).strip()


def _paren(tok):
    """The change of parenthesis depth of a token (a name like ")^2" closes one)."""
    kind, t = tok
    if kind == "scripted" and t.startswith(")"):
        return -1
    return {"(": 1, ")": -1}.get(t, 0) if kind == "punct" else 0


def _neighbour(tokens, i, step):
    j = i + step
    while 0 <= j < len(tokens) and tokens[j][0] == "space":
        j += step
    return tokens[j] if 0 <= j < len(tokens) else ("none", "")


def _between_quantities(tokens, i):
    """An "x" between two quantities (10 x 2.085e23, F^(1/4) x 1.04) is a multiplication sign."""
    before, after = _neighbour(tokens, i, -1), _neighbour(tokens, i, 1)
    return (before[0] in ("number", "enum", "scripted", "special") or before[1] == ")") and \
        (after[0] in ("number", "enum", "scripted", "special") or after[1] == "(" or _strong(after))


def _after_number(tokens, i):
    j = i - 1
    while j >= 0 and tokens[j][0] == "space":
        j -= 1
    return j >= 0 and tokens[j][0] in ("number", "enum")


def _balanced(tokens):
    depth = 0
    for tok in tokens:
        depth += _paren(tok)
        if depth < 0:
            return False
    return depth == 0


def _runs(tokens):
    """Index ranges [a, b) of the formula runs of a token list."""
    runs, i = [], 0
    n = len(tokens)
    while i < n:
        if not _strong(tokens[i]) or _is_code_name(tokens, i):
            i += 1
            continue
        a, b = i, i + 1
        while a > 0 and _connector(tokens[a - 1]) and not _is_code_name(tokens, a - 1):
            a -= 1
        while b < n and _connector(tokens[b]) and not _is_code_name(tokens, b):
            b += 1
        a, b = _trim(tokens, a, b, i)
        if a < b and any(_strong(t) for t in tokens[a:b]):
            runs.append((a, b))
        i = max(b, i + 1)
    return runs


_LEAD = ("-", "=", ":", "/", "x", "~", "+")
_TAIL = ("-", "=", ":", "/", "+", "x", "~")


def _trim(tokens, a, b, core):
    """Shrink the run [a, b) around its strong token ``core``: no spaces or prose operators at its ends, balanced
    parentheses and absolute-value bars."""
    for _ in range(4 * (b - a) + 4):
        if a >= b:
            break
        ta, tb = tokens[a], tokens[b - 1]
        if ta[0] == "space" or (ta[1] in _LEAD and not _strong(ta) and a < core) or (ta[1] in ("a", "I") and a < core):
            a += 1
            continue
        if tb[0] == "space" or (tb[1] in _TAIL and b - 1 > core):
            b -= 1
            continue
        bars = [k for k in range(a, b) if tokens[k][1] == "|" or tokens[k][0] == "scripted"
                and tokens[k][1].startswith("|")]
        if len(bars) % 2:
            if bars[0] < core:
                a = bars[0] + 1
            else:
                b = bars[-1]
            continue
        if _balanced(tokens[a:b]):
            break
        # an unmatched "(" left of the core, or an unmatched ")" right of it: cut there
        opens, cut = [], None
        for k in range(a, b):
            d = _paren(tokens[k])
            if d > 0:
                opens.append(k)
            elif d < 0:
                if opens:
                    opens.pop()
                elif k >= core:
                    cut = ("b", k)
                    break
                else:
                    cut = ("a", k + 1)
                    break
        if cut is None and opens:
            k = opens[0]
            cut = ("a", k + 1) if k < core else ("b", k)
        if cut is None:
            break
        if cut[0] == "a":
            a = cut[1]
        else:
            b = cut[1]
    return a, b


def _is_code_name(tokens, i):
    """A token that is a code identifier (``flux_cm2_s``, ``baseline_m``, ``YEAR_S``) rather than a formula."""
    kind, t = tokens[i]
    return kind == "scripted" and _code_like(t)


def _code_like(t):
    if t in _SPECIAL or "^" in t or "_" not in t:
        return False
    base = t.split("_")[0]
    if _greek(base) or base in _FUNCTIONS:
        return False
    sub = t.split("_")[1]
    return (t.count("_") >= 2 and bool(_SNAKE.fullmatch(t)) or len(base) >= 4 and base.islower()
            or len(base) >= 2 and base.isupper() and t.replace("_", "").isupper()
            or len(base) >= 2 and base.islower() and len(sub) >= 4 and sub.isalpha() and sub.islower()
            and not _greek(sub))


_ELEMENTS = ("H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar",
             "K", "Ca", "Fe", "Ge", "Kr", "Mo", "Cd", "Te", "I", "Xe", "Cs", "W", "Pb", "Np", "U", "Pu")
_NUCLIDE = re.compile(r"(?<![\w:.])(\d{1,3})(" + "|".join(sorted(_ELEMENTS, key=len, reverse=True)) + r")(?![\w:])")


def _nuclides(text):
    """Mass numbers as superscripts: '238U' -> '²³⁸U' (not '2Ge:1Si', a mass ratio)."""
    return _NUCLIDE.sub(lambda m: m.group(1).translate(_SUPERSCRIPT) + m.group(2) if int(m.group(1)) >= 6
                        else m.group(0), text)


def _typeset_plain(text):
    text = _nuclides(text)
    tokens = _tokens(text)
    runs = _runs(tokens)
    if not runs:
        return _prose(text)
    out, pos = [], 0
    for a, b in runs:
        out.append(_prose("".join(t for _, t in tokens[pos:a])))
        out.append("$" + formula_tex(tokens[a:b]) + "$")
        pos = b
    out.append(_prose("".join(t for _, t in tokens[pos:])))
    return "".join(out)


def _prose(text):
    """Text between formulas: a lone "x" between words is a multiplication sign (mass x flux)."""
    return re.sub(r"(?<=[\s(])x(?=\s)", "×", text)


def typeset(text):
    """The text with each plain-text formula written as inline TeX between dollars (see the module docstring)."""
    text = str(text)
    out, pos = [], 0
    for m in _PROTECT.finditer(text):
        out.append(_typeset_plain(text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_typeset_plain(text[pos:]))
    return "".join(out)


_LEFTOVER = re.compile(r"(?<![\w\\])(?:[A-Za-z][A-Za-z0-9]*|\))(?:[_^][-+(]?[A-Za-z0-9]+\)?)+|\b(?:" + "|".join(GREEK)
                       + r")\b"
                       r"|(?<![\w.])\d+(?:\.\d+)?e[-+]?\d+(?![\w.])")


def leftover_ascii_maths(text):
    """The plain-text formula pieces left in ``text`` outside TeX, code and roles (for tests of typeset text)."""
    bare = _PROTECT.sub(" ", str(text))
    return [m.group(0) for m in _LEFTOVER.finditer(bare) if not _code_like(m.group(0))]
