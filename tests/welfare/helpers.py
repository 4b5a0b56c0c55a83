"""Builders for welfare tests."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from welfare import services
from welfare.models import HardshipFile


def verify_and_notice(
    hf: HardshipFile, *, verifier=None, approve_on: date | None = None
) -> HardshipFile:
    """Take a submitted file through the income verification and a public notice that is over
    by `approve_on` (today by default), ready for approval."""
    approve_on = approve_on or timezone.localdate()
    services.file_verify(actor=verifier, hardship_file=hf, income_verification="民政核对：属实")
    return services.file_start_notice(
        actor=verifier, hardship_file=hf, today=approve_on - timedelta(days=30)
    )
