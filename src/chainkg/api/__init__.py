"""The front door: one way to get a graph, an analysis and a report.

Every command, and every analyst in a notebook, goes through these functions::

    import chainkg
    g = chainkg.open_graph("yangzhou-613")     # or open_graph(from_neo4j=True)
    a = chainkg.analyze(g, district="高邮市")
    rep = chainkg.build_report(a, lang="en")

``open_graph`` gives the NetworkX ``MultiDiGraph`` of a validated dataset (folder, workbook,
bundled name) or of the graph in Neo4j; ``analyze`` resolves names (district) and reads the
points file (weights) before running :func:`chainkg.analysis.analyze`; ``build_report`` is the
plain-data report every format is drawn from.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from ..analysis import Analysis
    from ..analysis.incremental import Update
    from ..analysis.weights import Weights
    from ..connection import ConnectionSettings
    from ..graph_model.records import Dataset

__all__ = ["analyze", "apply_changes", "both_runs", "build_report", "chokepoints", "connection_settings", "dataset_name",
           "district_view", "firms", "gaps", "leaders", "neo4j_version", "open_dataset", "open_graph",
           "open_neo4j_snapshot", "prospects", "tiers", "to_frame"]


def connection_settings(connection: ConnectionSettings | Mapping | None = None) -> ConnectionSettings:
    """Settings as given, or resolved from ``{uri, user, database, home, notifications}`` (None parts:
    environment, then the local server in ``home``, default ``CHAINKG_SERVER_HOME``)."""
    from ..connection import ConnectionSettings, resolve_connection

    if isinstance(connection, ConnectionSettings):
        return connection
    c = dict(connection or {})
    return resolve_connection(c.get("uri"), c.get("user"), c.get("database"), c.get("home"),
                              notifications=bool(c.get("notifications")))


def open_dataset(source: str | Path | None = None, *, from_neo4j: bool = False,
                 connection: ConnectionSettings | Mapping | None = None, encoding: str | None = None,
                 strict: bool = False) -> Dataset:
    """The validated dataset (``DataError`` with every problem when it has errors), or the graph in
    Neo4j as a dataset (``ana_*`` properties left out)."""
    if from_neo4j:
        from ..connection import open_driver
        from ..neo4j_io.reader import read_graph_dataset

        settings = connection_settings(connection)
        with open_driver(settings) as driver:
            return read_graph_dataset(driver, settings.database)
    from ..loaders import load_valid

    return load_valid(source, encoding, strict)


def open_graph(source: str | Path | None = None, *, from_neo4j: bool = False,
               connection: ConnectionSettings | Mapping | None = None, encoding: str | None = None,
               lean: bool = True) -> nx.MultiDiGraph:
    """The graph of a dataset (``source``: folder, .xlsx, YAML/JSON file or bundled name; None is
    the bundled yangzhou-613) or, with ``from_neo4j``, of the Neo4j database of ``connection``.

    The graph's ``graph["dataset"]`` is the name reports show ("neo4j" for a database).

    The graph holds the segments and the other small node kinds as nodes; the firms and their
    relationships stay in columns (:mod:`chainkg.graph_model.firm_table`, ``graph["firms"]``), which
    every finding reads. ``lean=False`` gives the older form with a node per firm, kept only while the
    explorer's pages still read firms as nodes (the same findings: ``tests/test_lean.py``).

    >>> g = open_graph("yangzhou-613")
    >>> g.graph["dataset"], sum(1 for _, d in g.nodes(data=True) if d["label"] == "Chain"), len(g.graph["firms"]) > 100
    ('yangzhou-613', 13, True)
    """
    from ..graph_model.nx_graph import lean_graph, to_networkx

    if from_neo4j:
        ds = open_dataset(source, from_neo4j=True, connection=connection, encoding=encoding)
        G = lean_graph(ds) if lean else to_networkx(ds)
    else:  # the validator builds the graph from its frames, without the Dataset objects in between
        from ..loaders import read_dataset

        report = read_dataset(source, encoding)
        if not report.ok():
            report.require_ok()  # DataError with every problem
        G = report.lean_graph() if lean else report.graph()
    G.graph["dataset"] = dataset_name(source, from_neo4j)
    return G


def open_neo4j_snapshot(driver, database: str = "neo4j", *, lean: bool = False) -> tuple[int, nx.MultiDiGraph]:
    """(data version, graph) of the Neo4j database behind ``driver``, both read in one read
    transaction (every chainkg write bumps the version, :mod:`chainkg.neo4j_io.version`); ``lean`` as
    for :func:`open_graph`. For followers such as the explorer; see :func:`neo4j_version`."""
    from ..graph_model.nx_graph import lean_graph, to_networkx
    from ..neo4j_io.reader import read_snapshot

    version, ds = read_snapshot(driver, database)
    G = lean_graph(ds) if lean else to_networkx(ds)
    G.graph["dataset"] = dataset_name(None, True)
    return version, G


def neo4j_version(driver, database: str = "neo4j") -> int:
    """The data version of the Neo4j database behind ``driver`` (a cheap read: ask it before re-reading)."""
    from ..neo4j_io.reader import data_version

    return data_version(driver, database)


def dataset_name(source: str | Path | None = None, from_neo4j: bool = False) -> str:
    """The name a report gives its data: the file or folder stem, the bundled name, or "neo4j"."""
    from ..loaders import DEFAULT_DATASET, resolve_dataset

    if from_neo4j:
        return "neo4j"
    return resolve_dataset(source).stem if source else DEFAULT_DATASET


def analyze(graph: nx.MultiDiGraph, *, district: str | None = None,
            weights: Weights | str | Path | None = None, confirmed_only: bool = False) -> Analysis:
    """The analysis of ``graph``. ``district``: id or exact Chinese/English name (only firms located
    there, or under it, count as local); ``weights``: a :class:`~chainkg.analysis.weights.Weights`,
    a points file, or None for the shipped ``analysis/weights.yaml``; ``confirmed_only``: the same
    analysis over confirmed facts only (:func:`chainkg.analysis.basis.confirmed_graph`).

    >>> a = analyze(open_graph())
    >>> sum(1 for st in a.statuses.values() if st.is_gap) > 0
    True
    >>> c = analyze(open_graph(), confirmed_only=True)
    >>> c.confirmed_only, c.statuses["AV-ASSY"].status, a.statuses["AV-ASSY"].status
    (True, 'gap_extend', 'single')
    """
    from ..analysis import analyze as run
    from ..analysis.resolve import resolve
    from ..analysis.weights import Weights, load_weights

    dist = resolve(graph, "District", district) if district else None
    w = weights if isinstance(weights, Weights) else load_weights(weights)
    if not confirmed_only:
        return run(graph, w, dist)
    from ..analysis.basis import confirmed_graph
    from ..errors import UsageError

    H = confirmed_graph(graph)
    if dist and dist not in H:
        raise UsageError(f"District {district!r} is itself inferred: it is not in the confirmed facts.",
                         hint="Run without --confirmed-only, or choose a confirmed district.")
    a = run(H, w, dist)
    a.confirmed_only, a.unfiltered = True, graph
    return a


def both_runs(analysis: Analysis) -> tuple[Analysis, Analysis]:
    """(all facts, confirmed facts only) for ``analysis``, whichever of the two it is."""
    from ..analysis import analyze as run
    from ..analysis.basis import confirmed_graph

    if analysis.confirmed_only:
        return run(analysis.unfiltered, analysis.weights, analysis.district), analysis
    H = confirmed_graph(analysis.G)
    district = analysis.district if analysis.district in H else None
    other = run(H, analysis.weights, district)
    other.confirmed_only, other.unfiltered = True, analysis.G
    return analysis, other


def build_report(analysis: Analysis, *, lang: str = "zh", top: int = 15, with_maps: bool = True,
                 dataset: str | None = None, as_of=None, chain: str | None = None) -> dict:
    """The report as plain data (what the terminal, Markdown, JSON, HTML and XLSX show).

    ``dataset`` defaults to the graph's ``graph["dataset"]`` (set by :func:`open_graph`). The report
    compares the analysis with the same analysis over confirmed facts only (its "what changes" section).
    ``as_of`` (a ``datetime.date``, default today) is the date the 红绿黄灯 of tech items are judged at.
    ``chain`` (id or exact Chinese/English name): the report of that chain only.
    """
    from ..findings import change_records
    from ..reports.data import build_report as build

    full, confirmed = both_runs(analysis)
    name = dataset or analysis.G.graph.get("dataset") or analysis.G.graph.get("name") or "graph"
    chain_id = _filters(analysis, chain, None)[0]
    return build(analysis, dataset=name, lang=lang, top=top, with_maps=with_maps,
                 changes=change_records(full, confirmed, lang), as_of=as_of, chain=chain_id)


# -- changes: the analysis after edits, recomputed where they reach -----------------------------

def apply_changes(analysis: Analysis, changes) -> Update:
    """The analysis after ``changes`` (:class:`~chainkg.graph_model.edits.Edit` objects or mappings
    ``{"kind": …, "firm": …, "segment": …, "props": {…}}``, applied in order), recomputing only the
    chains they reach: ``.analysis`` (a new :class:`Analysis` over a new graph; ``analysis`` and its
    graph are left as they were), ``.chains`` (the chains whose findings may differ: refresh those),
    ``.segments`` (the touched segments). Kinds: ``add_firm``, ``remove_firm``, ``set_firm``, ``place``,
    ``unplace``, ``join_chain``, ``leave_chain``, ``locate``, ``unlocate``, ``add_link``, ``remove_link``
    (docs/api.md). Equal to analysing the edited graph from scratch (``tests/test_incremental.py``).
    """
    from ..analysis.incremental import apply_edits

    return apply_edits(analysis, changes)


def district_view(analysis: Analysis, district: str) -> Analysis:
    """The analysis with only firms located in ``district`` (id or exact name) or under it counting as
    local, derived from the city's ``analysis`` without a new pass over the firms."""
    from ..analysis.incremental import district_analysis
    from ..analysis.resolve import resolve

    return district_analysis(analysis, resolve(analysis.G, "District", district))


# -- findings as rows, for commands and notebooks ----------------------------------------------

def _filters(analysis: Analysis, chain: str | None, cluster: str | None) -> tuple[str | None, str | None]:
    from ..analysis.resolve import resolve

    return (resolve(analysis.G, "Chain", chain) if chain else None,
            resolve(analysis.G, "Cluster", cluster) if cluster else None)


def gaps(analysis: Analysis, *, lang: str = "zh", chain: str | None = None, cluster: str | None = None) -> list[dict]:
    """One row per segment (status, reading, priority with its parts, reasons, evidence), highest
    priority first. ``chain``/``cluster``: id or exact Chinese/English name."""
    from ..findings import gap_records

    return gap_records(analysis, lang, *_filters(analysis, chain, cluster))


def prospects(analysis: Analysis, *, lang: str = "zh", chain: str | None = None, cluster: str | None = None,
              segment: str | None = None) -> list[dict]:
    """Outside firms to approach for each gap segment, scored, with reasons."""
    from ..analysis.resolve import resolve
    from ..findings import prospect_records

    seg = resolve(analysis.G, "Segment", segment) if segment else None
    return prospect_records(analysis, lang, *_filters(analysis, chain, cluster), seg)


def chokepoints(analysis: Analysis, *, lang: str = "zh", chain: str | None = None,
                cluster: str | None = None) -> list[dict]:
    """Segments whose removal cuts a path between two local segments."""
    from ..findings import chokepoint_records

    return chokepoint_records(analysis, lang, *_filters(analysis, chain, cluster))


def firms(analysis: Analysis, *, lang: str = "zh", chain: str | None = None, cluster: str | None = None,
          betweenness: bool = True, only_key_firms: bool = False) -> list[dict]:
    """Firms with supplier importance (PageRank), betweenness and key-firm reasons."""
    from ..findings import centrality_records

    return centrality_records(analysis, lang, *_filters(analysis, chain, cluster), betweenness=betweenness,
                              only_key_firms=only_key_firms)


def leaders(analysis: Analysis, *, lang: str = "zh", chain: str | None = None,
            cluster: str | None = None) -> list[dict]:
    """链主 candidates per chain, ranked."""
    from ..findings import leader_records

    return leader_records(analysis, lang, *_filters(analysis, chain, cluster))


def tiers(analysis: Analysis, *, lang: str = "zh", chain: str | None = None, cluster: str | None = None) -> list[dict]:
    """Local firms per revenue tier against the targets, city-wide and per cluster and chain."""
    from ..findings import tier_records

    return tier_records(analysis, lang, *_filters(analysis, chain, cluster))


def to_frame(rows: list[dict], *, lang: str = "zh"):
    """Rows as a pandas DataFrame, nested values flattened as in the CSV output (priority and
    its parts, score parts, coverage ratio). Needs pandas: ``pip install 'chainkg[pandas]'``."""
    try:
        import pandas as pd
    except ImportError as exc:
        from ..errors import EnvironmentProblem

        raise EnvironmentProblem("to_frame needs pandas, which is not installed.",
                                 hint="pip install 'chainkg[pandas]'") from exc
    from ..reports.tables import flatten

    return pd.DataFrame([flatten(r, lang) for r in rows])
