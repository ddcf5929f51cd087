"""Change detection: volatile lines don't count, real changes do."""

from datetime import datetime, timezone

from agenda.collectors.fingerprint import body_hash
from agenda.records import EventRecord, Occurrence
from agenda.records.fingerprint import record_hash

ICS = (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20261121T090000Z\r\n"
       b"SUMMARY:Forum\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def test_a_new_dtstamp_is_not_a_change():
    regenerated = ICS.replace(b"20261121T090000Z", b"20261121T101500Z")
    assert body_hash(regenerated) == body_hash(ICS)


def test_a_new_rss_build_date_is_not_a_change():
    a = b"<rss><channel><lastBuildDate>Sat, 21 Nov 2026 09:00:00 GMT</lastBuildDate></channel></rss>"
    b = a.replace(b"09:00", b"10:00")
    assert body_hash(a) == body_hash(b)


def test_a_new_summary_is_a_change():
    assert body_hash(ICS.replace(b"Forum", b"Forum ESS")) != body_hash(ICS)


def test_record_hash_ignores_occurrences_but_not_fields():
    start = datetime(2026, 11, 21, 9, tzinfo=timezone.utc)
    a = EventRecord(source_uid="1", title="Forum", start=start, occurrences=[Occurrence(start, start)])
    b = EventRecord(source_uid="1", title="Forum", start=start, occurrences=[])
    c = EventRecord(source_uid="1", title="Forum ESS", start=start)
    assert record_hash(a) == record_hash(b)
    assert record_hash(a) != record_hash(c)
