import pytest
from django.core.exceptions import ValidationError

from members import validators as v


class TestUscc:
    def test_a_union_code_with_the_right_check_character_is_accepted(self):
        code = "81420502MA0000001"
        full = code + v.uscc_check_char(code)
        assert v.normalise_union_uscc(full.lower()) == full

    def test_a_published_employer_code_is_accepted(self):
        # 91350100M000100Y43 is the GB 32100 worked example.
        assert v.normalise_uscc("91350100M000100Y43") == "91350100M000100Y43"

    def test_a_wrong_check_character_is_refused_with_a_hint(self):
        with pytest.raises(ValidationError) as exc:
            v.normalise_uscc("91350100M000100Y44")
        assert exc.value.code == "uscc_check"

    def test_an_employer_code_is_not_a_union_code(self):
        with pytest.raises(ValidationError) as exc:
            v.normalise_union_uscc("91350100M000100Y43")
        assert exc.value.code == "uscc_not_union"

    @pytest.mark.parametrize("bad", ["9135010", "91350100M000100Y4O", "913501I0M000100Y43"])
    def test_wrong_length_or_letters_are_refused(self, bad):
        with pytest.raises(ValidationError):
            v.normalise_uscc(bad)

    def test_full_width_and_spaces_are_tidied(self):
        assert v.normalise_uscc("９１３５ ０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


class TestResidentId:
    def test_the_standard_example_is_accepted_with_gender_and_birth_date(self):
        rid = v.parse_resident_id("11010519491231002x")
        assert rid.number == "11010519491231002X"
        assert rid.gender == "F"
        assert str(rid.birth_date) == "1949-12-31"

    def test_a_wrong_check_digit_is_refused(self):
        with pytest.raises(ValidationError) as exc:
            v.parse_resident_id("110105194912310021")
        assert exc.value.code == "id_check"

    def test_a_15_digit_number_is_converted(self):
        rid = v.parse_resident_id("110105491231002")
        assert rid.number == "11010519491231002X"

    @pytest.mark.parametrize(
        "bad,code",
        [
            ("110105199902300021", "id_birth_date"),  # 1999-02-30
            ("110105209912310021", "id_birth_date"),  # in the future
            ("000000194912310021", "id_region"),
            ("11010519491231002", "id_length"),
            ("1101051949123100AX", "id_chars"),
        ],
    )
    def test_broken_numbers_are_refused(self, bad, code):
        with pytest.raises(ValidationError) as exc:
            v.parse_resident_id(bad)
        assert exc.value.code == code

    def test_invisible_characters_and_full_width_digits_are_tidied(self):
        assert v.normalise_resident_id("１１０１０５\u200b19491231002X ") == "11010519491231002X"

    def test_masking_hides_birth_date_and_sequence(self):
        assert v.mask_resident_id("11010519491231002X") == "110105********002X"


def _id_with_prefix(prefix: str) -> str:
    body = prefix + "0105" + "19491231002"
    return body + v.resident_id_check_char(body)


class TestResidentIdRegion:
    """GB/T 2260: the first two digits are a province-level code (11-15, 21-23, 31-37, 41-46,
    50-54, 61-65, 71, 81, 82); a correct check character does not make 99... a real number."""

    @pytest.mark.parametrize("prefix", ["11", "15", "21", "42", "65", "71", "81", "82"])
    def test_province_prefixes_are_accepted(self, prefix):
        number = _id_with_prefix(prefix)
        assert v.normalise_resident_id(number) == number

    @pytest.mark.parametrize("prefix", ["10", "16", "20", "24", "47", "66", "70", "80", "83", "99"])
    def test_prefixes_that_are_no_province_are_refused(self, prefix):
        with pytest.raises(ValidationError) as exc:
            v.parse_resident_id(_id_with_prefix(prefix))
        assert exc.value.code == "id_region"

    def test_the_990105_number_is_refused_with_a_chinese_message(self):
        from django.utils import translation

        with pytest.raises(ValidationError) as exc:
            v.parse_resident_id(_id_with_prefix("99"))
        with translation.override("zh-hans"):
            message = exc.value.messages[0]
        assert "99" in message and "省" in message


class TestPhone:
    @pytest.mark.parametrize(
        "raw,stored",
        [
            ("13800000000", "13800000000"),
            ("+86 138-0000-0000", "13800000000"),
            ("19912345678", "19912345678"),
            ("0717-1234567", "0717-1234567"),
            ("07171234567", "0717-1234567"),
            ("(0717) 1234567", "0717-1234567"),
            ("010-12345678", "010-12345678"),
            ("021 87654321", "021-87654321"),
            ("0717-1234567-8001", "0717-1234567-8001"),
            ("010-12345678转123", "010-12345678-123"),
            ("０７１７－１２３４５６７", "0717-1234567"),
        ],
    )
    def test_mobiles_and_landlines_with_an_area_code_are_accepted(self, raw, stored):
        assert v.normalise_phone(raw) == stored

    @pytest.mark.parametrize(
        "raw",
        [
            "12800000000",  # no mobile prefix 12
            "1380000000",  # 10 digits
            "1234567",  # a landline without its area code
            "0717-123456",  # local number too short
            "0717-123456789",  # too long
            "717-1234567",  # area code without its 0
            "010-0234567",  # local number starting with 0
            "0717-1234567-",  # empty extension
            "0717-abc4567",
        ],
    )
    def test_other_numbers_are_refused(self, raw):
        with pytest.raises(ValidationError) as exc:
            v.normalise_phone(raw)
        assert exc.value.code == "phone"

    def test_a_landline_is_masked_keeping_its_area_code(self):
        assert v.mask_mobile("0717-1234567") == "0717-***4567"
        assert len(v.normalise_phone("0717-12345678-123456")) <= v.PHONE_MAX_LENGTH


class TestMobile:
    @pytest.mark.parametrize("raw", ["13800000000", "+86 138-0000-0000", "8613800000000"])
    def test_prefixes_spaces_and_hyphens_are_stripped(self, raw):
        assert v.normalise_mobile(raw) == "13800000000"

    @pytest.mark.parametrize("raw", ["12800000000", "1380000000", "07176666666"])
    def test_non_mobile_numbers_are_refused(self, raw):
        with pytest.raises(ValidationError):
            v.normalise_mobile(raw)

    def test_masking_keeps_the_first_three_and_last_four(self):
        assert v.mask_mobile("13812345678") == "138****5678"


def test_region_and_industry_codes_are_checked():
    v.validate_region_code("420502")
    v.validate_industry_code("C16")
    with pytest.raises(ValidationError):
        v.validate_region_code("42050")
    with pytest.raises(ValidationError):
        v.validate_industry_code("Z99")
