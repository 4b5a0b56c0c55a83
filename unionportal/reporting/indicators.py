"""The indicators of the quarterly report (domain.md H) and the KPIs of the statistics
snapshots (domain.md C). One table each: the report form, the review page, the consolidated
summary and the validation all read from here.

An indicator is either *computed* (the portal counts it from its own records for the union
and quarter; the chair may override it with a reason) or *entered* (the portal cannot know
it). `part_of` names the whole an indicator may never exceed ("parts never exceed wholes");
a tuple of codes means their sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

COMPUTED = "computed"
ENTERED = "entered"
COUNT = "count"
MONEY = "money"

# Who files which part: a grassroots union reports on itself; a county, township or park
# union reports the employers in its area that should have a union and do not (建会率).
UNION = "union"
TERRITORY = "territory"
# Both file it: a grassroots union its own records, a county, township or park union those of
# its whole subtree (casework: the cases it and the unions under it received). Consolidating
# such a figure counts a report only where no counted territorial report lies above it.
BOTH = (UNION, TERRITORY)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    source: str  # COMPUTED or ENTERED
    section: str
    unit: str = COUNT
    part_of: str | tuple[str, ...] | None = None
    filer: str | tuple[str, ...] = UNION
    help_text: str = ""

    def filed_by(self, filer: str) -> bool:
        return filer in self.filer if isinstance(self.filer, tuple) else filer == self.filer

    @property
    def nested(self) -> bool:
        """A territorial report carries its subtree's figure (see BOTH)."""
        return isinstance(self.filer, tuple) and TERRITORY in self.filer

    @property
    def computed(self) -> bool:
        return self.source == COMPUTED

    @property
    def money(self) -> bool:
        return self.unit == MONEY


S_MEMBERS = pgettext_lazy("report section", "Members and cards")
S_DUES = pgettext_lazy("report section", "Dues")
S_WELFARE = pgettext_lazy("report section", "Hardship relief and visits")
S_CONGRESS = pgettext_lazy("report section", "Workers' congress, motions and suggestions")
S_COMPETITIONS = pgettext_lazy("report section", "Competitions and honours")
S_WORKFORCE = pgettext_lazy("report section", "Workforce and collective contracts")
S_PETITIONS = pgettext_lazy("report section", "Disputes and petitions")
S_ESTABLISHMENT = pgettext_lazy("report section", "Union establishment")

C, E = COMPUTED, ENTERED

# Honours awarded in the quarter by level and by kind (competitions.stats.HONOUR_FIGURES): the
# levels add up to `honours`; each kind is part of its level.
HONOUR_INDICATORS: tuple = (
    Indicator(
        "honours_national", _("of which national level"), C, S_COMPETITIONS, part_of="honours"
    ),
    Indicator(
        "honours_provincial", _("of which provincial level"), C, S_COMPETITIONS, part_of="honours"
    ),
    Indicator("honours_city", _("of which city level"), C, S_COMPETITIONS, part_of="honours"),
    Indicator(
        "honours_county",
        _("of which county or district level"),
        C,
        S_COMPETITIONS,
        part_of="honours",
    ),
    *(
        Indicator(code, label, C, S_COMPETITIONS, part_of=f"honours_{level}")
        for code, label, level in (
            ("model_workers_national", _("National model workers (全国劳模)"), "national"),
            ("advanced_workers_national", _("National advanced workers"), "national"),
            ("model_workers_provincial", _("Provincial model workers (省劳模)"), "provincial"),
            ("advanced_workers_provincial", _("Provincial advanced workers"), "provincial"),
            ("model_workers_city", _("City model workers"), "city"),
            ("advanced_workers_city", _("City advanced workers"), "city"),
            ("may_day_awards_national", _("May Day Labour Certificates, national"), "national"),
            (
                "may_day_awards_provincial",
                _("May Day Labour Certificates, provincial"),
                "provincial",
            ),
            ("may_day_awards_city", _("May Day Labour Certificates, city"), "city"),
            ("may_day_medals_national", _("May Day Labour Medals, national"), "national"),
            ("may_day_medals_provincial", _("May Day Labour Medals, provincial"), "provincial"),
            ("may_day_medals_city", _("May Day Labour Medals, city"), "city"),
            ("pioneer_teams_national", _("Workers' Pioneer teams, national"), "national"),
            ("pioneer_teams_provincial", _("Workers' Pioneer teams, provincial"), "provincial"),
            ("pioneer_teams_city", _("Workers' Pioneer teams, city"), "city"),
        )
    ),
)

# Innovation studios (competitions.stats.studios): named in the quarter (a flow) and held at
# its end (a stock); a studio has one level and may be exemplary (示范) as well.
STUDIO_INDICATORS: tuple = (
    Indicator("studios_named", _("Innovation studios named this quarter"), C, S_COMPETITIONS),
    Indicator(
        "studios_named_city", _("of which city level"), C, S_COMPETITIONS, part_of="studios_named"
    ),
    Indicator(
        "studios_named_provincial",
        _("of which provincial level"),
        C,
        S_COMPETITIONS,
        part_of="studios_named",
    ),
    Indicator(
        "studios_named_national",
        _("of which national level"),
        C,
        S_COMPETITIONS,
        part_of="studios_named",
    ),
    Indicator(
        "exemplary_studios_named", _("Exemplary studios named this quarter"), C, S_COMPETITIONS
    ),
    Indicator("studios", _("Innovation studios at the end of the quarter"), C, S_COMPETITIONS),
    Indicator("studios_city", _("of which city level"), C, S_COMPETITIONS, part_of="studios"),
    Indicator(
        "studios_provincial", _("of which provincial level"), C, S_COMPETITIONS, part_of="studios"
    ),
    Indicator(
        "studios_national", _("of which national level"), C, S_COMPETITIONS, part_of="studios"
    ),
    Indicator(
        "exemplary_studios",
        _("Exemplary studios (示范) at the end of the quarter"),
        C,
        S_COMPETITIONS,
        part_of="studios",
    ),
)

# Casework (rights.stats), counted by the union that received each case: requests by channel
# (a visit counts once however many came; people are 人次), consultations apart, and of the
# requests accepted in the quarter those closed by its end and on time (办结率).
CASEWORK_INDICATORS: tuple = (
    Indicator(
        "petition_visits",
        _("Petition visits"),
        C,
        S_PETITIONS,
        part_of="petition_people",
        filer=BOTH,
        help_text=_("Each visit counts once however many people came."),
    ),
    Indicator("petition_people", _("People on petition visits"), C, S_PETITIONS, filer=BOTH),
    Indicator("petition_letters", _("Petition letters"), C, S_PETITIONS, filer=BOTH),
    Indicator("petition_calls", _("Petition calls"), C, S_PETITIONS, filer=BOTH),
    Indicator("petition_online", _("Online requests"), C, S_PETITIONS, filer=BOTH),
    Indicator("petition_consultations", _("Consultations answered"), C, S_PETITIONS, filer=BOTH),
    Indicator(
        "petitions_accepted", _("Requests accepted this quarter"), C, S_PETITIONS, filer=BOTH
    ),
    Indicator(
        "petitions_closed",
        _("of which closed by the quarter's end"),
        C,
        S_PETITIONS,
        part_of="petitions_accepted",
        filer=BOTH,
    ),
    Indicator(
        "petitions_closed_on_time",
        _("of which closed on time"),
        C,
        S_PETITIONS,
        part_of="petitions_closed",
        filer=BOTH,
    ),
)

# Collective contracts and mediation (rights.contract_stats): employers and workers covered by
# a contract in force at the quarter's end (each employer once however many contracts cover
# it), by kind; contracts signed; labour disputes taken to the union's mediation committee.
CONTRACT_INDICATORS: tuple = (
    Indicator(
        "contract_employers",
        _("Employers covered by a collective contract in force"),
        C,
        S_WORKFORCE,
    ),
    *(
        Indicator(f"contract_employers_{kind}", label, C, S_WORKFORCE, part_of="contract_employers")
        for kind, label in (
            ("comprehensive", _("of which by a comprehensive contract")),
            ("wage", _("of which by a wage contract")),
            ("women", _("of which by a women workers' rights contract")),
            ("safety", _("of which by a labour safety and health contract")),
        )
    ),
    Indicator(
        "contract_workers",
        _("Workers covered by collective contracts"),
        C,
        S_WORKFORCE,
        part_of="employees",
    ),
    Indicator("contracts_signed", _("Collective contracts signed this quarter"), C, S_WORKFORCE),
    Indicator("mediation_received", _("Labour disputes taken to mediation"), C, S_PETITIONS),
    Indicator(
        "mediation_settled_in_time",
        _("of which settled within 15 days"),
        C,
        S_PETITIONS,
        part_of="mediation_received",
    ),
    Indicator(
        "mediation_referred",
        _("of which referred to arbitration"),
        C,
        S_PETITIONS,
        part_of="mediation_received",
    ),
)

INDICATORS: tuple[Indicator, ...] = (
    # Computed from the records (members/, welfare/, congress/, competitions/)
    Indicator("members", _("Members at the end of the quarter"), C, S_MEMBERS),
    Indicator("women_members", _("of whom women"), C, S_MEMBERS, part_of="members"),
    Indicator("migrant_members", _("of whom migrant workers"), C, S_MEMBERS, part_of="members"),
    Indicator("new_members", _("New members this quarter"), C, S_MEMBERS),
    Indicator("retained_members", _("Retained members"), C, S_MEMBERS),
    Indicator("cards_issued", _("Service cards issued"), C, S_MEMBERS),
    Indicator("cards_activated", _("Service cards activated"), C, S_MEMBERS),
    Indicator("dues_expected", _("Dues due"), C, S_DUES, MONEY),
    Indicator("dues_collected", _("Dues collected"), C, S_DUES, MONEY, part_of="dues_expected"),
    Indicator("hardship_files", _("Hardship files (households)"), C, S_WELFARE),
    Indicator("relief_count", _("Relief payments"), C, S_WELFARE),
    Indicator("relief_amount", _("Relief paid"), C, S_WELFARE, MONEY),
    Indicator("visits_count", pgettext_lazy("indicator", "Condolence visits"), C, S_WELFARE),
    Indicator("visits_amount", _("Condolence visits, amount"), C, S_WELFARE, MONEY),
    Indicator(
        "warmth_amount",
        _("Sending warmth (送温暖): money paid"),
        C,
        S_WELFARE,
        MONEY,
        part_of="visits_amount",
    ),
    Indicator(
        "warmth_households",
        _("Sending warmth: households visited"),
        C,
        S_WELFARE,
        part_of="visits_count",
    ),
    Indicator("warmth_enterprises", _("Sending warmth: enterprises visited"), C, S_WELFARE),
    Indicator("congress_sessions", _("Workers' congress sessions held"), C, S_CONGRESS),
    Indicator("reviewed_items", _("Items reviewed by the congress"), C, S_CONGRESS),
    Indicator("motions_filed", _("Motions filed"), C, S_CONGRESS),
    Indicator("motions_answered", _("of which answered"), C, S_CONGRESS, part_of="motions_filed"),
    Indicator("suggestions", _("Rationalisation suggestions collected"), C, S_CONGRESS),
    Indicator("suggestions_adopted", _("of which adopted"), C, S_CONGRESS, part_of="suggestions"),
    Indicator("competitions", _("Competitions organised"), C, S_COMPETITIONS),
    Indicator("competition_entries", _("Competition entries"), C, S_COMPETITIONS),
    Indicator("honours", _("Honours received"), C, S_COMPETITIONS),
    *HONOUR_INDICATORS,
    *STUDIO_INDICATORS,
    # Entered: the portal cannot know these
    Indicator("employees", _("Employees"), E, S_WORKFORCE),
    Indicator("women_employees", _("of whom women"), E, S_WORKFORCE, part_of="employees"),
    Indicator(
        "migrant_employees", _("of whom migrant workers"), E, S_WORKFORCE, part_of="employees"
    ),
    *CONTRACT_INDICATORS,
    *CASEWORK_INDICATORS,
    Indicator(
        "employers_without_union",
        _("Employers that should have a union and have none"),
        E,
        S_ESTABLISHMENT,
        filer=TERRITORY,
        help_text=_(
            "Employers in your area with 25 or more workers and no union at the end of "
            "the quarter; the establishment rate needs it."
        ),
    ),
)

BY_CODE = {i.code: i for i in INDICATORS}


def indicators_for(filer: str) -> tuple[Indicator, ...]:
    return tuple(i for i in INDICATORS if i.filed_by(filer))


def whole_of(indicator: Indicator, values: dict) -> int | Decimal | None:
    """The value of the whole an indicator is part of, or None where a part is missing."""
    parts = indicator.part_of if isinstance(indicator.part_of, tuple) else (indicator.part_of,)
    total = 0
    for code in parts:
        v = values.get(code)
        if v is None:
            return None
        total += v
    return total


# --- KPIs of the statistics snapshots (domain.md C; targets are data: KpiTarget) -------------


@dataclass(frozen=True)
class Kpi:
    code: str
    label: str
    numerator: str
    denominator: str
    # The denominator is not a snapshot column but this sum of columns.
    denominator_plus: str = ""
    higher_is_better: bool = True
    # A column that must be non-zero for the rate to be known at all.
    requires: str = ""
    # The column counting the organisations that lack the data (shown beside the rate).
    missing: str = ""

    def rate(self, snapshot) -> Decimal | None:
        if self.requires and not getattr(snapshot, self.requires):
            return None
        num = getattr(snapshot, self.numerator) or 0
        den = getattr(snapshot, self.denominator) or 0
        if self.denominator_plus:
            den += getattr(snapshot, self.denominator_plus) or 0
        if not den:
            return None
        return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"), ROUND_HALF_UP)


KPIS: tuple[Kpi, ...] = (
    Kpi(
        "establishment_rate",
        _("Establishment rate"),
        "employers_with_union",
        "employers_with_union",
        denominator_plus="employers_without_union",
        requires="territories_reporting",
    ),
    # Only unions that reported their workforce count, on both sides (issue 13 item 2).
    Kpi(
        "membership_rate",
        _("Membership rate"),
        "members_counted",
        "employees",
        missing="unions_without_employees",
    ),
    Kpi(
        "migrant_membership_rate",
        _("Migrant workers' membership rate"),
        "migrant_members_counted",
        "migrant_employees",
        missing="unions_without_migrant_employees",
    ),
    Kpi("card_activation_rate", _("Card activation rate"), "cards_active", "cards_valid"),
    Kpi("dues_collection_rate", _("Dues collection rate"), "dues_collected", "dues_expected"),
    Kpi("motion_answer_rate", _("Motion answer rate"), "motions_answered", "motions_filed"),
    Kpi(
        "motion_satisfaction_rate",
        _("Proposers' satisfaction"),
        "motions_satisfied",
        "motions_feedback",
    ),
    # Employers (grassroots unions) covered by a collective contract in force, of all
    # grassroots unions (domain.md K: 集体合同覆盖率).
    Kpi(
        "contract_coverage_rate",
        _("Collective contract coverage"),
        "contract_employers",
        "unions",
    ),
    # Casework, year to date (domain.md K): requests closed of those accepted, and the
    # petitioners reached by a follow-up who were satisfied.
    Kpi("case_closure_rate", _("Case closure rate"), "petitions_closed", "petitions_accepted"),
    Kpi(
        "case_satisfaction_rate",
        _("Petitioners' satisfaction"),
        "petitions_satisfied",
        "petitions_followed_up",
    ),
    # 六有六好: of all grassroots unions (assessed or not), those whose confirmed result of
    # record meets the standard; unknown until some union of the subtree has one.
    Kpi(
        "standard_rate",
        _("Unions meeting the 六有六好 standard"),
        "standard_passed",
        "unions",
        requires="standard_assessed",
    ),
)
KPI_BY_CODE = {k.code: k for k in KPIS}

# Defaults are seeded by migration 0002; a federation admin edits them (KpiTarget).
