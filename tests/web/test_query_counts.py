from tests.support.factories import PASSWORD, make_coach, make_program
from tests.support.plusone import logged_in
from tests.support.queries import counted_queries
from tests.web.test_plusone import add_sessions


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


def test_the_clients_page_of_a_coach_runs_the_same_queries_for_1_and_20_bookings(app, pair):
    person = logged_in(app, pair.person_email)
    add_sessions(app, pair, 10)
    with counted_queries(app) as few:
        html = person.get(f"/my/coaches/{pair.coach_id}").get_data(as_text=True)
    assert 'id="remaining-count">5<' in html and html.count('<tr id="booking-') == 1
    for _ in range(19):
        add_sessions(app, pair, 10)
    with counted_queries(app) as many:
        html = person.get(f"/my/coaches/{pair.coach_id}").get_data(as_text=True)
    assert 'id="remaining-count">100<' in html and html.count('<tr id="booking-') == 20
    assert len(few) == len(many) <= 6, "\n".join(q[:120] for q in many)
