from __future__ import annotations

import pytest

from simulator import prepaid as tk

METER = "04312000001"


def test_luhn_check_digit_matches_the_textbook_example() -> None:
    assert tk.luhn_digit("7992739871") == "3"


def test_a_made_token_is_twenty_digits_bound_to_its_meter() -> None:
    token = tk.make_token(METER, 12_300, token_id=42)
    assert token == "00000042" + "000123" + "00001" + tk.luhn_digit("0000004200012300001")
    result = tk.check_token(token, METER)
    assert result.accepted and result.status == tk.EXECUTION_OK and result.credit_wh == 12_300


@pytest.mark.parametrize("token", ["1234", "1" * 21, "0000004200012300001x", "\uff10" * 20, ""])
def test_malformed_tokens_fail_the_format_check(token: str) -> None:
    assert tk.check_token(token, METER).status == tk.FORMAT_FAILURE


def test_a_wrong_check_digit_fails_the_format_check() -> None:
    token = tk.make_token(METER, 1_000, token_id=1)
    broken = token[:-1] + str((int(token[-1]) + 1) % 10)
    assert tk.check_token(broken, METER).status == tk.FORMAT_FAILURE


def test_a_token_for_another_meter_fails_authentication() -> None:
    token = tk.make_token("04312000002", 1_000, token_id=1)
    assert tk.check_token(token, METER).status == tk.AUTHENTICATION_FAILURE


def test_a_used_token_fails_validation() -> None:
    token = tk.make_token(METER, 1_000, token_id=1)
    result = tk.check_token(token, METER, used={token})
    assert result.status == tk.VALIDATION_FAILURE and not result.accepted and result.reason == "token already used"


def test_a_token_without_credit_fails_validation() -> None:
    body = "00000001" + "000000" + "00001"
    assert tk.check_token(body + tk.luhn_digit(body), METER).status == tk.VALIDATION_FAILURE


def test_make_token_refuses_amounts_it_cannot_encode() -> None:
    with pytest.raises(ValueError, match="between"):
        tk.make_token(METER, 50, token_id=1)
