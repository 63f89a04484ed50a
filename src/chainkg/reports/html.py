"""The report as one self-contained HTML file (inline CSS and SVG; no scripts, fonts or CDN).

Everything from data is escaped (Jinja autoescape); only http/https links are clickable
(:func:`chainkg.safety.safe_url`), any other URL is shown as text.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..findings.labels import parts_text
from ..safety import safe_url


def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(loader=PackageLoader("chainkg.reports", "templates"),
                       autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def render_html(report: dict) -> str:
    zh = report["lang"] == "zh"

    def t(zh_text: str, en_text: str) -> str:
        return zh_text if zh else en_text

    def pct(x):
        return "—" if x is None else f"{x:.1%}"

    def parts(p: dict | None) -> str:
        return parts_text(p, report["lang"])

    def src(source_id):
        return Markup(f'<a class="src" href="#src-{escape(source_id)}">{escape(source_id)}</a>') if source_id else ""

    def word(column: str, value):  # a code (confidence, reliability …) in the report's language
        from ..findings.labels import code_word

        return code_word(column, value, report["lang"])

    return _environment().get_template("report.html.j2").render(r=report, zh=zh, t=t, pct=pct, parts=parts, src=src,
                                                                    safe_url=safe_url, word=word)
