"""The analysis points, from ``weights.yaml`` (shipped) or a user's copy."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import UsageError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KindPoints(_Strict):
    gap_fill: float = 2
    gap_extend: float = 1
    gap_isolated: float = 0
    gap_unlinked: float = 0
    single: float = 0
    thin: float = 0
    present: float = 0


class ProspectPoints(_Strict):
    local_partner: float = 2
    local_partner_max: int = Field(3, ge=0)
    fund_investment: float = 2
    revenue_tiers: list[tuple[float, float]] = [(500, 4), (100, 3), (50, 2), (20, 1)]
    other_gap: float = 1


class Weights(_Strict):
    key_segment: float = 3
    kind: KindPoints = KindPoints()
    adjacent_local_firm: float = 1
    adjacent_local_firm_max: int = Field(5, ge=0)
    flow_betweenness: float = 2
    lab: float = 1
    lab_max: int = Field(2, ge=0)
    fund: float = 1
    fund_max: int = Field(2, ge=0)
    thin_threshold: int = Field(3, ge=2)
    prospect: ProspectPoints = ProspectPoints()


def default_weights_path() -> Path:
    return Path(str(resources.files("chainkg.analysis") / "weights.yaml"))


def load_weights(path: str | Path | None = None) -> Weights:
    """The shipped points, or those of ``path``; a typo or bad value is a UsageError naming it."""
    import yaml

    path = Path(path) if path else default_weights_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise UsageError(f"Cannot read the weights file {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise UsageError(f"{path} is not valid YAML: {exc}") from exc
    try:
        return Weights.model_validate(data)
    except ValidationError as exc:
        lines = [f"  {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise UsageError(f"{path} has {len(lines)} problem(s):\n" + "\n".join(lines),
                         hint=f"Compare with the shipped file {default_weights_path()}.") from exc
