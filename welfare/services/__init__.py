"""Writes and rule look-ups of the welfare app. Every write is atomic and records its step.

Callers use `from welfare import services`; the submodules hold the services by subject
(rules, hardship files, relief, campaigns, visits) and import each other, never this package.
"""

from .campaigns import (  # noqa: F401
    campaign_create,
    campaign_figures,
    campaign_set_budget,
    campaign_spent,
    campaigns_spent,
)
from .hardship import (  # noqa: F401
    FILE_FIELDS,
    FILE_TRANSITIONS,
    IncomeFrom,
    file_open,
    file_reviewed,
    file_set_status,
    file_start_notice,
    file_status_problem,
    file_update,
    file_verify,
    files_due_for_review,
    household_income_parts,
)
from .relief import (  # noqa: F401
    CheckResult,
    approval_wait,
    four_eyes_problem,
    member_may_be_helped,
    proof_add,
    relief_approve,
    relief_awaiting,
    relief_checks,
    relief_create,
    relief_pay,
    relief_reject,
    relief_review,
    relief_start_notice,
    relief_submit,
    relief_update,
)
from .rules import (  # noqa: F401
    COUNTED,
    REVIEW_MONTHS,
    Conflict,
    S,
    categorise,
    condolence_rule,
    net_per_capita,
    net_per_capita_exact,
    notice_days,
    poverty_line,
    region_codes,
    relief_cap,
    rule_add,
    scoped,
)
from .visits import (  # noqa: F401
    visit_record,
)
