"""Agenda commun: a collaborative regional calendar for the social and solidarity economy."""

__version__ = "0.1.0"
