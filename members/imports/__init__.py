"""Member import from Excel: all rows or none, with a row-by-row report (security.md E, H4).

Two phases (security.md "Import policy"): `member_import_check` reads the file and validates
every row through the register's own MemberForm, then checks duplicates inside the file and
against the city's register in bulk; `member_import` runs the same check again (the register
may have changed since the preview) and, only when no row is bad, writes every member in one
transaction with bulk inserts and one summarising audit row (bulk inserts fire no auditlog
signals: security.md G4).

Row numbers in the report are the spreadsheet's own (the header is row 1), so a worker finds
the row where Excel shows it.

The package, by subject: file_checks (the upload and its header row), rows (one row's cells),
validation (every row and the duplicates), writing (the one transaction), jobs (file jobs,
inline or in Celery) and template (the downloadable template). Its submodules import each
other, never this package.
"""

from .file_checks import Layout, read_layout
from .jobs import import_job_check, import_job_create, import_job_run, runs_inline
from .template import build_import_template
from .validation import ImportCheck, RowError, member_import_check
from .writing import member_import

__all__ = [
    "ImportCheck",
    "Layout",
    "RowError",
    "build_import_template",
    "import_job_check",
    "import_job_create",
    "import_job_run",
    "member_import",
    "member_import_check",
    "read_layout",
    "runs_inline",
]
