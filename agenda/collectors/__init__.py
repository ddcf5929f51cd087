"""Collectors: fetch actors' feeds and turn their bytes into normalised event records.

One module per stage (fetcher, detect, one parser per format, normalize, sanitize, schedule),
and one orchestrator, :mod:`agenda.collectors.refresh`.
"""
