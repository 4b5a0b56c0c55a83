"""The Excel summary of a period for an organisation's subtree (issue 7, item 7).

One workbook, written by unionportal.core.excel.write_xlsx from rows the functions below yield
(style.md rule 10): the KPIs of the quarter's last month, one row per reporting union, the
consolidated quarterly reports, relief payments, motions, competitions and honours. Every
query is limited to the subtree of `scope` (path__startswith) and streamed in chunks, so the
whole city fits the budget of performance.md (60 s, 300 MB). Totals rows are literal values,
summed while the rows stream past (never formulas).

The other apps are read through their own query functions (welfare.stats, congress.stats,
competitions.stats), as the rest of reporting does.

The package: common (shared cells and filters), kpis, unions and activities (the sheets),
workbook (the sheets in order and the file job). Its modules import each other, never this
package.
"""

from .activities import (  # noqa: F401
    competition_sheet,
    honour_sheet,
    motion_sheet,
    relief_sheet,
)
from .common import (  # noqa: F401
    CHUNK,
    COUNTED,
    ensure_snapshots,
    snapshot_month,
)
from .kpis import (  # noqa: F401
    KPI_PARTS,
    kpi_sheet,
)
from .unions import (  # noqa: F401
    consolidated_sheet,
    figures_sheet,
    reporting_units,
    union_sheet,
)
from .workbook import (  # noqa: F401
    JOB_NAME,
    SHEETS,
    audit_summary,
    summary_filename,
    summary_job_create,
    summary_job_run,
    summary_total,
    write_summary,
)
