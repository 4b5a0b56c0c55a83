"""factory-boy factories. Organisations go through treebeard (add_root / add_child)."""

from __future__ import annotations

from datetime import date

import factory
from django.utils import timezone

from members.models import Member, Organisation, OrgKind, Role, RoleName, User
from members.validators import parse_resident_id, resident_id_check_char, uscc_check_char

PASSWORD = "Test-Password-2026!"


def make_uscc(prefix: str, n: int, region: str = "420502") -> str:
    body = f"{prefix}{region}TT{n:07d}"
    return body + uscc_check_char(body)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrgKind.GRASSROOTS
    name = factory.Sequence(lambda n: f"测试{n}号公司工会委员会")
    uscc = factory.Sequence(lambda n: make_uscc("81", n))
    region_code = "420502"
    employees = 100
    migrant_employees = 20

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        org = model_class(**kwargs)
        if parent is None:
            return model_class.add_root(instance=org)
        return Organisation.objects.get(pk=parent.pk).add_child(instance=org)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = RoleName.BRANCH_CHAIR
    active_from = date(2024, 1, 1)
    # An auditor role is in force once confirmed by a second administrator (D7).
    confirmed_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.role == RoleName.AUDITOR else None
    )


def make_resident_id(
    n: int, born: date = date(1985, 6, 15), female: bool = False, region: str = "420502"
) -> str:
    """A valid GB 11643 number: the sequence's parity gives the gender."""
    seq = (n % 500) * 2 + (0 if female else 1)
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    return body + resident_id_check_char(body)


class MemberFactory(factory.django.DjangoModelFactory):
    """Members with valid, distinct resident IDs (encrypted like the real ones)."""

    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"会员{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    resident_id = factory.Sequence(
        lambda n: make_resident_id(n, born=date(1970 + n // 500 % 30, 1 + n % 12, 15))
    )
    gender = "M"
    birth_date = date(1985, 6, 15)
    joined_on = date(2020, 3, 1)
    phone = factory.Sequence(lambda n: f"138{n:08d}")

    @classmethod
    def _create(cls, model_class, *args, resident_id, **kwargs):
        rid = parse_resident_id(resident_id)
        member = model_class(**{**kwargs, "gender": rid.gender, "birth_date": rid.birth_date})
        member.set_resident_id(rid.number)
        member.save()
        write_history(member)
        return member


def write_history(member: Member) -> None:
    """The membership spells the services would have written for a member created with these
    fields: a member since `joined_on`, and from `status_changed_on` on in the present status
    (a member who has left was active until that day)."""
    from members.models import SPELL_STATUSES, MembershipSpell, MemberStatus

    MembershipSpell.objects.filter(member=member).delete()
    if member.status == MemberStatus.APPLIED:
        return
    changed = member.status_changed_on
    if changed is not None and changed <= member.joined_on:
        changed = None
    base = {
        "member": member,
        "organisation_id": member.organisation_id,
        "gender": member.gender,
        "is_migrant": member.is_migrant,
        "is_frontline": member.is_frontline,
    }
    if member.status == MemberStatus.ACTIVE or changed is not None:
        MembershipSpell.objects.create(
            **base,
            status=MemberStatus.ACTIVE,
            valid_from=member.joined_on,
            valid_to=changed if member.status != MemberStatus.ACTIVE else None,
        )
    if member.status in SPELL_STATUSES and member.status != MemberStatus.ACTIVE:
        MembershipSpell.objects.create(
            **base,
            status=member.status,
            retained_reason=member.retained_reason,
            valid_from=changed or member.joined_on,
            started_by="change" if changed else "join",
        )
