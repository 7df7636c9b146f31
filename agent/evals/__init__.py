"""The eval suite: labelled fixtures, scorers, a runner, and the baseline gate.

`reconcile eval` runs the pipeline on every case under `evals/fixtures/`, scores the reports
against the hand-written labels and compares the figures with a committed baseline. See
`evals/README.md` for the fixture format and the scoring definitions.
"""
