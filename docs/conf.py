"""Sphinx configuration for the microgov documentation.

Build with ``sphinx-build -W --keep-going -b html docs docs/_build/html`` (and ``-b doctest``
to run the examples in the pages). The package is imported from ``src/`` when it is not
installed, so a plain checkout builds too.
"""

from __future__ import annotations

import sys
from pathlib import Path

_SRC = Path(__file__).resolve().parent.parent / "src"
if _SRC.is_dir() and str(_SRC) not in sys.path:
    sys.path.insert(0, str(_SRC))

sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))  # local extensions

from sphinx.ext.autodoc import ClassDocumenter  # noqa: E402

import microgov  # noqa: E402  (needs the path above)
from microgov._public import DEFINED_IN  # noqa: E402

# -- Project -------------------------------------------------------------------------------

project = "microgov"
author = "microgov developers"
copyright = "the microgov developers; Apache-2.0"
release = microgov.__version__
version = ".".join(release.split(".")[:2])

# -- General -------------------------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    "statediagram",  # docs/_ext: the lifecycle diagrams drawn at build time, as inline SVG
    "reasons_table",  # docs/_ext: the reason-code table, built from microgov.policy.REASONS
    "metrics_table",  # docs/_ext: the indicator table, built from microgov.metrics.CATALOGUE
    "law_table",  # docs/_ext: the law page's tables, built from the presets and PROVISIONS
]
# No intersphinx: the build machines have no internet, and a failed inventory fetch
# breaks a -W build. Link external names explicitly instead.

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
language = "en"
nitpicky = False

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- autodoc and napoleon --------------------------------------------------------------------

# Subpackages keep their code in private modules and re-export the public names with
# ``__all__``. For a module that defines ``__all__``, autodoc documents exactly the
# names listed there, including those imported from private modules (it only filters
# imported objects out when there is no ``__all__``).
autodoc_default_options = {
    "members": True,
    "show-inheritance": True,
    "member-order": "bysource",
}


def _defining_module(self: ClassDocumenter) -> str:
    """Read a published class's source (attribute docs) from the module that defines it.

    ``microgov._public.publish`` shows exported classes under their public package
    (``microgov.store.EventStore``); their attribute docstrings are in the private module.
    """
    return DEFINED_IN.get(self.object, None) or _real_modname(self)


_real_modname = ClassDocumenter.get_real_modname
ClassDocumenter.get_real_modname = _defining_module  # type: ignore[method-assign]

autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"

napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
napoleon_attr_annotations = True

# -- doctest ---------------------------------------------------------------------------------

# Docstrings are doctested by pytest (--doctest-modules); the builder runs the pages.
doctest_test_doctest_blocks = ""
doctest_global_setup = "import microgov"

# -- HTML ------------------------------------------------------------------------------------

html_theme = "furo"
html_title = f"microgov {release}"
html_static_path: list[str] = []
