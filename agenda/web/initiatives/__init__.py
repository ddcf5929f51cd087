"""The public list and pages of initiatives."""
