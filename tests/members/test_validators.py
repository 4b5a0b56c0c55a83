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
