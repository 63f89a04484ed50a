"""Run every file-producing command x format x language on the bundled data, and every analysis
command and the report on the test fixture and a synthetic set, and write the outputs to a folder,
so two versions of chainkg can be compared byte for byte.

Usage:
    python bench/compare_outputs.py snapshot /tmp/before      # on the old code
    python bench/compare_outputs.py snapshot /tmp/after       # on the new code
    python bench/compare_outputs.py diff /tmp/before /tmp/after

Commands run in-process (click's CliRunner); nothing needs Neo4j. Workbooks (.xlsx) are
written as-is and also as a canonical text dump (``.xlsx.txt``: every cell's value and type,
fills, comments, drop-downs, freeze panes and filters), since the zip itself carries a
timestamp; ``diff`` compares the dumps for .xlsx and the bytes for everything else.
"""

from __future__ import annotations

import sys
from pathlib import Path

ANALYSES = ("gaps", "chokepoints", "centrality", "prospects", "tiers")
TEXT = ("table", "md", "json", "csv")
LANGS = ("zh", "en")


def cases() -> list[tuple[str, list[str]]]:
    """(output name, argv); ``{out}`` in argv is replaced by the output path."""
    out: list[tuple[str, list[str]]] = []
    for cmd in ANALYSES:
        for fmt in TEXT:
            for lang in LANGS:
                out.append((f"{cmd}.{lang}.{fmt}", [cmd, "--format", fmt, "--lang", lang, "-o", "{out}"]))
    for fmt in TEXT:
        for lang in LANGS:
            out.append((f"centrality-leaders.{lang}.{fmt}",
                        ["centrality", "--leaders", "--format", fmt, "--lang", lang, "-o", "{out}"]))
            out.append((f"gaps-pv.{lang}.{fmt}", ["gaps", "--chain", "PV", "--format", fmt, "--lang", lang,
                                                  "-o", "{out}"]))
            out.append((f"prospects-cluster.{lang}.{fmt}", ["prospects", "--cluster", "新能源", "--format", fmt,
                                                            "--lang", lang, "-o", "{out}"]))
            out.append((f"gaps-district.{lang}.{fmt}", ["gaps", "--district", "高邮市", "--format", fmt,
                                                        "--lang", lang, "-o", "{out}"]))
    for lang in LANGS:
        for fmt in ("table", "md", "json", "html", "xlsx"):
            out.append((f"report.{lang}.{fmt}", ["report", "--format", fmt, "--lang", lang, "-o", "{out}"]))
        out.append((f"report-top5.{lang}.table", ["report", "--format", "table", "--top", "5", "--lang", lang,
                                                  "-o", "{out}"]))
        out.append((f"template.{lang}.xlsx", ["template", "--lang", lang, "-o", "{out}"]))
        out.append((f"export.{lang}.xlsx", ["export", "--lang", lang, "-o", "{out}"]))
        out.append((f"export.{lang}.csvdir", ["export", "--lang", lang, "-o", "{out}"]))
        out.append((f"query-list.{lang}.json", ["query", "list", "--format", "json", "--lang", lang]))
        out.append((f"query-list.{lang}.md", ["query", "list", "--format", "md", "--lang", lang]))
    for fmt in TEXT:
        out.append((f"validate.{fmt}", ["validate", "docs/example", "--format", fmt, "-o", "{out}"]))
    out.append(("synth.csvdir", ["synth", "--firms", "300", "--seed", "3", "-o", "{out}"]))
    out.append(("browser-style.grass", ["browser", "--style"]))
    out.append(("query-link.txt", ["query", "link", "chain_gaps", "-p", "chain=PV", "--uri",
                                   "bolt://127.0.0.1:7687"]))
    out.append(("report-default.stdout", ["report", "--out-dir", "{out}"]))
    for data in OTHER_DATA:  # the same commands on other data: the fixture and a synthetic city
        for cmd in ANALYSES:
            for fmt in TEXT:
                for lang in LANGS:
                    out.append((f"{data}/{cmd}.{lang}.{fmt}", [cmd, "--data", f"{{data:{data}}}", "--format", fmt,
                                                            "--lang", lang, "-o", "{out}"]))
        for lang in LANGS:
            for fmt in ("json", "md", "html", "xlsx"):
                out.append((f"{data}/report.{lang}.{fmt}", ["report", "--data", f"{{data:{data}}}", "--format", fmt,
                                                           "--lang", lang, "-o", "{out}"]))
            out.append((f"{data}/centrality-leaders.{lang}.json", ["centrality", "--leaders", "--data", f"{{data:{data}}}",
                                                                   "--format", "json", "--lang", lang, "-o", "{out}"]))
            out.append((f"{data}/gaps-district.{lang}.json", ["gaps", "--district", "D1" if data == "synth" else "高邮市",
                                                              "--data", f"{{data:{data}}}", "--format", "json",
                                                              "--lang", lang, "-o", "{out}"]))
        out.append((f"{data}/report-confirmed.zh.json", ["report", "--confirmed-only", "--data", f"{{data:{data}}}",
                                                         "--format", "json", "-o", "{out}"]))
    for data in ("fixture", "synth", "bundled"):  # validate on every kind of data, in both languages
        for lang in LANGS:
            for fmt in TEXT:
                out.append((f"{data}/validate.{lang}.{fmt}", ["validate", f"{{data:{data}}}", "--format", fmt,
                                                             "--lang", lang, "-o", "{out}"]))
    for case in damaged_cases():  # bad input as CSV folders, workbooks and YAML files: every problem, both languages
        for lang in LANGS:
            out.append((f"damaged/{case}.{lang}.json", ["validate", f"{{data:{case}}}", "--format", "json",
                                                        "--lang", lang, "-o", "{out}"]))
    return out


def damaged_cases() -> list[str]:
    """``<case>.<form>``: each bad input of tests/test_columnar.py (CASES) as a CSV folder, a workbook and a YAML file."""
    return [f"{case}.{form}" for case in sorted(_damaged()) for form in ("csv", "xlsx", "yaml")]


def _damaged() -> dict[str, dict[str, str]]:
    import importlib.util

    tests = Path(__file__).resolve().parents[1] / "tests"
    sys.path.insert(0, str(tests))
    spec = importlib.util.spec_from_file_location("_columnar_cases", tests / "test_columnar.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CASES


def damaged_path(name: str, folder: Path) -> str:
    """The dataset of a damaged case (written once into the snapshot): docs/example with the case's tables,
    as CSV files, or every table as a sheet of one workbook (cells that YAML reads as numbers, yes/no or dates
    written typed), or as one YAML file of the same typed records."""
    import shutil

    case, form = name.rsplit(".", 1)
    base = folder / "_data" / "damaged" / case
    if not base.exists():
        shutil.copytree(Path(__file__).resolve().parents[1] / "docs" / "example", base)
        for table, text in _damaged()[case].items():
            (base / f"{table}.csv").write_text(text.lstrip("\n"), encoding="utf-8")
    if form == "csv":
        return str(base)
    from chainkg.testing import as_records, as_workbook

    target = base.parent / f"{case}.{form}"
    if not target.exists():
        (as_workbook if form == "xlsx" else as_records)(base, target)
    return str(target)


#: the other datasets: the test fixture, and a synthetic city written by ``chainkg synth`` into the snapshot
OTHER_DATA = ("fixture", "synth")


def data_path(name: str, folder: Path) -> str:
    if name == "bundled":
        return "yangzhou-613"
    if "." in name:
        return damaged_path(name, folder)
    if name == "fixture":
        return str(Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "small")
    target = folder / "_data" / "synth"
    if not target.exists():
        from chainkg.synth import synth_dataset

        synth_dataset(target, firms=3000, seed=5)
    return str(target)


def xlsx_dump(path: Path) -> str:
    """A workbook as text: what a reader sees, without the zip's timestamps."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    lines = []
    for ws in wb.worksheets:
        lines.append(f"## sheet {ws.title!r} freeze={ws.freeze_panes} filter={ws.auto_filter.ref}")
        for dv in ws.data_validations.dataValidation:
            lines.append(f"dv {dv.sqref} {dv.type} {dv.formula1!r}")
        for letter, dim in sorted(ws.column_dimensions.items()):
            if dim.width:
                lines.append(f"width {letter} {dim.width}")
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and c.comment is None:
                    continue
                fill = c.fill.fgColor.rgb if c.fill and c.fill.fill_type else None
                extra = f" fill={fill}" if fill else ""
                extra += " bold" if c.font and c.font.b else ""
                extra += f" comment={c.comment.text!r}" if c.comment else ""
                lines.append(f"{c.coordinate} {c.data_type} {c.value!r}{extra}")
    return "\n".join(lines) + "\n"


def snapshot(folder: Path) -> None:
    import os

    from click.testing import CliRunner

    from chainkg.cli import main

    root = Path(__file__).resolve().parents[1]
    os.chdir(root)
    folder.mkdir(parents=True, exist_ok=True)
    runner = CliRunner()
    for name, argv in cases():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        args = [a.replace("{out}", str(target)) for a in argv]
        args = [data_path(a[6:-1], folder) if a.startswith("{data:") else a for a in args]
        result = runner.invoke(main, args, catch_exceptions=False)
        # stdout (and the exit code) of every command, besides the file it wrote
        text = f"exit {result.exit_code}\n{result.stdout}".replace(str(folder), "<out>")
        (folder / f"{name}.stdout").write_text(text, encoding="utf-8")
        if argv[0] == "validate":  # and its summary line
            (folder / f"{name}.stderr").write_text(result.stderr.replace(str(folder), "<out>"), encoding="utf-8")
        if argv[0] == "validate" and target.is_file():  # problems name their files: the snapshot's folder as <out>
            target.write_text(target.read_text(encoding="utf-8").replace(str(folder), "<out>")
                              .replace(str(root), "<root>"), encoding="utf-8")
        for f in [target] if target.is_file() else sorted(target.rglob("*")) if target.is_dir() else []:
            if f.suffix == ".xlsx":
                f.with_name(f.name + ".txt").write_text(xlsx_dump(f), encoding="utf-8")
    print(f"{len(cases())} cases written to {folder}")


def _files(folder: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder)): p for p in folder.rglob("*") if p.is_file() and p.suffix != ".xlsx"}


def diff(before: Path, after: Path) -> int:
    a, b = _files(before), _files(after)
    changed = [k for k in sorted(a.keys() & b.keys()) if a[k].read_bytes() != b[k].read_bytes()]
    only_a, only_b = sorted(a.keys() - b.keys()), sorted(b.keys() - a.keys())
    for k in changed:
        print(f"differs: {k}")
    for k in only_a:
        print(f"only in {before}: {k}")
    for k in only_b:
        print(f"only in {after}: {k}")
    print(f"{len(a.keys() & b.keys()) - len(changed)} identical, {len(changed)} different, "
          f"{len(only_a)} only before, {len(only_b)} only after")
    return 1 if changed or only_a or only_b else 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "snapshot":
        snapshot(Path(sys.argv[2]).resolve())
    elif len(sys.argv) == 4 and sys.argv[1] == "diff":
        sys.exit(diff(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
