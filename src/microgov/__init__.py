"""microgov — community micro-governance (社区微治理) as a library."""

from microgov._version import __version__

__all__ = ["__version__"]
