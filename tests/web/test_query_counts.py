from tests.support.factories import PASSWORD, make_coach, make_program
from tests.support.queries import counted_queries


def test_program_list_runs_the_same_queries_for_2_and_20_programs(app, client):
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        for n in range(2):
            make_program(coach, name=f"P{n}")
    client.login("coach@example.com", PASSWORD)
    with counted_queries(app) as few:
        assert "P1" in client.get("/programs/").get_data(as_text=True)
    with app.app_context():
        for n in range(2, 20):
            make_program(coach, name=f"P{n}")
    with counted_queries(app) as many:
        assert "P19" in client.get("/programs/").get_data(as_text=True)
    assert len(few) == len(many) <= 4
