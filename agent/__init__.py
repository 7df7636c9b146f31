"""reconcile: extract attributed, grounded claims from several reports of one event and
find where they agree and where they contradict each other."""

__version__ = "0.1.0"
