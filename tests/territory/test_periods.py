"""The territory's periods (the last 12 months and the next 3, a year, months cut in the
region's zone), a campaign's previous edition, and the numbers kept between requests."""

from __future__ import annotations

from datetime import date, datetime, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from agenda.territory.memo import Memo
from agenda.territory.periods import (
    Period,
    default_period,
    edition_key,
    previous_edition,
    year_before,
)

PARIS = ZoneInfo("Europe/Paris")


def test_the_default_period_is_the_last_12_months_and_the_next_3():
    period = default_period(date(2026, 11, 21))
    assert period == Period(date(2025, 12, 1), date(2027, 2, 28))
    months = period.month_starts()
    assert len(months) == 15 and months[0] == date(2025, 12, 1) and months[-1] == date(2027, 2, 1)


def test_months_are_cut_at_midnight_in_the_regions_zone_and_clipped_to_the_period():
    bounds = Period(date(2026, 3, 15), date(2026, 4, 10)).month_bounds(PARIS)
    assert bounds == [datetime(2026, 3, 14, 23, tzinfo=timezone.utc),
                      datetime(2026, 3, 31, 22, tzinfo=timezone.utc),  # summer time
                      datetime(2026, 4, 10, 22, tzinfo=timezone.utc)]


def campaign(id_: int, name: str, slug: str, starts: date):
    return SimpleNamespace(id=id_, name=name, slug=slug, starts_on=starts)


def test_an_edition_is_known_by_its_name_without_its_year():
    assert edition_key("Mois de l'ESS 2026") == edition_key("Mois de l’ESS – 2025") \
        == "mois de l ess"
    assert edition_key("Fête des possibles") == "fete des possibles"


def test_the_previous_edition_is_last_years_campaign_of_the_same_name():
    this = campaign(3, "Mois de l'ESS 2026", "mois-ess-2026", date(2026, 11, 1))
    earlier = [campaign(2, "Semaine solidaire", "semaine", date(2025, 11, 10)),
               campaign(1, "Mois de l'ESS 2025", "mois-ess-2025", date(2025, 11, 1)),
               campaign(0, "Mois de l'ESS 2024", "mois-ess-2024", date(2024, 11, 1))]
    assert previous_edition(this, earlier).id == 1
    assert previous_edition(this, earlier[2:]) is None  # two years before: not the previous
    renamed = campaign(4, "Le mois de l'économie sociale", "mois-ess-2025", date(2025, 11, 1))
    assert previous_edition(this, [renamed]).id == 4  # the slugs agree
    other = campaign(5, "Fête des possibles 2025", "fete-2025", date(2025, 11, 1))
    assert previous_edition(this, [other]) is None


def test_the_same_day_a_year_before():
    assert year_before(date(2026, 11, 1)) == date(2025, 11, 1)
    assert year_before(date(2028, 2, 29)) == date(2027, 2, 28)


def test_the_memo_keeps_a_value_per_key_and_forgets_the_oldest():
    memo, calls = Memo(kept=2), []

    def compute(value):
        return lambda: calls.append(value) or value

    assert memo.get("a", compute(1)) == 1 and memo.get("a", compute(2)) == 1
    memo.get("b", compute(3))
    memo.get("c", compute(4))  # "a" goes
    assert memo.get("a", compute(5)) == 5
    assert calls == [1, 3, 4, 5]
