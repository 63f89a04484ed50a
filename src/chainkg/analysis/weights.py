"""The analysis points and the thin threshold: ``weights.yaml`` (shipped) is their only source.

A user's file may give only some keys; the rest come from the shipped file.

>>> w = default_weights()
>>> w.thin_threshold, w.kind.gap_fill, w.prospect.revenue_tiers[0]
(3, 2.0, (500.0, 4.0))
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..errors import UsageError
from .settings_file import read_yaml, validated


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KindPoints(_Strict):
    gap_fill: float
    gap_extend: float
    gap_isolated: float
    gap_unlinked: float
    single: float
    thin: float
    present: float


class ProspectPoints(_Strict):
    local_partner: float
    local_partner_max: int = Field(ge=0)
    fund_investment: float
    revenue_tiers: list[tuple[float, float]]
    other_gap: float


class Weights(_Strict):
    key_segment: float
    kind: KindPoints
    adjacent_local_firm: float
    adjacent_local_firm_max: int = Field(ge=0)
    flow_betweenness: float
    lab: float
    lab_max: int = Field(ge=0)
    fund: float
    fund_max: int = Field(ge=0)
    thin_threshold: int = Field(ge=2)
    prospect: ProspectPoints


def default_weights_path() -> Path:
    return Path(str(resources.files("chainkg.analysis") / "weights.yaml"))


def _read(path: Path) -> dict:
    data = read_yaml(path, "weights") or {}
    if not isinstance(data, dict):
        raise UsageError(f"{path} is not a mapping of keys to points.",
                         hint=f"Compare with the shipped file {default_weights_path()}.")
    return data


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return out


@lru_cache(maxsize=1)
def default_weights() -> Weights:
    """The shipped points (read once)."""
    return load_weights(None)


def load_weights(path: str | Path | None = None) -> Weights:
    """The shipped points, or those of ``path`` over them; a typo or bad value is a UsageError naming it."""
    shipped = _read(default_weights_path())
    path = Path(path) if path else default_weights_path()
    data = _merge(shipped, _read(path)) if path != default_weights_path() else shipped
    return validated(Weights, data, path, default_weights_path())
