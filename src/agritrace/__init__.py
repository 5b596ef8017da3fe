"""AgriTrace: the county/provincial agricultural product traceability and ID-card platform."""

__version__ = "0.1.0"
