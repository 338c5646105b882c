"""The installed version of microgov."""

__version__ = "0.1.0.dev0"
