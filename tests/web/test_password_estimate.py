"""The estimator reads the account's own name and email as guessable words, offline."""

from webapp.services.password_strength import estimate


def test_a_common_password_scores_low_with_the_estimators_warning():
    weak = estimate("password1234")
    assert weak.score < 3 and "common password" in weak.warning


def test_the_persons_name_makes_an_otherwise_strong_password_weak():
    password = "quarterbrook2026"
    assert estimate(password).score >= 3
    own = estimate(password, user_inputs=("Wilhelmina Quarterbrook", "wq@example.com"))
    assert own.score < 3 and own.uses_own_details


def test_a_very_long_password_is_estimated_without_error():
    assert estimate("correct horse battery " * 12).score == 4
