"""Text similarity for Swedish and English: stems, compounds, TF-IDF cosine and shared terms."""

from synergy_app.priorities.text_similarity import (
    TextCorpus,
    TextFields,
    detect_language,
    shared_terms,
    split_compound,
)


def test_swedish_inflection_and_compound_match_their_base_word():
    corpus = TextCorpus.build(
        {
            "p": TextFields("Tillverkningsindustrin", "Regionens tillverkningsindustri växer."),
            "a": TextFields("Hållbar tillverkning", "Stöd till tillverkning."),
            "c": TextFields("Besöksnäring", "Turism och upplevelser."),
        }
    )
    assert corpus.similarity("p", "a") > 0.05
    assert corpus.similarity("p", "c") == 0.0
    terms = shared_terms(corpus.vectors["p"], corpus.vectors["a"])
    assert terms[0].stem == "tillverkning"
    # The explanation shows the words as written on each side, not the stem.
    assert "tillverkningsindustrin" in terms[0].words_a
    assert terms[0].words_b == ("tillverkning",)


def test_definite_forms_share_a_stem():
    corpus = TextCorpus.build({"a": TextFields("Elektrifieringen"), "b": TextFields("Elektrifiering av transporter")})
    assert corpus.similarity("a", "b") > 0.3


def test_compound_split_needs_known_head_and_word_length_tail():
    vocabulary = {"tillverkning", "industri", "energi", "system"}
    assert split_compound("tillverkningsindustri", vocabulary) == ("tillverkning", "industri")
    assert split_compound("energisystem", vocabulary) == ("energi", "system")
    # "industriell" is not "industri" + a word: the tail is too short to be one.
    assert split_compound("industriell", vocabulary) == ()


def test_stop_words_do_not_make_texts_similar():
    corpus = TextCorpus.build(
        {"a": TextFields("Det är och för med"), "b": TextFields("det är och för med"), "c": TextFields("Skog")}
    )
    assert corpus.vectors["a"].weights == {}
    assert corpus.similarity("a", "b") == 0.0


def test_english_text_is_stemmed_as_english():
    assert detect_language("Manufacturing of the future and the digital transition") == "english"
    assert detect_language("Framtidens tillverkning och den digitala omställningen") == "swedish"
    corpus = TextCorpus.build(
        {
            "a": TextFields("Manufacturing", "Manufacturing industries in the region"),
            "b": TextFields("Manufactured goods", "Industry and its manufacturers"),
        }
    )
    assert any(t.stem == "manufactur" for t in shared_terms(corpus.vectors["a"], corpus.vectors["b"]))


def test_keywords_weigh_more_than_description():
    docs = {
        "kw": TextFields("Skog", "", ("batterier",)),
        "desc": TextFields("Skog", "batterier"),
        "area": TextFields("Batterier", "batterier"),
        "other": TextFields("Skog", "trä"),
    }
    corpus = TextCorpus.build(docs)
    kw = corpus.vectors["kw"].weights["batteri"]
    desc = corpus.vectors["desc"].weights["batteri"]
    assert kw > desc
