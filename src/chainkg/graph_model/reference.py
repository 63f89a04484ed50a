"""The input-format reference (docs/format.md), generated from the schema so the two agree."""

from __future__ import annotations

from .schema import ENUM_ZH, ENUMS, TABLES, EdgeTable, RuleTable

BEGIN = "<!-- BEGIN GENERATED: chainkg.graph_model.reference -->"
END = "<!-- END GENERATED -->"


def format_reference() -> str:
    out = [BEGIN, ""]
    for t in TABLES:
        if isinstance(t, RuleTable):
            what = "intake rules, kept beside the graph (read by `chainkg intake`, not loaded into Neo4j)"
        elif isinstance(t, EdgeTable):
            what = f"relationship `{t.rel_type}` ({', '.join(t.from_labels)} → {', '.join(t.to_labels)})"
        else:
            what = f"node `{t.label}`" + (" — required table" if t.required_table else "")
        out += [f"### {t.table} ({t.zh}) — {what}", "",
                "| column | 中文表头 | required | kind | notes |", "|---|---|---|---|---|"]
        for c in t.columns:
            kind = c.kind + (f" ({' / '.join(f'{v} {ENUM_ZH.get(v, v)}' for v in ENUMS[c.enum])})" if c.enum else "")
            aliases = ", ".join(c.aliases)
            note = c.note + (f" Also accepted: {aliases}." if aliases else "")
            out.append(f"| {c.name} | {c.zh} | {'**yes**' if c.required else ''} | {kind} | {note.strip()} |")
        out.append("")
    out.append(END)
    return "\n".join(out)
