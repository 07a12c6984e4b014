"""Directory pages: funders with their programmes, and cluster initiatives (the blueprint keeps the
name "directory"; the pages live here so that the directory itself stays below the accounts)."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..auth.access import ANY_USER, allow
from ..directory import labels, queries

bp = Blueprint("directory", __name__, url_prefix="/directory")


@bp.get("/funders")
@allow(ANY_USER)
def funders():
    return render_template("directory/funders.html", funders=queries.funders(), labels=labels)


@bp.get("/clusters")
@allow(ANY_USER)
def clusters():
    return render_template("directory/clusters.html", clusters=queries.clusters())
