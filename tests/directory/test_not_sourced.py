"""Where the reference data has no source for a region's or an agency's areas or a programme's rate, the page
says "not yet sourced" in words, in Swedish and in English, instead of showing an empty or silently short list;
reference text in one language is marked as such on the page in the other."""

from __future__ import annotations

import html as htmllib
import re

import pytest


@pytest.fixture
def reader(make_user, login):
    return login(make_user("reader"))


def page(client, url: str, lang: str = "sv") -> str:
    response = client.get(f"{url}?lang={lang}")
    assert response.status_code == 200, url
    return htmllib.unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def text(html: str) -> str:
    """The words a reader sees, without markup."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_a_region_whose_areas_no_source_names_says_not_yet_sourced(client, reader):
    sv = text(page(client, "/directory/regions/vasterbotten"))
    assert "Ännu inte belagt i källa: källan nämner 9 områden, men ingen läst källa namnger dem." in sv
    assert "Inga verifierade områden" not in sv
    en = text(page(client, "/directory/regions/vasterbotten", "en"))
    assert "Not yet sourced: the source mentions 9 areas, but no source read so far names them." in en
    assert "What was searched" in en


def test_a_region_with_a_short_list_says_how_many_are_not_yet_sourced(client, reader):
    sv = page(client, "/directory/regions/gotland")
    assert "Belagda i källa: 2 av 3 områden. Ännu inte belagda i källa: 1." in sv
    en = page(client, "/directory/regions/gotland", "en")
    assert "Sourced: 2 of 3 areas. Not yet sourced: 1." in en
    # A complete list says nothing of the kind.
    assert "Not yet sourced" not in page(client, "/directory/regions/uppsala", "en")


def test_the_region_list_says_not_yet_sourced_in_the_row_instead_of_an_empty_cell(client, reader):
    sv = page(client, "/directory/regions")
    row = sv.split("Region Västerbotten", 1)[1].split("</tr>", 1)[0]
    assert "Ännu inte belagt i källa" in row
    en = page(client, "/directory/regions", "en")
    row = en.split("Region Västerbotten", 1)[1].split("</tr>", 1)[0]
    assert "Not yet sourced" in row
    uppsala = en.split("Region Uppsala", 1)[1].split("</tr>", 1)[0]
    assert "Innovative materials" in uppsala and "Not yet sourced" not in uppsala


def test_the_matching_page_of_a_region_says_not_yet_sourced(client, reader):
    assert "Ännu inte belagt i källa" in page(client, "/priorities/regions/vasterbotten")
    assert "Not yet sourced" in page(client, "/priorities/regions/vasterbotten", "en")


def test_an_agency_with_an_incomplete_list_of_areas_says_so(client, reader):
    sv = page(client, "/directory/organisations/vinnova")
    assert "Belagda i källa: 4 av 10 områden. Ännu inte belagda i källa: 6." in sv
    en = page(client, "/directory/organisations/vinnova", "en")
    assert "Sourced: 4 of 10 areas. Not yet sourced: 6." in en
    business_sweden = page(client, "/directory/organisations/business-sweden", "en")
    assert "The list may be incomplete: other areas are not yet sourced." in business_sweden
    agencies = page(client, "/directory/agencies")
    assert "Listan kan vara ofullständig: övriga områden är ännu inte belagda i källa." in agencies


def test_a_programme_whose_own_rate_is_not_sourced_says_so(client, reader):
    sv = page(client, "/directory/funders")
    row = sv.split("Regionalfondsprogram för Övre Norrland", 1)[1].split("</tr>", 1)[0]
    assert "programmets egen nivå är ännu inte belagd i källa" in row
    mellersta = sv.split("Regionalfondsprogram för Mellersta Norrland", 1)[1].split("</tr>", 1)[0]
    assert "40" in mellersta and "ännu inte belagd" not in mellersta
    en = page(client, "/directory/funders", "en")
    row = en.split("Regionalfondsprogram för Övre Norrland", 1)[1].split("</tr>", 1)[0]
    assert "the programme's own rate is not yet sourced" in row


def test_reference_text_in_one_language_is_marked_on_the_page_in_the_other(client, reader):
    en = page(client, "/directory/regions/uppsala", "en")
    assert re.search(r'<p lang="sv">Ett av fyra styrkeområden[^<]*<span class="hint" lang="en">\(in Swedish only\)',
                     en)
    sv = page(client, "/directory/regions/uppsala")
    assert "(endast på svenska)" not in sv
    assert '<p lang="en" class="notice">The regional board adopted' in sv and "(endast på engelska)" in sv
    area_sv = page(client, "/priorities/areas/impact-sustaingov")
    assert re.search(r'<p lang="en">Impact Innovation programme for a reformed public sector[^<]*'
                     r'<span class="hint" lang="sv">\(endast på engelska\)', area_sv)
    assert "(in English only)" not in page(client, "/priorities/areas/impact-sustaingov", "en")


def test_the_dossier_extract_of_a_region_without_sourced_areas_says_so(client, reader):
    for lang, words in (("sv", "Ännu inte belagt i källa"), ("en", "Not yet sourced")):
        response = client.get(f"/directory/regions/vasterbotten/extract.csv?lang={lang}")
        assert response.status_code == 200
        assert words in response.data.decode("utf-8-sig")


def test_the_api_states_how_complete_a_list_is(client, make_user, api_token):
    headers = api_token(make_user("reader"))
    vasterbotten = client.get("/api/v1/regions/vasterbotten", headers=headers).get_json()
    assert vasterbotten["priorities"] == []
    assert vasterbotten["priorities_sourced"]["complete"] is False
    assert vasterbotten["priorities_sourced"]["stated_count"] == 9
    uppsala = client.get("/api/v1/regions/uppsala", headers=headers).get_json()
    assert uppsala["priorities_sourced"] == {"complete": True, "listed": 4, "stated_count": 4, "note": None}
    vinnova = client.get("/api/v1/organisations/vinnova", headers=headers).get_json()
    assert vinnova["areas_sourced"]["listed"] == 4 and vinnova["areas_sourced"]["stated_count"] == 10
