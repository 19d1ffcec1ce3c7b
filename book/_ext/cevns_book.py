"""Sphinx hooks of the book (loaded through ``sphinx.local_extensions`` in ``_config.yml``).

* MathJax offline: the MathJax 3 build shipped by the pinned PyPI package ``django-static-mathjax`` is
  copied into ``_static/mathjax/`` of the built site, and ``mathjax_path`` (set in ``_config.yml``) points
  there, so every formula renders without a network.
* One copy of each inline script: sphinx-thebe and sphinx-togglebutton register their inline scripts twice
  (once with the file name None, once with ""); the second copy of the thebe one redeclares a ``const``
  and the browser reports a script error.
* The site's root page has the book's icon: the ``index.html`` that sends a browser to the first chapter (which
  sphinx-external-toc writes as a bare ``<meta http-equiv="Refresh">``, so the browser asks the server for
  /favicon.ico, a 404) is written here as a small HTML page with the redirect, a link and the favicon.
* The API page (book/api.md, autodoc): every docstring is shown as written, in a literal block. The library's
  docstrings are plain text with units and formulas (``|Lambda_i|``, ``mu_B^2``) that reStructuredText would
  misread as markup.
* Numbers glued from other chapters stay current: a page that pastes a value from another notebook
  (``{glue:text}`summary.ipynb::key```, the introduction) depends on that notebook's source, so an
  incremental build re-reads it whenever the notebook changes.
"""

import html
import shutil
from pathlib import Path

MATHJAX_SUBDIR = "mathjax"
# Only what the tex-chtml component needs at run time: the bundle, its fonts, the TeX extensions
# (autoloaded on demand) and the menu / accessibility parts (loaded on demand). The 20 MB speech-rule
# engine and the other combined bundles are left out.
_SKIP = {"sre", "tex-chtml-full.js", "tex-chtml-full-speech.js", "tex-svg-full.js", "tex-mml-svg.js",
         "tex-svg.js", "mml-svg.js", "node-main.js"}


def mathjax_source():
    import mathjax  # django-static-mathjax

    src = Path(mathjax.__path__[0]) / "static" / "mathjax" / "es5"
    if not (src / "tex-chtml.js").exists():
        raise RuntimeError(f"MathJax not found at {src}: pip install -r requirements.txt")
    return src


def copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    dest = Path(app.outdir) / "_static" / MATHJAX_SUBDIR
    if (dest / "tex-chtml.js").exists():
        return
    shutil.copytree(mathjax_source(), dest, dirs_exist_ok=True,
                    ignore=lambda d, names: [n for n in names if n in _SKIP])


ROOT_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Refresh" content="0; url={target}">
<link rel="icon" href="{icon}">
<title>{title}</title>
</head>
<body><p><a href="{target}">{title}</a></p></body>
</html>
"""


def write_root_page(app, exception):
    """index.html of the site: a redirect to the root document, with the favicon (runs before
    sphinx-external-toc's own redirect, which then leaves the file alone)."""
    if exception is not None or app.builder.name != "html" or app.config.root_doc == "index":
        return
    favicon = app.config.html_favicon
    if not favicon:
        return
    icon = favicon if "://" in favicon else f"_static/{Path(favicon).name}"
    target = f"{app.config.root_doc}.html"
    title = html.escape(app.config.html_title or app.config.project or "")
    (Path(app.outdir) / "index.html").write_text(
        ROOT_PAGE.format(target=html.escape(target), icon=html.escape(icon), title=title), encoding="utf8")


def dedupe_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for js in context.get("script_files", []):
        key = (str(getattr(js, "filename", js) or ""),
               tuple(sorted((k, str(v)) for k, v in getattr(js, "attributes", {}).items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(js)
    context["script_files"][:] = unique


def note_glue_sources(app, doctree):
    """Make a page depend on the notebooks it pastes glued values from (cross-document glue)."""
    from myst_nb.ext.glue.utils import PendingGlueReference

    env = app.env
    for node in doctree.findall(PendingGlueReference):
        env.note_dependency(str(env.doc2path(node.refdoc)))


def literal_docstring(app, what, name, obj, options, lines):
    """Show a docstring verbatim (autodoc-process-docstring): a literal block of its lines."""
    if any(line.strip() for line in lines):
        body = ["    " + line if line.strip() else "" for line in lines]
        lines[:] = [".. code-block:: text", "", *body, ""]


def setup(app):
    mathjax_source()                                  # fail early, with a clear message
    app.connect("build-finished", copy_mathjax)
    app.connect("build-finished", write_root_page, priority=400)      # before sphinx-external-toc (500)
    app.connect("html-page-context", dedupe_scripts, priority=100)
    app.connect("doctree-read", note_glue_sources)
    app.connect("autodoc-process-docstring", literal_docstring)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
