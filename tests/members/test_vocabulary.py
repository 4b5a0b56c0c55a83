"""One vocabulary: the import file's coded words are the member form's own Chinese labels
(issue 20 item 4), and the words of earlier templates are still read."""

import pytest
from django.utils import translation

from members.imports.rows import _choice
from members.models import Education, EmploymentType, Gender, MemberStatus
from members.spreadsheets import (
    EDUCATION_LABELS,
    EMPLOYMENT_LABELS,
    GENDER_LABELS,
    IMPORT_COLUMNS,
    STATUS_LABELS,
)

TABLES = (
    (EDUCATION_LABELS, Education),
    (EMPLOYMENT_LABELS, EmploymentType),
    (STATUS_LABELS, MemberStatus),
    (GENDER_LABELS, Gender),
)


@pytest.mark.parametrize("table,choices", TABLES)
def test_the_file_words_are_the_forms_labels(table, choices):
    with translation.override("zh-hans"):
        assert {code: str(choices(code).label) for code in table} == table


def column(field):
    return next(c for c in IMPORT_COLUMNS if c.field == field)


def test_the_import_reads_the_forms_labels_and_the_old_template_words():
    education, employment = column("education"), column("employment_type")
    assert _choice(education, "高中、中专或技校") == Education.SENIOR
    assert _choice(education, "高中/中专/技校") == Education.SENIOR
    assert _choice(employment, "无固定期限劳动合同") == EmploymentType.PERMANENT
    assert _choice(employment, "无固定期限合同") == EmploymentType.PERMANENT
    # an old word of another column is not taken here
    with pytest.raises(Exception, match="高中、中专或技校"):
        _choice(education, "无固定期限合同")
