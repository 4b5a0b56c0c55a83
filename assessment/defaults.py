"""The default standard (seeded by migration 0002; a federation admin edits it in the admin
site): 100 points over the six areas of the seed speech, pass mark 80 and at least 60% of each
area's points. The items are the 全总 六有 as domain.md I lists them; the 宜昌 scoring is not
public, so the points are a default to edit. Data, in the seed's language."""

from __future__ import annotations

from datetime import date

EFFECTIVE_FROM = date(2015, 1, 1)
NAME = "基层工会“六有六好”考评标准（默认）"
PASS_MARK = 80

Y, SC, C = "yes_no", "scale", "computed"

# (code, name, minimum points, [(code, item, points, kind, source, evidence)])
AREAS = [
    (
        "organisation",
        "组织建设",
        12,
        [
            ("chair", "依法选举工会主席，委员会在届期内", 5, C, "elected_chair", "选举批复"),
            ("membership", "会员入会率达到95%以上", 5, C, "membership_rate", ""),
            ("audit_committee", "建立经费审查委员会", 3, C, "audit_committee", ""),
            ("women_committee", "建立女职工委员会", 3, C, "women_committee", ""),
            ("groups", "工会小组健全，有工作手册和档案", 4, Y, "", "工作手册、档案照片"),
        ],
    ),
    (
        "team",
        "队伍建设",
        9,
        [
            ("chair_trained", "工会主席当选一年内参加岗位培训", 5, Y, "", "培训证书"),
            ("officers", "配备专（兼）职工会干部", 5, Y, "", "任职文件"),
            ("activists", "建立工会积极分子队伍", 5, SC, "", "名册"),
        ],
    ),
    (
        "rules",
        "制度建设",
        12,
        [
            ("congress", "本年度召开职工（会员）代表大会", 6, C, "congress_held", ""),
            ("openness", "落实厂务公开、会务公开", 4, Y, "", "公开栏照片"),
            # Scored by hand until the collective-contract register (rights app) registers
            # its source "collective_contract" (assessment/sources.py).
            ("contract", "集体合同在有效期内", 6, Y, "", "集体合同文本及备案回执"),
            ("rules_archive", "工作制度健全，档案规范", 4, SC, "", "制度汇编"),
        ],
    ),
    (
        "activities",
        "活动开展",
        9,
        [
            ("records", "本年度有走访慰问、劳动竞赛等活动记录", 5, C, "activities", ""),
            ("culture", "开展职工文体活动", 5, SC, "", "活动照片"),
            ("skills", "开展技能培训和合理化建议活动", 5, SC, "", "活动方案"),
        ],
    ),
    (
        "support",
        "工作保障",
        9,
        [
            ("dues", "会费收缴率达到90%以上", 5, C, "dues_collected", ""),
            ("funds", "工会经费独立核算、自主管理", 5, Y, "", "银行账户、账簿"),
            ("space", "有办公和活动场所、有牌子、有印章", 5, Y, "", "场所照片"),
        ],
    ),
    (
        "service",
        "服务平台",
        9,
        [
            ("home", "建成职工之家", 5, Y, "", "职工之家照片"),
            ("service_point", "有服务职工的阵地和载体", 5, SC, "", "服务记录"),
            ("satisfaction", "会员评家满意率达到90%以上", 5, SC, "", "测评表"),
        ],
    ),
]


def seed(Standard, Area, Item) -> object:
    """Create the default standard (models passed in, so a migration can use its own)."""
    standard, made = Standard.objects.get_or_create(
        effective_from=EFFECTIVE_FROM, defaults={"name": NAME, "pass_mark": PASS_MARK}
    )
    if not made:
        return standard
    for order, (code, name, minimum, items) in enumerate(AREAS):
        area = Area.objects.create(
            standard=standard, code=code, name=name, order=order, min_points=minimum
        )
        for i, (icode, text, points, kind, source, evidence) in enumerate(items):
            Item.objects.create(
                area=area,
                code=icode,
                text=text,
                points=points,
                kind=kind,
                source=source,
                evidence=evidence,
                order=i,
            )
    return standard
