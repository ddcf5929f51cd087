"""Exports: every listing as iCalendar (RFC 5545) and Atom (RFC 4287), cached (no Flask here).

``ics_text`` writes content lines, ``ics_event`` one VEVENT, ``vtimezone`` the zones,
``ics`` assembles a calendar; ``selection`` reads which events go out, ``series`` decides how;
``atom`` writes the feed; ``version`` and ``cache`` make repeated requests cheap, and
``conditional`` answers If-None-Match / If-Modified-Since.
"""
