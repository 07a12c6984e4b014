"""The collaboration page's <title> is plain text and its table of complementary pairs appears once."""

import re


def test_collaboration_page_title_is_plain_and_table_appears_once(client, make_user, login):
    login(make_user("planner"))
    page = client.get("/priorities/collaboration").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title and "Samverkan mellan regioner" in title
    assert page.count('id="complements"') == 1
