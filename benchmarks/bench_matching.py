"""Priority matching: full matrix on the shipped data, EU-scale synthetic run, and evaluation.

Targets (issue "Priority matching"): 21 regions (~100 priorities) x ~60 areas under 300 ms;
240 regions x 1,800 priorities x 200 areas under 5 s and 1 GiB; precision@k and recall@k on the
labelled links of benchmarks/data/match_evaluation.yaml (printed, no target: they describe the
engine on the shipped data, they do not gate it).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import yaml

from benchmarks.common import Figure, median_ms, peak_mib
from synergy_app.priorities.evaluation import Link, evaluate
from synergy_app.priorities.graph import build_graph, regions_for_area
from synergy_app.priorities.matching import Codes, Item, MatchWeights, match_all
from synergy_app.priorities.reference_items import load_reference_items

EVALUATION_FILE = Path(__file__).with_name("data") / "match_evaluation.yaml"


def synthetic(regions: int, priorities: int, areas: int, seed: int = 7) -> tuple[list[Item], list[Item]]:
    """Random items drawn from the shipped data's words and codes, so term and code statistics are realistic."""
    rng = random.Random(seed)
    ref = load_reference_items()
    pool = [*ref.priorities, *ref.areas]
    words = sorted({w for i in pool for w in f"{i.title} {i.description}".split() if w.isalpha()})
    keywords = sorted({k for i in pool for k in i.keywords})
    codes = {axis: sorted({c for i in pool for c in i.codes.on(axis)}) for axis in ("economic", "scientific", "policy")}

    def item(kind: str, ident: str, owner: str) -> Item:
        return Item(
            id=ident,
            kind=kind,
            owner_id=owner,
            title=" ".join(rng.sample(words, 4)),
            description=" ".join(rng.choices(words, k=25)),
            keywords=tuple(rng.sample(keywords, 5)),
            codes=Codes(
                **{axis: tuple(rng.sample(values, 3 if axis == "economic" else 2)) for axis, values in codes.items()}
            ),
        )

    ps = [item("priority", f"p{i}", f"r{i % regions}") for i in range(priorities)]
    as_ = [item("area", f"a{i}", f"o{i % 20}") for i in range(areas)]
    return ps, as_


def _evaluation(weights: MatchWeights) -> list[Figure]:
    ref = load_reference_items()
    data = yaml.safe_load(EVALUATION_FILE.read_text(encoding="utf-8"))
    links = [Link(x["region"], x["area"]) for x in data["links"]]
    graph = build_graph(
        ref.priorities,
        ref.areas,
        match_all(ref.priorities, ref.areas, weights),
        ref.region_labels,
        ref.organisation_labels,
    )
    figures = []
    for k in (3, 5, 10):
        result = evaluate(links, lambda area: [r.region for r in regions_for_area(graph, area)], k)
        figures.append(
            Figure(f"matching: precision@{k} ({result.areas} areas, {result.links} links)", result.precision, "ratio")
        )
        figures.append(Figure(f"matching: recall@{k}", result.recall, "ratio"))
    return figures


def _page_run_figures() -> list[Figure]:
    """The matching behind a page on a database with the shipped data: the first run of a data version
    (computes and caches the TF-IDF model and every score), then a run of the same version (cache hit:
    one version query and the rows the page shows)."""
    import tempfile

    from flask_migrate import upgrade

    from synergy_app import create_app
    from synergy_app.core.seed import seed_reference
    from synergy_app.extensions import db
    from synergy_app.priorities import matching_service

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "REDIS_URL": None,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/matching.sqlite3"})
        with app.app_context():
            upgrade()
            seed_reference()
        with app.test_request_context("/priorities/matrix"):
            start = time.perf_counter()
            matching_service.run()
            first = (time.perf_counter() - start) * 1000
            cached = median_ms(matching_service.run, repeat=15)
            db.session.remove()
        with app.app_context():
            db.engine.dispose()
    return [Figure("matching: a page's run, first of a data version (computes and caches)", first, "ms", 300),
            Figure("matching: a page's run, same data version (from the cache)", cached, "ms", 20)]


def run() -> list[Figure]:
    weights = MatchWeights.load()
    ref = load_reference_items()
    n_regions = len({p.owner_id for p in ref.priorities})
    full = median_ms(lambda: match_all(ref.priorities, ref.areas, weights), repeat=7)
    figures = [
        Figure(
            f"matching: full matrix {n_regions} regions/{len(ref.priorities)} priorities x {len(ref.areas)} areas",
            full,
            "ms",
            300,
        )
    ]

    ps, as_ = synthetic(240, 1800, 200)
    start = time.perf_counter()
    match_all(ps, as_, weights)
    eu_seconds = time.perf_counter() - start
    figures.append(Figure("matching: EU scale 240 regions/1800 priorities x 200 areas", eu_seconds, "s", 5))
    figures.append(Figure("matching: EU scale peak memory", peak_mib(lambda: match_all(ps, as_, weights)), "MiB", 1024))
    return figures + _page_run_figures() + _evaluation(weights)


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
