"""A report holding one orphan of each kind (a pair's decision, a dispute's decision, a
claimant correction), built from the invented bridge report (tests/review/invented.py)."""

from __future__ import annotations

import datetime as dt

from agent.models import (
    OrphanedCorrection,
    OrphanedDisputeReview,
    OrphanedReview,
    Report,
    ReviewStatus,
)
from tests.review import invented as inv


def report_with_orphans() -> Report:
    """The bridge report without its cost dispute, and the cost dispute's decisions orphaned."""
    cost = next(d for d in inv.bridge_report().disputes if d.fingerprint == "dp-fp-cost")
    at = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)
    return inv.bridge_report(without=("cost",)).model_copy(
        update={
            "orphaned_reviews": [
                OrphanedReview(
                    fingerprint=inv.COST.fingerprint,
                    review=ReviewStatus(decision="rejected", reviewer="ana", note="old note"),
                    flag=inv.COST,
                )
            ],
            "orphaned_dispute_reviews": [
                OrphanedDisputeReview(
                    fingerprint="dp-fp-cost",
                    review=ReviewStatus(decision="confirmed", reviewer="ana", note="both read"),
                    dispute=cost,
                )
            ],
            "orphaned_corrections": [
                OrphanedCorrection(
                    key="ck-0123456789abcdef",
                    claimant="Ida Brenn-Lund",
                    was="Ida Brenn",
                    article_id="gazette",
                    quote=inv.LOW.quote,
                    reviewer="ana",
                    at=at,
                )
            ],
        }
    )
