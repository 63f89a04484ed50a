"""``chainkg intake propose|apply``: enterprise lists -> proposals with evidence -> placed firms."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import click

lang_option = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                           help="Language of the messages.")


@contextlib.contextmanager
def _problems_shown(lang: str = "zh"):
    """A DataError's problems are printed before the group turns it into exit 1."""
    from ..errors import DataError
    from .common import print_problems

    try:
        yield
    except DataError as exc:
        if exc.problems:
            print_problems(exc.problems, lang=lang)
        raise


@click.group()
def intake():
    """企业挂链: place the firms of enterprise lists on chain segments, with a staff review.

    \b
    Examples:
      chainkg intake propose 名录.xlsx --data ./my-data -o review.xlsx
      (fill the 采纳 column of review.xlsx: 是 / 否 / segment ids)
      chainkg intake apply review.xlsx --data ./my-data -o ./my-data-updated
      chainkg validate ./my-data-updated && chainkg load ./my-data-updated
    """


@intake.command()
@click.argument("lists", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--data", "dataset", default=None, help="The dataset to place firms in (folder, .xlsx or bundled "
              "name; default yangzhou-613).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The review workbook (.xlsx), or a .json file with --format json.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "json"]), default=None,
              help="Default: from the output's suffix.")
@click.option("--sheet", default=None, help="The sheet of the lists to read (default: the first).")
@click.option("--top", type=click.IntRange(1, 10), default=3, show_default=True, help="Proposals shown per firm.")
@click.option("--proposed-at", type=click.FloatRange(0, 1), default=0.6, show_default=True,
              help="Score at which a segment is `proposed`.")
@click.option("--review-at", type=click.FloatRange(0, 1), default=0.3, show_default=True,
              help="Score at which it is shown for `review`; below it, nothing.")
@lang_option
def propose(lists, dataset, output, fmt, sheet, top, proposed_at, review_at, lang):
    """Read enterprise lists and propose segments for each firm, with score and evidence.

    LISTS are .xlsx, .xls or .csv files (UTF-8, GB18030 or UTF-16); the header row may sit
    below title rows. Only 企业名称 is required; see docs/intake.md for the columns. Every
    bad row is reported (exit 1 when there are errors; the review file is still written).

    \b
    Examples:
      chainkg intake propose examples/intake/名录示例.csv -o review.xlsx
      chainkg intake propose 规上企业.xls 园区名单.xlsx --data ./my-data -o review.xlsx
      chainkg intake propose 名录.csv --format json -o proposals.json --proposed-at 0.7
    """
    from ..api.files import load_valid
    from ..api.intake import propose as run
    from ..api.intake import write_review
    from ..errors import UsageError
    from .common import print_problems

    if review_at > proposed_at:
        raise UsageError("--review-at is above --proposed-at.", hint="Give --review-at <= --proposed-at.")
    fmt = fmt or ("json" if output.lower().endswith(".json") else "xlsx")
    if fmt == "xlsx" and not output.lower().endswith(".xlsx"):
        raise UsageError(f"{output}: the review file is an Excel workbook.", hint="Use a name ending in .xlsx, "
                         "or --format json.")
    ds = load_valid(dataset)
    with _problems_shown(lang):
        result = run(list(lists), ds, proposed_at=proposed_at, review_at=review_at, top=top, sheet=sheet)
    if fmt == "json":
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        write_review(result, ds, output, top=top)
    if result.problems:
        print_problems(result.problems, lang=lang)
    c = result.counts()
    click.echo(f"已写出 {output}：{c['firms']} 家企业（{c['existing']} 家已在 {ds.name} 中，{c['new']} 家新企业，"
               f"{c['deregistered']} 家已注销）；{c['with_proposed']} 家有建议环节，{c['review_only']} 家仅供复核，"
               f"{c['no_proposal']} 家无建议。" if lang == "zh" else
               f"Wrote {output}: {c['firms']} firm(s) ({c['existing']} already in {ds.name}, {c['new']} new, "
               f"{c['deregistered']} deregistered); {c['with_proposed']} with a proposed segment, "
               f"{c['review_only']} to review only, {c['no_proposal']} without proposal.", err=True)
    if any(p.severity == "error" for p in result.problems):
        raise SystemExit(1)


@intake.command()
@click.argument("review", type=click.Path(exists=True, dir_okay=False))
@click.option("--data", "dataset", default=None, help="The dataset the review was made for (default yangzhou-613).")
@click.option("-o", "--output", required=True, type=click.Path(), help="The updated dataset: a folder or a .xlsx.")
@click.option("--accept-proposed", is_flag=True,
              help="Rows with an empty 采纳: put their `proposed` segments in as inferred.")
@lang_option
def apply(review, dataset, output, accept_proposed, lang):
    """Write a filled review workbook into a dataset (validated before anything is written).

    Accepted rows become firms / firm_segments marked confirmed, with a source row
    (staff review, date, file); rejected proposals are remembered so propose does not offer
    them again. Applying the same file twice changes nothing.

    \b
    Examples:
      chainkg intake apply review.xlsx --data ./my-data -o ./my-data-updated
      chainkg intake apply review.xlsx -o updated.xlsx --accept-proposed
    """
    from ..api.files import load_valid
    from ..api.intake import apply as apply_review
    from ..api.intake import write_dataset

    ds = load_valid(dataset)
    with _problems_shown(lang):
        result = apply_review(review, ds, accept_proposed=accept_proposed)
        files = write_dataset(result.dataset, output)
    c = result.counts()
    click.echo(f"已写出 {output}（{len(files)} 个文件）：新企业 {c['new_firms']} 家，更新 {c['updated_firms']} 家，"
               f"确认挂链 {c['confirmed']} 条，推断 {c['inferred']} 条，记住否决 {c['rejected']} 条，"
               f"已有 {c['already_there']} 条。" if lang == "zh" else
               f"Wrote {output} ({len(files)} file(s)): {c['new_firms']} new firm(s), {c['updated_firms']} updated, "
               f"{c['confirmed']} placement(s) confirmed, {c['inferred']} inferred, {c['rejected']} rejection(s) "
               f"remembered, {c['already_there']} already there.", err=True)


COMMANDS = [intake]
