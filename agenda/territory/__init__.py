"""The territory at a glance, for the regional staff: what is counted where (``charts``: the
SVG drawings, pure; the queries are in ``agenda.store.territory``, the page in
``agenda.web.territory``)."""
