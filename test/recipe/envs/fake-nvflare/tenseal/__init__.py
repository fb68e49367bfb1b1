"""fedforge's test stand-in for TenSEAL (see ../README.md)."""

__version__ = "0.3.16"
