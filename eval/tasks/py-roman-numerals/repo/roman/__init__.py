"""Roman numerals for the report generator."""

from .convert import to_roman

__all__ = ["to_roman"]
