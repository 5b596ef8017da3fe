"""Shared machinery: base models, scoping, permissions, change log, codes, exports."""
