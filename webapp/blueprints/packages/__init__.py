from flask import Blueprint

from webapp.rules.money import Money
from webapp.rules.plusone import package_rate
from webapp.services.amounts import format_money

bp = Blueprint("packages", __name__, url_prefix="/packages")


@bp.app_template_filter("rate")
def rate(total_and_count: tuple[int, int], currency: str) -> str:
    """`(40000, 5) | rate("GBP")` -> "£80.00", the per-session rate of a package."""
    total, count = total_and_count
    return format_money(package_rate(count, Money(int(total), currency)))


from webapp.blueprints.packages import views  # noqa: E402, F401
