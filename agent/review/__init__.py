"""Reviewing flagged contradictions: the durable decision log, its replay onto a report, the
terminal review session, and the export of decisions as an eval fixture."""
