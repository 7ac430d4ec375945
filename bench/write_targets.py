"""Enough remaining sessions for "mark complete" at every size.

A completed session answers "already completed" without writing, so a run that came back to
one would measure that instead of a completion. The seed gives each coach about 800 remaining
sessions, which the 20 coaches the bench logs in as at full scale have plenty of, but the 2
coaches at 1/100 do not. Their clients get more bookings of remaining sessions here, so each
size has more than one run can complete and the two sizes do the same work per request.
"""

from __future__ import annotations

import psycopg

from bench.seed import SESSIONS_PER_BOOKING

# More than one 10-second run completes at the fastest rate seen here (~900 req/s).
REMAINING_SESSIONS = 12_000
# The coaches every coach page logs in as (`p.coach_id <= 20` in pages.py).
BENCH_COACHES = 20


def top_up(conninfo: str) -> int:
    """Book remaining sessions until the bench's coaches have enough; how many were added."""
    with psycopg.connect(conninfo) as conn:
        (remaining,) = conn.execute(
            "SELECT count(*) FROM coaching_sessions WHERE status = 'remaining' AND coach_id <= %s",
            (BENCH_COACHES,),
        ).fetchone()
        bookings = -(-max(0, REMAINING_SESSIONS - remaining) // SESSIONS_PER_BOOKING)
        if not bookings:
            return 0
        # Round-robin over the clients with an account, each booking of the seed's kind, its
        # sessions weekly from the booking date and all still to come.
        added = conn.execute(
            """
            WITH members AS (
                SELECT c.user_id, p.coach_id, row_number() OVER (ORDER BY c.id) - 1 AS n
                FROM clients c JOIN programs p ON p.id = c.program_id
                WHERE c.user_id IS NOT NULL AND p.coach_id <= %(coaches)s
            ), counted AS (SELECT count(*) AS total FROM members),
            booked AS (
                INSERT INTO bookings (coach_id, client_user_id, package_id, kind, sessions_count,
                                      total_minor, rate_minor, currency, auto_renewal_allowed,
                                      booked_at)
                SELECT m.coach_id, m.user_id, k.id, 'package', %(per_booking)s, 70000, 7000,
                       'GBP', true, now() - interval '30 days' + (b %% 30) * interval '1 day'
                FROM generate_series(0, %(bookings)s - 1) AS b
                CROSS JOIN counted
                JOIN members m ON m.n = b %% counted.total
                JOIN packages k ON k.coach_id = m.coach_id
                RETURNING id, coach_id, client_user_id, sessions_count, booked_at
            )
            INSERT INTO coaching_sessions (booking_id, coach_id, client_user_id, status,
                                           calendar_client_id, scheduled_at, updated_at)
            SELECT b.id, b.coach_id, b.client_user_id, 'remaining', c.id,
                   b.booked_at + g * interval '7 days', b.booked_at
            FROM booked b
            JOIN clients c ON c.user_id = b.client_user_id
            CROSS JOIN generate_series(0, b.sessions_count - 1) AS g
            """,
            {"coaches": BENCH_COACHES, "per_booking": SESSIONS_PER_BOOKING, "bookings": bookings},
        ).rowcount
        conn.commit()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("ANALYZE bookings, coaching_sessions")
    return added
