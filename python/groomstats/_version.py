"""The package version, taken from the compiled core (Cargo.toml is the one place it is set)."""

from groomstats._core import __version__

__all__ = ["__version__"]
