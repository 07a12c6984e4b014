"""A legal citation reads in the page's language: the Swedish form of an EU act's name on Swedish pages."""

from synergy_app.formatting import legal_citation


def test_swedish_pages_cite_eu_acts_in_their_swedish_form():
    english = "Art. 25(6)(b) (EU) No 651/2014, as amended by (EU) 2023/1315"
    assert legal_citation(english, "sv") == "Art. 25(6)(b) (EU) nr 651/2014, i lydelse enligt (EU) 2023/1315"
    assert legal_citation("Annex I Art. 2(1) (EU) No 651/2014", "sv") == "bilaga I Art. 2(1) (EU) nr 651/2014"
    assert legal_citation("Framework for State aid for R&D&I (2022/C 414/01), section 2.1.1", "sv") == (
        "Rambestämmelser för statligt stöd till forskning, utveckling och innovation (2022/C 414/01), avsnitt 2.1.1")


def test_english_pages_keep_the_citation_as_stored():
    english = "Art. 25(6)(b) (EU) No 651/2014, as amended by (EU) 2023/1315"
    assert legal_citation(english, "en") == english
    assert legal_citation(None, "sv") == ""
