import pytest

from indexer.dates import DateError, parse_date, parse_date_bound


@pytest.mark.parametrize("text", [
    "14. November, 2024", "14. November 2024", "14.11.2024", "2024-11-14",
    "Donnerstag, 14. November 2024", "14 Nov. 2024", "2024-11-14T08:30:00+01:00",
    " 14.  November   2024 ",
])
def test_german_forms(text):
    assert parse_date(text) == "2024-11-14"


@pytest.mark.parametrize("text, iso", [
    ("3. Jänner 2025", "2025-01-03"), ("28. Feber 2024", "2024-02-28"),
    ("1. März 2023", "2023-03-01"), ("1. Maerz 2023", "2023-03-01"),
])
def test_austrian_and_folded_month_names(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["", "Mai 2024", "gestern", "31.02.2024", "14. Brumaire 2024",
                                  "2024-13-45", "14.11.24"])
def test_incomplete_or_impossible_dates_are_errors(text):
    with pytest.raises(DateError):
        parse_date(text)


def test_bounds_of_year_month_day():
    assert parse_date_bound("2024", end=False) == "2024-01-01"
    assert parse_date_bound("2024", end=True) == "2024-12-31"
    assert parse_date_bound("2024-02", end=True) == "2024-02-29"
    assert parse_date_bound("2024-12", end=True) == "2024-12-31"
    assert parse_date_bound("2024-11-14", end=True) == "2024-11-14"
    with pytest.raises(DateError):
        parse_date_bound("2024-13", end=False)
