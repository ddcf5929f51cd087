"""What an operator of a production instance checks (``agenda doctor``): the verdicts, pure
(:mod:`agenda.operations.checks`), and what reads the database, the index folder and Redis for
them (:mod:`agenda.operations.probes`)."""
