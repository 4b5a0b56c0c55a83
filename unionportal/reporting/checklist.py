"""The 六有六好 checklist's items that read an app the assessment app stands beside: registered
here, on the floor above both (tests/architecture.py), through assessment/sources.py's hook."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment import sources
from members.models import Organisation
from rights.contract_stats import covered_by_contract


def contract_in_force(union: Organisation, start: date, end: date) -> sources.Finding:
    if covered_by_contract(union, end):
        return sources.Finding(True, _("A collective contract is in force (contract register)"))
    return sources.Finding(False, _("No collective contract in force (contract register)"))


def register() -> None:
    sources.register(
        "collective_contract", gettext_lazy("A collective contract in force"), contract_in_force
    )
