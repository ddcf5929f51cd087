"""The catalogue of what collecting a source can say: errors, warnings and what to do.

Each collector error and parser warning carries a stable code and the values written in it
(``agenda/collectors/notice.py``); here each code (``code:variant`` when one code has several
sentences) has its English msgid, word for word the sentence the collector writes, its
``{value}`` written ``%(value)s``.  ``tests/collectors/test_error_messages.py`` walks the
collectors and checks each sentence they build is here, with a French translation.
"""

from __future__ import annotations

from agenda.messages import N_

ERRORS = {
    # Fetching
    "fetch.scheme": N_("The address %(url)s is not a web address: it must start with http:// "
                       "or https:// and name a server."),
    "fetch.scheme:invalid": N_("The address %(url)s is not a valid web address."),
    "fetch.scheme:redirect": N_("The server redirected to %(location)s, which is not a valid web "
                                "address."),
    "fetch.dns": N_("The server name %(host)s could not be found."),
    "fetch.forbidden_address": N_("The name %(host)s leads to %(address)s, which is private or "
                                  "local; only public addresses can be collected."),
    "fetch.forbidden_address:address": N_("The address %(address)s is private or local; only "
                                          "public addresses can be collected."),
    "fetch.redirects:too_many": N_("The address redirected more than %(count)s times; "
                                   "collection was stopped."),
    "fetch.redirects:no_location": N_("The server answered with a redirect (HTTP %(status)s) "
                                      "but did not say where to."),
    "fetch.redirects:loop": N_("The address redirects in a loop (back to %(url)s)."),
    "fetch.http_status": N_("The server answered HTTP %(status)s (%(reason)s)."),
    "fetch.http_status:unknown": N_("The server answered HTTP %(status)s."),
    "fetch.too_large": N_("The file is larger than the %(max_bytes)s limit."),
    "fetch.timeout": N_("The server %(host)s stopped answering for too long."),
    "fetch.timeout:download": N_("The download took longer than %(seconds)s seconds and was "
                                 "stopped."),
    "fetch.timeout:connect": N_("The server %(host)s did not accept the connection within "
                                "%(seconds)s seconds."),
    "fetch.reset": N_("The server %(host)s reset the connection before answering in full."),
    "fetch.reset:opening": N_("The server %(host)s reset the connection while it was being "
                              "opened."),
    "fetch.refused": N_("The server %(host)s refused the connection (nothing accepts "
                        "connections on that port)."),
    "fetch.connect": N_("Could not connect to %(host)s: the server or its network is "
                        "unreachable."),
    "fetch.tls_certificate": N_("The secure connection to %(host)s was refused: its certificate "
                                "could not be verified (expired, self-signed, or issued for "
                                "another name)."),
    "fetch.tls": N_("The secure connection to %(host)s failed during the handshake: the server "
                    "does not speak HTTPS on this port, or not a version we accept."),
    "fetch.no_answer": N_("The server %(host)s closed the connection without answering."),
    "fetch.truncated": N_("The server %(host)s closed the connection before sending the whole "
                          "file."),
    "fetch.not_http": N_("The server %(host)s did not answer in HTTP (it may be another kind of "
                         "service on this port)."),
    "fetch.too_many_headers": N_("The server %(host)s sent too many headers; the answer was "
                                 "refused."),
    "fetch.header_too_long": N_("The server %(host)s sent a header line that is too long; the "
                                "answer was refused."),
    "fetch.bad_response": N_("The server %(host)s sent an answer that is not valid HTTP."),
    "fetch.bad_response:decoding": N_("The answer from %(host)s could not be decoded."),
    # Reading
    "parse.empty": N_("The address returned an empty document."),
    "parse.html_page": N_("The address returns a web page, not a calendar or a feed."),
    "parse.html_page:feed": N_("The address returns a web page, not a feed."),
    "parse.unknown_format": N_("This is neither an iCalendar file nor an RSS or Atom feed."),
    "parse.not_feed": N_("This is not an RSS or Atom feed."),
    "parse.not_feed:unreadable": N_("The feed could not be read."),
    "parse.not_ical": N_("This is not an iCalendar file."),
    "parse.truncated": N_("The calendar is cut short: END:VCALENDAR is missing."),
    "parse.syntax": N_("Parse error at line %(line)s: %(detail)s."),
    "parse.syntax:no_line": N_("Parse error: %(detail)s."),
    "parse.nothing_usable": N_("None of the %(count)s events of this calendar could be read. "
                               "%(detail)s"),
    "parse.nothing_usable:alone": N_("None of the %(count)s events of this calendar could be "
                                     "read."),
    "parse.too_large": N_("This source is too large to read within the memory allowed."),
    # OpenAgenda API
    "openagenda.key_refused": N_("OpenAgenda refused the API key of this source (it may have "
                                 "been revoked)."),
    "openagenda.not_json": N_("The OpenAgenda answer is not valid JSON."),
    "openagenda.no_events": N_("The OpenAgenda answer holds no list of events."),
    "openagenda.error": N_("OpenAgenda answered with an error: %(detail)s."),
    "openagenda.no_key": N_("OpenAgenda asks for an API key, and this source has none."),
    "openagenda.unknown_agenda": N_("OpenAgenda knows no agenda named %(slug)s."),
    "parse.unknown_json": N_("This JSON document is neither an OpenAgenda answer nor an events "
                             "API answer of The Events Calendar."),
    # The Events Calendar's REST API (WordPress)
    "tribe.not_json": N_("The events API answer is not valid JSON."),
    "tribe.no_events": N_("The events API answer holds no list of events."),
    "tribe.error": N_("The WordPress site answered with an error: %(error)s."),
    # schema.org events in JSON-LD
    "parse.no_jsonld_events": N_("The page holds no schema.org events in JSON-LD."),
    "parse.no_jsonld_events:unreadable": N_("None of the %(count)s events of this page could "
                                            "be read."),
    # The collection itself
    "collect.internal": N_("An unexpected error happened while reading this source; it has "
                           "been logged for the administrators."),
    "collect.interrupted": N_("The last collection of this source stopped before finishing "
                              "(the collector was killed or ran out of memory)."),
    "collect.claim_lost": N_("Another worker took this source over while it was being collected "
                             "(this collection outlived its claim); nothing was written."),
}

WARNINGS = {
    "warnings.more": N_("... and %(count)s more warnings."),
    # RSS and Atom feeds
    "feed.tolerant": N_("The feed is not well-formed XML; it was read in tolerant mode."),
    "feed.undated": N_("%(count)s item(s) carry no event dates (news or blog posts) and were "
                       "skipped."),
    "feed.item_skipped": N_('The item "%(item)s" was skipped: %(reason)s.'),
    "feed.item_repaired": N_('The item "%(item)s": %(reason)s.'),
    "feed.untitled": N_("(untitled)"),
    "feed.unreadable": N_("it could not be read"),
    "feed.no_title": N_("it has no title"),
    "feed.element_unreadable": N_("its %(element)s element could not be read (feedparser drops "
                                  "the text of elements that have attributes)"),
    "feed.start_unreadable": N_('its start date "%(excerpt)s" could not be read'),
    "feed.end_unreadable": N_('its end date "%(excerpt)s" could not be read; the end was '
                              'ignored'),
    "feed.end_before_start": N_("its end is before its start; the end was ignored"),
    # a feed of projects (a source of kind "initiatives")
    "initiatives.too_many": N_("Only the first %(count)s items were read."),
    # schema.org events in JSON-LD
    "jsonld.invalid_json": N_("Script %(index)s of the page is not valid JSON-LD; it was "
                              "ignored."),
    "jsonld.event_skipped": N_('The event "%(item)s" was skipped: %(reason)s.'),
    "jsonld.event_repaired": N_('The event "%(item)s": %(reason)s.'),
    "jsonld.untitled": N_("(untitled)"),
    "jsonld.unreadable": N_("it could not be read"),
    "jsonld.no_name": N_("it has no name"),
    "jsonld.no_start": N_("it has no start date"),
    "jsonld.start_unreadable": N_('its start date "%(excerpt)s" could not be read'),
    "jsonld.end_unreadable": N_('its end date "%(excerpt)s" could not be read; the end was '
                                'ignored'),
    "jsonld.status:postponed": N_('The event "%(item)s" is postponed; its dates may change.'),
    "jsonld.status:rescheduled": N_('The event "%(item)s" was rescheduled; the dates read are '
                                    'the new ones.'),
    "jsonld.status:moved_online": N_('The event "%(item)s" has moved online.'),
    # iCalendar files
    "ical.not_utf8": N_("Some lines are not valid UTF-8; they were read as Windows-1252."),
    "ical.last_calendar_cut": N_("The last calendar is cut short: END:VCALENDAR is missing; it "
                                 "was ignored."),
    "ical.unknown_zone": N_("The calendar time zone '%(zone)s' is unknown; it was ignored."),
    "ical.shared_keys": N_("%(count)s events repeat the UID and RECURRENCE-ID of another event; "
                           "only one of each will be kept."),
    "ical.event_title": N_("'%(title)s'"),
    "ical.event_uid": N_("with UID '%(uid)s'"),
    "ical.event_anonymous": N_("without title or UID"),
    "ical.event_skipped": N_("Skipped event %(event)s: %(reason)s."),
    "ical.no_start": N_("it has no readable start date"),
    "ical.recurrence_id_unreadable": N_("its RECURRENCE-ID cannot be read"),
    "ical.end_before_start": N_("Event %(event)s: the end is before the start; the start was "
                                "used."),
    "ical.property_unreadable": N_("Event %(event)s: %(property)s cannot be read and was "
                                   "ignored."),
    "ical.first_date_kept": N_("Event %(event)s: %(reason)s; only its first date is kept."),
    "ical.rule_unreadable": N_("its repeat rule cannot be read"),
    "ical.repetitions_not_computed": N_("its repetitions cannot be computed"),
    "ical.series_limit": N_("Event %(event)s: more than %(count)s repetitions in the window; "
                            "only the first ones are kept."),
    "ical.series_cut": N_("Event %(event)s: more than %(count)s repetitions in the window (its "
                          "repeat rule makes up to about %(made)s); only the first %(count)s "
                          "are kept, up to %(until)s UTC."),
    "ical.series_cut:dense": N_("Event %(event)s: more than %(count)s repetitions in the window "
                                "(its repeat rule makes up to about %(made)s, more than one an "
                                "hour); only the first %(count)s are kept, up to %(until)s "
                                "UTC."),
    "ical.source_occurrences": N_("This calendar's repeated events make more than %(limit)s "
                                  "occurrences in all; %(count)s of them keep only their first "
                                  "date."),
    "ical.source_time": N_("Reading this calendar took longer than %(seconds)s s; %(count)s "
                           "repeated events keep only their first date."),
    # OpenAgenda API
    "openagenda.event_skipped": N_("Skipped OpenAgenda event %(uid)s: %(reason)s."),
    "openagenda.no_uid": N_("it has no uid"),
    "openagenda.no_title": N_("it has no title"),
    "openagenda.no_timing": N_("it has no readable timing"),
    # The Events Calendar's REST API (WordPress)
    "tribe.event_skipped": N_("Skipped event %(uid)s of the events API: %(reason)s."),
    "tribe.no_id": N_("it has no id"),
    "tribe.no_title": N_("it has no title"),
    "tribe.no_start": N_("it has no readable start date"),
    "tribe.page_limit": N_("The events API still offered more pages after %(count)s pages; "
                           "only those were read."),
    "tribe.page_limit:loop": N_("The events API sent back to a page already read (%(url)s); "
                                "reading stopped there."),
    # Sources read over several documents (API pages, a listing's event pages)
    "read.stopped:events": N_("Reading stopped after %(count)s events (the limit per source); "
                              "the events not read are kept as they were."),
    "read.stopped:pages": N_("Reading stopped after %(count)s pages (the limit per source); "
                             "the events not read are kept as they were."),
    "read.stopped:time": N_("Reading stopped after %(count)s pages: it took longer than the "
                            "time allowed to one source; the events not read are kept as they "
                            "were."),
    "read.stopped:loop": N_("OpenAgenda sent back to a page already read; reading stopped "
                            "there."),
    "jsonld.page_failed": N_("The linked page %(url)s could not be read (%(reason)s); its "
                             "events are kept as they were."),
}

SENTENCES = {**ERRORS, **WARNINGS}

# The reason phrases of the HTTP statuses a source is likely to answer, said in the page's language
HTTP_REASONS = {
    "Bad Request": N_("Bad Request"), "Unauthorized": N_("Unauthorized"),
    "Forbidden": N_("Forbidden"), "Not Found": N_("Not Found"), "Gone": N_("Gone"),
    "Too Many Requests": N_("Too Many Requests"),
    "Internal Server Error": N_("Internal Server Error"), "Bad Gateway": N_("Bad Gateway"),
    "Service Unavailable": N_("Service Unavailable"), "Gateway Timeout": N_("Gateway Timeout"),
}

_UNREACHABLE = N_("Your website did not answer. If the address works in a browser, nothing to "
                  "do: we will try again; if it lasts, tell your web host.")
_NOT_A_WEBSITE = N_("The server does not answer like a website: check the address of the feed "
                    "(https://, no port number).")
_NOT_A_CALENDAR = N_("This is neither a calendar nor a feed: on your agenda, look for the "
                     "“iCal”, “ICS” or “RSS” export link and give that address.")
_DAMAGED = N_("The calendar file is damaged: export it again from your agenda software; if that "
              "does not help, tell its publisher.")
_TOO_LARGE = N_("The file is too large: export only the coming events, or split the calendar.")
_OURS = N_("Nothing to do on your side: the team has been told and will look into it.")

# What the owner of a source can do about its error, by code
HINTS = {
    "http.404": N_("The address leads to a page that does not exist (%(status)s): check the "
                   "link to the feed on your website."),
    "http.401": N_("The server refuses to give the calendar (%(status)s): make the calendar "
                   "public, or give its public export address."),
    "http.4xx": N_("The server refused the request (%(status)s): check the address of the "
                   "feed."),
    "http.5xx": N_("Your website's server had a problem (%(status)s): it often passes by "
                   "itself; if it lasts, tell your web host."),
    "fetch.dns": N_("The name of your website cannot be found: check how the address is "
                    "spelled, and that the domain name has not expired."),
    "fetch.tls_certificate": N_("The security certificate of your website is not valid: have it "
                                "renewed (web hosts do it, often for free)."),
    "fetch.scheme": N_("Give a full web address, starting with https://."),
    "fetch.forbidden_address": N_("Only addresses that can be reached on the Internet can be "
                                  "collected: give the public address of the feed."),
    "fetch.redirects": N_("The address sends us on from page to page: give the final address of "
                          "the feed."),
    "parse.html_page": _NOT_A_CALENDAR,
    "parse.unknown_format": _NOT_A_CALENDAR,
    "parse.not_feed": _NOT_A_CALENDAR,
    "parse.not_ical": _NOT_A_CALENDAR,
    "parse.no_jsonld_events": N_("This page embeds no event data: give the address of your "
                                 "agenda's iCal or RSS export, or install an events plugin "
                                 "that publishes schema.org data."),
    "parse.empty": N_("The address gives an empty file: check that the calendar has public "
                      "events and that this is the export link."),
    "openagenda.key_refused": N_("Ask the agenda's administrators on OpenAgenda for a valid "
                                 "API key, then enter it in the settings of this source."),
    "openagenda.no_key": N_("Enter an OpenAgenda API key in the settings of this source (each "
                            "OpenAgenda account can create one in its settings)."),
    "openagenda.unknown_agenda": N_("Check the address of the agenda on openagenda.com, or give "
                                    "its API address: …/v2/agendas/<uid>/events."),
    "parse.unknown_json": _NOT_A_CALENDAR,
    "parse.truncated": _DAMAGED,
    "parse.syntax": _DAMAGED,
    "parse.nothing_usable": N_("None of the events could be read: check that each has a start "
                               "date, then export the calendar again."),
    "fetch.too_large": _TOO_LARGE,
    "parse.too_large": _TOO_LARGE,
    "collect.internal": _OURS,
    "collect.interrupted": _OURS,
    "collect.claim_lost": _OURS,
    **{code: _UNREACHABLE for code in ("fetch.timeout", "fetch.connect", "fetch.refused",
                                       "fetch.reset", "fetch.no_answer", "fetch.truncated")},
    **{code: _NOT_A_WEBSITE for code in ("fetch.tls", "fetch.not_http", "fetch.bad_response",
                                         "fetch.too_many_headers", "fetch.header_too_long")},
}
