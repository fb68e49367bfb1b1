"""fedforge's test stand-in for NVFlare (see ../README.md)."""

__version__ = "2.8.0"
