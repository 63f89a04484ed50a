"""The Neo4j Browser side: the GraSS style sheet (shipped, plus the status labels of the declared vocabulary)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def style_path() -> Path:
    return Path(str(resources.files("chainkg.browser") / "chainkg.grass"))


def status_styles() -> str:
    """One GraSS rule per segment status label, coloured as the vocabulary declares.

    >>> print(status_styles().split("\\n}\\n")[0] + "\\n}")
    node.GapFill {
      color: #E53935;
      border-color: #B71C1C;
      text-color-internal: #FFFFFF;
      diameter: 60px;
      caption: "{name}";
    }
    """
    from ..graph_model.vocabulary import STATUSES

    return "".join(f'node.{st.neo4j_label} {{\n  color: {st.browser[0]};\n  border-color: {st.browser[1]};\n'
                   f'  text-color-internal: {st.browser[2]};\n  diameter: 60px;\n  caption: "{{name}}";\n}}\n'
                   for st in STATUSES)


def style_text() -> str:
    """The shipped style with the status rules before the relationship rules."""
    text = style_path().read_text(encoding="utf-8")
    at = text.index("\nrelationship.") + 1
    return text[:at] + status_styles() + text[at:]
