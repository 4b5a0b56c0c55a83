"""Identifier validators shared by forms, imports and services (domain.md B and J).

Each `normalise_*` function returns the canonical form or raises ValidationError with a
message that tells a union worker what is wrong and how to fix it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- Cleaning helpers ---------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u202a\u202b\u202c\u202d\u202e"))


def tidy(value: str) -> str:
    """Full-width to half-width (NFKC), drop invisible characters, spaces and hyphens."""
    value = unicodedata.normalize("NFKC", str(value)).translate(_INVISIBLE)
    return re.sub(r"[\s\-]", "", value)


# --- USCC: GB 32100-2015 ------------------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, ...
UNION_REGISTRAR = "8"  # 登记管理部门 8 = 工会


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    c = 31 - total % 31
    return USCC_ALPHABET[0 if c == 31 else c]


def normalise_uscc(value: str) -> str:
    code = tidy(value).upper()
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="uscc_length",
            params={"n": len(code)},
        )
    bad = [c for c in code if c not in USCC_ALPHABET]
    if bad:
        raise ValidationError(
            _(
                "The code contains %(chars)s, which a unified social credit code never uses "
                "(the letters I, O, S, V and Z are not allowed)."
            ),
            code="uscc_chars",
            params={"chars": "".join(dict.fromkeys(bad))},
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3 to 8 of the code are the region code and must be digits."),
            code="uscc_region",
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of the code is wrong; please check the last character."),
            code="uscc_check",
        )
    return code


def normalise_union_uscc(value: str) -> str:
    code = normalise_uscc(value)
    if code[0] != UNION_REGISTRAR:
        raise ValidationError(
            _(
                "A union's code is issued by a federation and starts with 8; "
                "this looks like the employer's code."
            ),
            code="uscc_not_union",
        )
    return code


def validate_union_uscc(value: str) -> None:
    normalise_union_uscc(value)


def validate_uscc(value: str) -> None:
    normalise_uscc(value)


# --- Resident ID: GB 11643-1999 -----------------------------------------------------------

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
# The province-level codes of GB/T 2260 (the first 2 digits of every address code): 11-15 north,
# 21-23 north-east, 31-37 east, 41-46 south-central, 50-54 south-west, 61-65 north-west,
# 71 Taiwan, 81 Hong Kong, 82 Macao. Any other prefix (10, 16, 83, 99, ...) is no region.
PROVINCE_CODES = frozenset(
    f"{n}"
    for first, last in ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65))
    for n in range(first, last + 1)
) | {"71", "81", "82"}
ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    gender: str  # "M" or "F"

    @property
    def masked(self) -> str:
        return mask_resident_id(self.number)


def resident_id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def parse_resident_id(value: str) -> ResidentId:
    number = tidy(value).upper()
    if len(number) == 15 and number.isdigit():
        # Legacy numbers: the year lacks its century, and there is no check character.
        body = number[:6] + "19" + number[6:]
        number = body + resident_id_check_char(body)
    if len(number) != 18:
        raise ValidationError(
            _("A resident ID number has 18 characters (or 15 for old cards); this one has %(n)d."),
            code="id_length",
            params={"n": len(number)},
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("A resident ID number is 17 digits followed by a digit or X."),
            code="id_chars",
        )
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _(
                "The resident ID starts with %(prefix)s, which is no province's code; the first "
                "6 digits are the region code where the number was issued (e.g. 420502)."
            ),
            code="id_region",
            params={"prefix": number[:2]},
        )
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("Digits 7 to 14 of the resident ID are not a real birth date."),
            code="id_birth_date",
        ) from None
    if born > timezone.localdate() or born.year < 1900:
        raise ValidationError(
            _("The birth date in the resident ID is in the future or before 1900."),
            code="id_birth_date",
        )
    if resident_id_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("The check character of the resident ID is wrong; please check the last character."),
            code="id_check",
        )
    return ResidentId(number=number, birth_date=born, gender="M" if int(number[16]) % 2 else "F")


def normalise_resident_id(value: str) -> str:
    return parse_resident_id(value).number


def mask_resident_id(number: str) -> str:
    """420502********123X: region kept, birth date and sequence hidden."""
    if not number:
        return ""
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# --- Phone numbers: mobile and landline -----------------------------------------------------

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# A landline: area code, local number of 7 or 8 digits (never starting 0), optional
# extension. Area codes 010 and 020-029 have 3 digits; every other one has 4 (0717 Yichang).
LANDLINE_RE = re.compile(
    r"^(?P<area>0(?:10|2\d|[3-9]\d{2}))-?(?P<local>[1-9]\d{6,7})"
    r"(?:(?:-|转|ext\.?|x|#)(?P<ext>\d{1,6}))?$",
    re.IGNORECASE,
)
PHONE_MAX_LENGTH = 20  # 0717-12345678-123456, the longest stored form


def _phone_text(value: str) -> str:
    """NFKC, no invisible characters, no spaces or brackets; hyphens kept (they may end an
    area code or start an extension)."""
    text = unicodedata.normalize("NFKC", str(value)).translate(_INVISIBLE)
    return re.sub(r"[\s()]", "", text)


def normalise_mobile(value: str) -> str:
    number = tidy(value).replace("(", "").replace(")", "")
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("86") and len(number) == 13:
        number = number[2:]
    if not MOBILE_RE.match(number):
        raise ValidationError(
            _("A mobile number has 11 digits and starts with 13 to 19, e.g. 13800000000."),
            code="mobile",
        )
    return number


def normalise_phone(value: str) -> str:
    """The one phone validator for every typed phone: a mobile (13800000000, +86 allowed) or a
    landline with its area code (0717-1234567, 010-12345678, an extension after -, 转 or ext),
    stored as 13800000000 or 0717-1234567[-123]."""
    try:
        return normalise_mobile(value)
    except ValidationError:
        pass
    text = _phone_text(value)
    if text.startswith("+86"):
        text = "0" + text[3:].lstrip("-")
    match = LANDLINE_RE.match(text)
    if not match:
        raise ValidationError(
            _(
                "Enter an 11-digit mobile number (e.g. 13800000000) or a landline with its "
                "area code (e.g. 0717-1234567 or 010-12345678)."
            ),
            code="phone",
        )
    number = f"{match['area']}-{match['local']}"
    return f"{number}-{match['ext']}" if match["ext"] else number


def validate_phone(value: str) -> None:
    normalise_phone(value)


def mask_mobile(number: str) -> str:
    """138****0000; a landline keeps its area code and last 4 digits: 0717-***4567."""
    if not number:
        return ""
    if number.startswith("0") and "-" in number:
        area, local = number.split("-", 1)
        return f"{area}-" + "*" * max(0, len(local) - 4) + local[-4:]
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


# --- Region and industry codes ------------------------------------------------------------


def validate_region_code(value: str) -> None:
    if not re.fullmatch(r"[1-8]\d{5}", value or ""):
        raise ValidationError(
            _("A region code (GB/T 2260) is 6 digits, e.g. 420502 for Xiling District."),
            code="region_code",
        )


def validate_industry_code(value: str) -> None:
    if not re.fullmatch(r"[A-T](\d{2}(\d{1,2})?)?", value or ""):
        raise ValidationError(
            _(
                "An industry code (GB/T 4754) is a section letter A-T, optionally followed "
                "by 2 to 4 digits, e.g. C16."
            ),
            code="industry_code",
        )


# --- Member service card numbers -----------------------------------------------------------


def normalise_card_number(value: str) -> str:
    """Card numbers (often a co-issuing bank's) as printed: 6 to 32 letters and digits;
    spaces and hyphens between groups are dropped, letters upper-cased."""
    number = tidy(value).upper()
    if not re.fullmatch(r"[0-9A-Z]{6,32}", number):
        raise ValidationError(
            _("A card number has 6 to 32 letters and digits, as printed on the card."),
            code="card_number",
        )
    return number
