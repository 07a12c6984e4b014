"""Region and agency pages: everything the workspace knows about a region or a national agency (its
priorities or areas and their matches, dialogues, open actions, calls and joint projects), on the page,
as JSON and as an XLSX or CSV extract, gathered from each capability's public functions."""
