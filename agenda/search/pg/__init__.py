"""Search in PostgreSQL: the same French analysis as the Whoosh index (``agenda.search.analysis``),
its terms kept as a ``tsvector`` beside each event, actor and initiative (migration 0019), so
that every machine sharing the database searches what any of them committed."""
