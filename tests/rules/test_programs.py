import pytest

from webapp.rules.programs import (
    LEADERBOARD_AVAILABLE,
    ProgramAction,
    ProgramRuleError,
    ProgramStatus,
    accepts_clients,
    is_editable,
    next_status,
    offers,
)

D, P, A = ProgramStatus.DRAFT, ProgramStatus.PUBLISHED, ProgramStatus.ARCHIVED


@pytest.mark.parametrize(
    ("current", "action", "expected"),
    [(D, ProgramAction.PUBLISH, P), (D, ProgramAction.ARCHIVE, A), (P, ProgramAction.ARCHIVE, A)],
)
def test_allowed_steps(current, action, expected):
    assert next_status(current, action) is expected


@pytest.mark.parametrize(
    ("current", "action", "message"),
    [
        (P, ProgramAction.PUBLISH, "already published"),
        (A, ProgramAction.PUBLISH, "cannot be published again"),
        (A, ProgramAction.ARCHIVE, "already archived"),
    ],
)
def test_refused_steps(current, action, message):
    with pytest.raises(ProgramRuleError, match=message):
        next_status(current, action)


def test_archiving_with_clients_is_refused_and_says_to_move_them():
    with pytest.raises(ProgramRuleError, match="Move them to another program"):
        next_status(P, ProgramAction.ARCHIVE, clients_in_program=2)


def test_only_published_programs_accept_clients():
    assert [s for s in ProgramStatus if accepts_clients(s)] == [P]


def test_one_to_one_programs_have_no_leaderboard():
    assert LEADERBOARD_AVAILABLE["one_to_one"] is False


def test_only_an_archived_program_is_closed_to_editing():
    assert [s for s in ProgramStatus if not is_editable(s)] == [A]


@pytest.mark.parametrize(
    ("status", "publish", "archive"), [(D, True, True), (P, False, True), (A, False, False)]
)
def test_a_program_offers_the_steps_its_status_allows(status, publish, archive):
    assert offers(status, ProgramAction.PUBLISH) is publish
    assert offers(status, ProgramAction.ARCHIVE) is archive
