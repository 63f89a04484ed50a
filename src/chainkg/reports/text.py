"""The report as a terminal summary and as Markdown."""

from __future__ import annotations

import io

from ..findings.labels import STATUS, pick
from ..graph_model.vocabulary import SHEETS, TITLES


def terminal_summary(report: dict, top: int = 10) -> str:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    zh = report["lang"] == "zh"
    buf = io.StringIO()
    con = Console(file=buf, width=160)
    con.print(f"[bold]{escape(report['title'])}[/bold]  ({'数据截至' if zh else 'data as of'} "
              f"{escape(str(report['data_as_of']))})")
    counts = report["status_counts"]
    con.print(("状态：" if zh else "Statuses: ") + "  ".join(f"{pick(STATUS[k], report['lang'])} {v}"
                                                          for k, v in counts.items()))
    b = report.get("basis_counts") or {}
    if report.get("confirmed_only"):
        con.print("只用已证实事实（--confirmed-only）。" if zh else "Confirmed facts only (--confirmed-only).")
    elif b:
        n = len(report.get("changes", []))
        con.print(f"依据：{b['confirmed']} 个环节状态只依据已证实事实，{b['inferred']} 个含推断事实（※）；"
                  f"只用已证实事实时 {n} 个环节状态会不同（报告“推断若有误会改变的结论”）。" if zh else
                  f"Basis: {b['confirmed']} segment statuses rest on confirmed facts only, {b['inferred']} on inferred "
                  f"facts (※); on confirmed facts only {n} would differ (report: \"what changes if inferred facts are "
                  f"wrong\").")
    t = Table(title=pick(TITLES["coverage"], report["lang"]))
    for h in (["产业链", "环节", "补链", "延链", "单点/薄弱", "本地企业(已点名/报道)"] if zh else
              ["chain", "segments", "fill", "extend", "single/thin", "local firms (named/reported)"]):
        t.add_column(h)
    for c in report["chains"]:
        sc, cov = c["status_counts"], c["coverage"]
        t.add_row(escape(c["chain"]), str(c["segments"]), str(sc["gap_fill"]), str(sc["gap_extend"]),
                  str(sc["single"] + sc["thin"]),
                  f"{cov['named_local_firms']}/{cov['reported_firms'] if cov['reported_firms'] is not None else '?'}")
    con.print(t)
    where = "本链" if report.get("chain") else "本区县" if report.get("district") else "全市"
    g = Table(title=f"{where}优先缺口（前 {top}）" if zh else f"Top {top} gaps")
    for h in (["#", "产业链", "环节", "判断", "优先级", "依据"] if zh else ["#", "chain", "segment", "reading", "priority", "why"]):
        g.add_column(h, overflow="fold")
    for i, r in enumerate(report["top_gaps"][:top], start=1):
        g.add_row(str(i), *(escape(x) for x in (r["chain"], r["segment"], r["display"])), str(r["priority"]["total"]),
                  escape(r["why"]))
    con.print(g)
    return buf.getvalue()


def markdown(report: dict) -> str:
    from ..findings.labels import headers
    from .tables import render, report_tables

    names = headers(report["lang"])
    zh = report["lang"] == "zh"
    out = [f"# {report['title']}", "", f"{'数据截至' if zh else 'Data as of'} {report['data_as_of']} · "
           f"{'生成' if zh else 'generated'} {report['generated']}", ""]
    for key, (columns, rows) in report_tables(report).items():
        if key == "sources":
            continue
        out.append(render(rows, columns, "md", headers=names, title=pick(SHEETS[key], report["lang"]),
                          lang=report["lang"]))
    out += cut_lines(report, md=True)
    return "\n".join(out)


def cut_lines(report: dict, md: bool = False) -> list[str]:
    """The report's notes on the tables it lists only the first rows of (none when nothing is cut)."""
    from .tables import md_text

    notes = report.get("cut") or []
    if not notes:
        return []
    head = "只列出部分行的表" if report["lang"] == "zh" else "Tables listing only their first rows"
    return [f"## {head}" if md else head, "", *[f"- {md_text(n['text'])}" if md else f"  {n['text']}" for n in notes], ""]
