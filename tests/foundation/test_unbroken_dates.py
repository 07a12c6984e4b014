"""A date inside a sentence stays on one line: a phone would otherwise wrap "2027-11-20" at a hyphen."""

from synergy_app.formatting import unbroken_dates


def test_each_date_and_its_time_is_kept_together():
    text = "Beslut 2027-11-20, efter senaste projektstart (2027-10-01 14:00)."
    assert str(unbroken_dates(text)) == ('Beslut <span class="date">2027-11-20</span>, efter senaste projektstart '
                                         '(<span class="date">2027-10-01 14:00</span>).')


def test_the_rest_of_the_text_is_escaped():
    escaped = '&lt;b&gt;R&amp;D&lt;/b&gt; <span class="date">2027-01-05</span>'
    assert str(unbroken_dates("<b>R&D</b> 2027-01-05")) == escaped
    assert str(unbroken_dates(None)) == ""
