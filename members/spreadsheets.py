"""The member spreadsheet format shared by the import template, the importer and the export.

Headers and coded values in the files are fixed Chinese text, not translated UI strings: a
file filled in under one UI language must import under the other, and union workers exchange
these files with each other. Each code table maps the stored value to the word in the file.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from .models import Education, EmploymentType, Gender, MemberStatus

EDUCATION_LABELS = {
    Education.PRIMARY: "小学及以下",
    Education.JUNIOR: "初中",
    Education.SENIOR: "高中、中专或技校",
    Education.COLLEGE: "大专",
    Education.BACHELOR: "本科",
    Education.POSTGRADUATE: "研究生",
}
EMPLOYMENT_LABELS = {
    EmploymentType.PERMANENT: "无固定期限劳动合同",
    EmploymentType.FIXED_TERM: "固定期限劳动合同",
    EmploymentType.DISPATCHED: "劳务派遣",
    EmploymentType.PART_TIME: "非全日制",
    EmploymentType.PLATFORM: "新就业形态（平台）",
    EmploymentType.CIVIL_SERVICE: "机关事业单位在编人员",
}
# The words of earlier templates, still read on import (files in circulation): the labels above
# are the member form's own, so a union worker meets one vocabulary.
EDUCATION_ALIASES = {"高中/中专/技校": Education.SENIOR}
EMPLOYMENT_ALIASES = {
    "无固定期限合同": EmploymentType.PERMANENT,
    "固定期限合同": EmploymentType.FIXED_TERM,
    "新就业形态": EmploymentType.PLATFORM,
    "机关事业单位编制": EmploymentType.CIVIL_SERVICE,
}
STATUS_LABELS = {
    MemberStatus.APPLIED: "申请中",
    MemberStatus.ACTIVE: "正常",
    MemberStatus.RETAINED: "保留会籍",
    MemberStatus.TRANSFERRED_OUT: "转出本市",
    MemberStatus.WITHDRAWN: "退会",
    MemberStatus.LAPSED: "自动失去会籍",
    MemberStatus.EXPELLED: "开除会籍",
}
# A new member is either applying or active (services.member_register).
IMPORT_STATUS_LABELS = {
    MemberStatus.ACTIVE: STATUS_LABELS[MemberStatus.ACTIVE],
    MemberStatus.APPLIED: STATUS_LABELS[MemberStatus.APPLIED],
}
GENDER_LABELS = {Gender.MALE: "男", Gender.FEMALE: "女"}
YES, NO = "是", "否"

# A row whose first cell starts with this is the template's example and is skipped.
EXAMPLE_MARK = "示例"
YES_NO_NOTE = "填“是”或“否”，不填视为否。"


@dataclass(frozen=True)
class ImportColumn:
    field: str  # MemberForm field, or "organisation"
    header: str
    kind: str  # text, id, phone, choice, bool, date, money, org
    required: bool = False
    choices: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # older file word -> code
    width: int = 14
    note: str = ""

    @property
    def key(self) -> str:
        return header_key(self.header)


IMPORT_COLUMNS: list[ImportColumn] = [
    ImportColumn("name", "姓名", "text", True, width=14, note="会员本人姓名，最多60个字。"),
    ImportColumn(
        "resident_id",
        "身份证号",
        "id",
        True,
        width=22,
        note="18位居民身份证号，末位可为X；15位旧号码会自动转换。请把本列设为文本格式。",
    ),
    ImportColumn(
        "phone",
        "手机号",
        "phone",
        width=15,
        note="11位手机号，或带区号的固定电话（如 0717-1234567），可不填。",
    ),
    ImportColumn(
        "education", "学历", "choice", choices=EDUCATION_LABELS, aliases=EDUCATION_ALIASES, width=16
    ),
    ImportColumn(
        "employment_type",
        "用工形式",
        "choice",
        choices=EMPLOYMENT_LABELS,
        aliases=EMPLOYMENT_ALIASES,
        width=18,
    ),
    ImportColumn("is_migrant", "农民工(是/否)", "bool", width=14, note=YES_NO_NOTE),
    ImportColumn("is_frontline", "一线职工(是/否)", "bool", width=16, note=YES_NO_NOTE),
    ImportColumn("is_manager", "管理人员(是/否)", "bool", width=16, note=YES_NO_NOTE),
    ImportColumn(
        "joined_on",
        "入会日期",
        "date",
        True,
        width=13,
        note="日期格式，如 2024-03-01；不能晚于今天。",
    ),
    ImportColumn(
        "status",
        "会员状态(正常/申请中)",
        "choice",
        choices=IMPORT_STATUS_LABELS,
        width=20,
        note="填“正常”或“申请中”，不填视为正常。",
    ),
    ImportColumn(
        "wage_base",
        "缴费工资基数",
        "money",
        width=14,
        note="每月缴纳会费的工资基数（元），最多两位小数，可不填。",
    ),
    ImportColumn(
        "organisation",
        "所属分会/小组",
        "org",
        width=20,
        note="会员属于本工会下的分会或小组时填写其名称；不填则计入所选工会。",
    ),
]
for _col in IMPORT_COLUMNS:
    if _col.kind == "choice" and not _col.note:
        object.__setattr__(_col, "note", "从下拉列表中选择：" + "、".join(_col.choices.values()))

COLUMNS_BY_FIELD = {c.field: c for c in IMPORT_COLUMNS}


def header_key(text: object) -> str:
    """What a header is matched on: full-width forms folded, spaces dropped, and the hint in
    brackets ignored, so 农民工（是/否）, 农民工(是/否) and 农民工 are the same column."""
    value = unicodedata.normalize("NFKC", str(text or ""))
    value = "".join(value.split())
    return value.split("(", 1)[0]


def yes_no(value: bool) -> str:
    return YES if value else NO
