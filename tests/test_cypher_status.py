"""segment_status in Cypher returns exactly the NetworkX classification (bundled and synthetic data)."""

from __future__ import annotations

import pytest

from test_cypher_library import _cypher_status, _nx_status

pytestmark = pytest.mark.neo4j


@pytest.mark.parametrize("source", ["yangzhou-613", "synthetic"])
def test_segment_status_agrees_with_networkx(neo4j, tmp_path, source):
    from chainkg.loaders import load_valid
    from chainkg.neo4j_io.writer import load_dataset

    if source == "synthetic":  # cycles, cross-chain links, unlinked segments
        from chainkg.synth import synth_dataset

        synth_dataset(tmp_path / "s", firms=60, seed=1)  # every status occurs
        source = tmp_path / "s"
    drv = neo4j.driver()
    load_dataset(drv, neo4j.settings.database, load_valid(source))
    drv.close()
    cy, nx_ = _cypher_status(neo4j), _nx_status(source)
    assert set(cy) == set(nx_) and len(cy) >= 34
    assert [s for s in nx_ if cy[s] != nx_[s]] == []
    assert len({v[0] for v in nx_.values()}) >= 6
