"""Golden files of sample (a)'s figures and dates: any change to them is seen and reviewed.

Regenerate with `BULLETIN_UPDATE_GOLDEN=1 pytest tests/test_golden_items.py`, then read the diff.
"""

from tests.conftest import check_golden

FIGURE_FIELDS = ("text", "value", "unit", "kind", "qualifier", "low", "high", "subject", "place", "place_code",
                 "as_of", "is_total", "page", "start", "end")
DATE_FIELDS = ("text", "value", "precision", "start_date", "end_date", "year_inferred", "page", "start", "end")


def test_sample_a_figures(extracted):
    figures = [f.model_dump(mode="json", include=set(FIGURE_FIELDS)) for f in extracted("a").figures]
    check_golden("bulletin-a.figures.json", figures)


def test_sample_a_dates(extracted):
    dates = [d.model_dump(mode="json", include=set(DATE_FIELDS)) for d in extracted("a").dates]
    check_golden("bulletin-a.dates.json", dates)


def test_items_carry_their_sentence_and_page(extracted):
    result = extracted("a")
    for item in [*result.figures, *result.dates]:
        assert result.text[item.start:item.end] == item.text
        assert item.text in item.sentence and item.sentence in result.text
        page = result.pages[item.page - 1]
        assert page.start <= item.start < page.end
