"""What the workspace does, over the store and the explorer's current graph: no HTTP here.

A :class:`Workspace` checks a request's values (stages, dates, segments, districts, the firm by id
or by name and credit code), who may do it (roles; staff within their district), writes through
:class:`~chainkg.neo4j_io.workspace.Store`, and builds what pages show over leads: filters, lights,
the chain map's lead badges and the pipeline's effect (the what-if engine over every lead at
签约 or later).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from ...api.workspace import (
    Actor,
    Store,
    WorkspaceError,
    attrs,
    check_date,
    check_stage,
    districts_under,
    firm_items,
    has_node,
    name,
    out_by_type,
)
from ...graph_model.vocabulary import LANDING_STAGES, LEAD_STAGE, LEAD_STAGES
from .auth import allows

LIGHTS_FILE = Path(__file__).with_name("lights.yaml")
ACTIVE = tuple(s.code for s in LEAD_STAGES if s.active)


def load_light_rules(path: str | Path | None = None) -> dict:
    """The lead and project light rules (``lights.yaml`` beside this module unless ``path``)."""
    with open(path or LIGHTS_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month - (1 if b.day < a.day else 0)


def lead_light(lead: dict, rules: dict, today: date | None = None) -> tuple[str, list[tuple[str, str]]]:
    """(red | yellow | green, [(zh reason, en reason)]) of one lead or signed project.

    >>> r = load_light_rules()
    >>> lead_light({"stage": "contact", "next_step": "call", "due": "2026-01-01"}, r, date(2026, 1, 3))[0]
    'yellow'
    >>> lead_light({"stage": "contact", "next_step": "call", "due": "2026-01-01"}, r, date(2026, 2, 3))[0]
    'red'
    >>> lead_light({"stage": "signed", "planned_progress": 60, "progress": 40}, r, date(2026, 1, 3))
    ('yellow', [('进度落后计划 20 个百分点', '20 points behind planned progress')])
    >>> lead_light({"stage": "signed", "planned_start": "2025-09-01"}, r, date(2026, 1, 3))[0]
    'red'
    >>> lead_light({"stage": "started", "funds_required": 10, "funds_paid": 4}, r, date(2026, 1, 3))[0]
    'red'
    >>> lead_light({"stage": "dropped", "due": "2020-01-01"}, r, date(2026, 1, 3))
    ('green', [])
    """
    today = today or date.today()
    reasons: list[tuple[str, str, str]] = []  # (light, zh, en)
    stage = lead.get("stage")
    if stage not in ACTIVE:
        return "green", []
    od = rules["overdue"]
    if lead.get("due"):
        days = (today - date.fromisoformat(lead["due"])).days
        if days > od["red_after_days"]:
            reasons.append(("red", f"下一步已逾期 {days} 天", f"next step {days} days overdue"))
        elif days > od["yellow_after_days"]:
            reasons.append(("yellow", f"下一步已逾期 {days} 天", f"next step {days} days overdue"))
    if LEAD_STAGE[stage].order >= LEAD_STAGE["signed"].order:
        kp = rules["key_project"]
        if lead.get("planned_progress") is not None and lead.get("progress") is not None:
            behind = float(lead["planned_progress"]) - float(lead["progress"])
            b = f"{behind:g}"
            if behind > kp["red_behind_points"]:
                reasons.append(("red", f"进度落后计划 {b} 个百分点", f"{b} points behind planned progress"))
            elif behind >= kp["yellow_behind_points"]:
                reasons.append(("yellow", f"进度落后计划 {b} 个百分点", f"{b} points behind planned progress"))
        if lead.get("planned_start") and LEAD_STAGE[stage].order < LEAD_STAGE["started"].order:
            start = date.fromisoformat(lead["planned_start"])
            if start < today:
                months = _months_between(start, today)
                if months >= kp["red_not_started_months"]:
                    reasons.append(("red", f"计划开工后 {months} 个月仍未开工", f"not started {months} months after the planned start"))
                else:
                    reasons.append(("yellow", "错过计划开工日期", "planned start missed"))
        if lead.get("funds_required") is not None and lead.get("funds_paid") is not None:
            if float(lead["funds_paid"]) < float(lead["funds_required"]) * kp["funds_min_share"]:
                reasons.append(("red", "到位资金低于要求", "funds paid below the required level"))
    if not reasons:
        return "green", []
    light = "red" if any(r[0] == "red" for r in reasons) else "yellow"
    return light, [(zh, en) for _, zh, en in reasons]


def _norm_code(code: str | None) -> str | None:
    return re.sub(r"\s+", "", code).upper() if code else None


class Workspace:
    """The workspace of one ``serve`` process: the store, the explorer it writes beside, the rules."""

    def __init__(self, store: Store, explorer, rules: dict | None = None, rules_dataset: str | None = None):
        """``rules``: the light rules (``lights.yaml``); ``rules_dataset``: the dataset whose intake rules
        (segment terms, industry codes) intake review uses (None: the bundled one)."""
        self.store, self.explorer = store, explorer
        self.rules = rules or load_light_rules()
        self.rules_dataset = rules_dataset

    @cached_property
    def key(self) -> str:
        return self.store.secret()

    def start(self) -> Workspace:
        self.store.ensure_schema()
        self.explorer.same_graph = self.store.same_graph  # lead writes keep the explorer's graph and analysis
        self.key  # noqa: B018 - made (or read) once, at start, never by a GET
        return self

    def snap(self):
        return self.explorer.current()

    def graph_changed(self, version: int | None = None) -> None:
        """This process wrote a fact (data version ``version``) that it could not apply to its snapshot in place
        (:meth:`chainkg.web.source.Explorer.apply_write`: another process changed the graph meanwhile): the graph
        is read again before the write is answered, so the very next page shows it (a re-read already under
        way for an older version is waited for, then another is made). Other processes show every correction
        once their own background re-read is done."""
        import time

        if not hasattr(self.explorer, "wait_refreshed"):  # an explorer that re-reads on the next request
            self.explorer._checked = 0.0
            return
        deadline = time.monotonic() + 120
        while True:
            snap = self.explorer.wait_refreshed()
            try:
                if version is None or int(snap.version) >= version or time.monotonic() > deadline:
                    return
            except (TypeError, ValueError):
                return
            time.sleep(0.05)

    # -- checks -----------------------------------------------------------------------------------

    @staticmethod
    def need(actor: Actor | None, role: str) -> Actor:
        if actor is None:
            raise WorkspaceError(401, "login_required", "Log in first.")
        if not allows(actor.role, role):
            raise WorkspaceError(403, "forbidden", f"This needs the {role} role; {actor.name} is {actor.role}.")
        return actor

    def in_district(self, actor: Actor, district: str | None) -> None:
        """Staff with a district may only touch leads of that district (or a park under it)."""
        if actor.role != "staff" or not actor.district:
            return
        G = self.snap().G
        inside = districts_under(G, actor.district) if actor.district in G else {actor.district}
        if district not in inside:
            raise WorkspaceError(403, "other_district", f"{actor.name} works for {actor.district}; this lead is in "
                                 f"{district or 'no district'}.", hint="Ask an editor, or a colleague of that district.")

    def _segments(self, G, raw: Any) -> list[str]:
        if raw is None or raw == "":
            return []
        ids = [s.strip() for s in (raw.split(",") if isinstance(raw, str) else raw) if str(s).strip()]
        bad = [s for s in ids if s not in G or G.nodes[s].get("label") != "Segment"]
        if bad:
            raise WorkspaceError(400, "bad_segment", "Unknown segment(s): " + ", ".join(bad),
                                 hint="Segments are ids such as PV-CELL (see the chain page).")
        return list(dict.fromkeys(ids))

    def _district(self, G, d: str | None) -> str | None:
        if not d:
            return None
        if d in G and G.nodes[d].get("label") == "District":
            return d
        hits = [n for n, x in G.nodes(data=True) if x.get("label") == "District" and d in (x.get("name"), x.get("name_en"))]
        if len(hits) != 1:
            raise WorkspaceError(400, "bad_district", f"Unknown district {d!r}.", hint="Give its id or exact name.")
        return hits[0]

    def match_firm(self, firm_id: str | None, firm_name: str | None, credit_code: str | None) -> dict:
        """The lead's firm: an existing firm by id, else by credit code or normalised name (intake's
        matching) among the graph's firms and the firms of earlier leads, else a new one whose id comes
        from its code or name, so the same firm is never two."""
        from ...api.workspace import ListRow, new_firm_id, normalise_name, to_credit_code

        G = self.snap().G
        if firm_id:
            d = attrs(G, firm_id)
            if d.get("label") != "Firm":
                raise WorkspaceError(404, "not_found", f"No firm {firm_id}.")
            return {"firm_id": firm_id, "firm_name": d.get("name"), "credit_code": d.get("credit_code")}
        firm_name = (firm_name or "").strip()
        if not firm_name:
            raise WorkspaceError(400, "no_firm", "A lead needs firm_id or firm_name.")
        code = None
        if credit_code and str(credit_code).strip():
            try:
                code = to_credit_code(str(credit_code))
            except ValueError:
                raise WorkspaceError(400, "bad_credit_code", f"{credit_code!r} is not a valid unified social credit code.",
                                     hint="Copy the 18-character code, or leave it empty.") from None
        idx = self.snap().page(("ws-firm-index",), lambda: _firm_index(G))
        hit = idx["code"].get(code) if code else None
        key = normalise_name(firm_name)
        hit = hit or idx["name"].get(key)
        if hit:
            d = attrs(G, hit)
            return {"firm_id": hit, "firm_name": d.get("name"), "credit_code": d.get("credit_code")}
        for f in self.store.lead_firms():
            if (code and f["credit_code"] == code) or normalise_name(f["firm_name"] or "") == key:
                return {"firm_id": f["firm_id"], "firm_name": f["firm_name"], "credit_code": f["credit_code"] or code}
        return {"firm_id": new_firm_id(ListRow("workspace", None, 0, firm_name, credit_code=code)),
                "firm_name": firm_name, "credit_code": code}

    # -- leads ------------------------------------------------------------------------------------

    def lead_fields(self, body: dict, actor: Actor, *, partial: bool = False) -> dict:
        G = self.snap().G
        out: dict[str, Any] = {}
        if "stage" in body or not partial:
            out["stage"] = check_stage(body.get("stage") or "lead")
        for k in ("due", "planned_start"):
            if k in body:
                out[k] = check_date(body.get(k), k)
        for k in ("next_step",):
            if k in body:
                out[k] = (str(body[k]).strip() or None) if body[k] is not None else None
        for k in ("planned_progress", "progress", "funds_required", "funds_paid"):
            if k in body and body[k] not in (None, ""):
                try:
                    out[k] = float(body[k])
                except (TypeError, ValueError):
                    raise WorkspaceError(400, "bad_number", f"{k}: {body[k]!r} is not a number.") from None
        if "owner" in body:
            out["owner"] = str(body["owner"]).strip() or None
        if "district" in body:
            out["district"] = self._district(G, body.get("district"))
        if "segment_ids" in body or not partial:
            out["segment_ids"] = self._segments(G, body.get("segment_ids"))
            chain_of = self.snap().analysis().view.chain_of
            out["chain_ids"] = sorted({chain_of[s] for s in out["segment_ids"] if s in chain_of})
        return out

    def create_lead(self, actor: Actor, body: dict) -> dict:
        self.need(actor, "staff")
        fields = self.lead_fields(body, actor)
        fields.update(self.match_firm(body.get("firm_id"), body.get("firm_name"), body.get("credit_code")))
        G = self.snap().G
        if not fields.get("district"):
            located = out_by_type(G, fields["firm_id"], "LOCATED_IN") if has_node(G, fields["firm_id"]) else []
            fields["district"] = actor.district or (located[0] if located else None)
        self.in_district(actor, fields["district"])
        fields["owner"] = fields.get("owner") or actor.name
        note = (body.get("note") or "").strip()
        fields["notes"] = f"{date.today().isoformat()} {actor.name}: {note}" if note else None
        fields["source"] = body.get("source") or "web"
        return self.store.new_lead(actor, fields, reason=body.get("reason"))

    def update_lead(self, actor: Actor, lead_id: str, body: dict) -> dict:
        self.need(actor, "staff")
        try:
            version = int(body["version"])
        except (KeyError, TypeError, ValueError):
            raise WorkspaceError(400, "no_version", "Send the version you read (version), so a stale save is refused.") from None
        changes = self.lead_fields({k: v for k, v in body.items() if k not in ("version", "note")}, actor, partial=True)
        if "district" in changes:
            self.in_district(actor, changes["district"])
        note = (body.get("note") or "").strip()

        def allowed(cur):
            self.in_district(actor, cur.get("district"))
            if note:
                line = f"{date.today().isoformat()} {actor.name}: {note}"
                changes["notes"] = (cur.get("notes") + "\n" + line) if cur.get("notes") else line
        return self.store.update_lead(actor, lead_id, version, changes, reason=body.get("reason"), allowed=allowed)

    def add_visit(self, actor: Actor, lead_id: str, body: dict) -> dict:
        self.need(actor, "staff")
        visit = {"date": check_date(body.get("date"), "date") or date.today().isoformat(),
                 "people": (body.get("people") or "").strip() or None, "summary": (body.get("summary") or "").strip() or None}
        if not visit["summary"]:
            raise WorkspaceError(400, "no_summary", "A visit needs a summary (纪要).")
        return self.store.add_visit(actor, lead_id, visit, allowed=lambda cur: self.in_district(actor, cur.get("district")))

    def lead(self, lead_id: str, lang: str = "zh") -> dict:
        lead = self.store.lead(lead_id)
        if lead is None:
            raise WorkspaceError(404, "not_found", f"No lead {lead_id}.")
        return self.decorate([lead], lang)[0] | {"history": lead["history"], "visits": lead["visits"]}

    def decorate(self, leads: list[dict], lang: str) -> list[dict]:
        G = self.snap().G
        today = date.today()
        out = []
        for lead in leads:
            light, why = lead_light(lead, self.rules, today)
            nm = lambda n: name(G, n, lang) if n and has_node(G, n) else n
            out.append({**lead, "light": light, "light_reasons": [zh if lang == "zh" else en for zh, en in why],
                        "overdue": bool(lead.get("due") and lead.get("stage") in ACTIVE
                                        and date.fromisoformat(lead["due"]) < today),
                        "firm_label": nm(lead.get("firm_id")) if has_node(G, lead.get("firm_id")) else lead.get("firm_name"),
                        "segment_names": [(s, nm(s)) for s in lead.get("segment_ids") or []],
                        "district_name": nm(lead.get("district")),
                        "stage_word": getattr(LEAD_STAGE.get(lead.get("stage") or ""), lang, lead.get("stage")),
                        "in_graph": has_node(G, lead.get("firm_id"))})
        return out

    def leads(self, lang: str = "zh", chain: str | None = None, segment: str | None = None,
              district: str | None = None, owner: str | None = None, stage: str | None = None,
              overdue: bool = False) -> list[dict]:
        G = self.snap().G
        rows = self.store.leads()
        if chain:
            rows = [r for r in rows if chain in (r.get("chain_ids") or [])]
        if segment:
            rows = [r for r in rows if segment in (r.get("segment_ids") or [])]
        if district:
            inside = districts_under(G, district) if district in G else {district}
            rows = [r for r in rows if r.get("district") in inside]
        if owner:
            rows = [r for r in rows if r.get("owner") == owner]
        if stage:
            code = check_stage(stage)
            rows = [r for r in rows if r.get("stage") == code]
        rows = self.decorate(rows, lang)
        if overdue:
            rows = [r for r in rows if r["overdue"]]
        return rows

    # -- the chain page: badges and the pipeline's effect -----------------------------------------

    def active_by_segment(self, chain: str | None = None) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.store.leads():
            if r.get("stage") in ACTIVE and (chain is None or chain in (r.get("chain_ids") or [])):
                for s in r.get("segment_ids") or []:
                    counts[s] = counts.get(s, 0) + 1
        return counts

    def pipeline_effect(self, chain: str, lang: str = "zh", leads: list[dict] | None = None) -> dict:
        """What the what-if engine says if every lead of ``chain`` at 签约 or later lands in its segments."""
        from ...api.workspace import WhatIf

        snap = self.snap()
        leads = leads if leads is not None else self.store.leads()
        changes = landing_changes(snap.G, snap.analysis(), leads, chain)
        if not changes:
            return {"changes": 0, "effect": None, "text": None}
        key = ("ws-effect", chain, lang, tuple(sorted(map(repr, changes))))
        w = snap.page(("ws-whatif",), lambda: WhatIf(snap.analysis()))
        return snap.page(key, lambda: effect_of(w, changes, lang))

    # -- corrections ------------------------------------------------------------------------------

    def correct(self, actor: Actor, body: dict) -> dict:
        self.need(actor, "editor")
        kind = body.get("kind")
        G = self.snap().G
        p = {k: body.get(k) for k in ("firm_id", "segment_id", "name", "credit_code", "district", "title", "url",
                                      "publisher", "date", "reliability")}
        if kind in ("local",):
            p["local"] = str(body.get("local")).lower() in ("1", "true", "yes", "是", "local", "on")
        if kind == "add_firm":
            m = self.match_firm(None, body.get("name"), body.get("credit_code"))
            if has_node(G, m["firm_id"]):
                raise WorkspaceError(409, "exists", f"{body.get('name')} is firm {m['firm_id']} already.")
            p.update(id=m["firm_id"], name=m["firm_name"], credit_code=m["credit_code"],
                     local=str(body.get("local")).lower() in ("1", "true", "yes", "是", "on"),
                     district=self._district(G, body.get("district")))
        if kind == "source":
            from ...safety import safe_url

            if not (p.get("title") or "").strip():
                raise WorkspaceError(400, "no_title", "A source needs a title.")
            if p.get("url") and not safe_url(p["url"]):
                raise WorkspaceError(400, "bad_url", "Only http:// and https:// links can be a source's URL.")
            if p.get("reliability") and p["reliability"] not in ("high", "moderate", "low"):
                raise WorkspaceError(400, "bad_reliability", "reliability is high, moderate or low.")
            p["date"] = check_date(p.get("date"), "date")
        with self.explorer.writing():
            out = self.store.correct(actor, str(kind), p, (body.get("reason") or "").strip())
            graph, since = out.pop("graph", None), out.pop("graph_since", None)
            applied = self.explorer.apply_write(out["data_version"], since, graph)
        if not applied:  # another process changed the graph meanwhile: read it again before answering
            self.graph_changed(out.get("data_version"))
        return out


def _firm_index(G) -> dict:
    from ...api.workspace import normalise_name

    code: dict[str, str] = {}
    nm: dict[str, str] = {}
    for n, d in firm_items(G):
        if d.get("credit_code"):
            code.setdefault(d["credit_code"], n)
        nm.setdefault(normalise_name(d.get("name") or ""), n)
    return {"code": code, "name": nm}


def landing_changes(G, a, leads: list[dict], chain: str) -> list:
    """The what-if changes "every lead of ``chain`` at 签约 or later lands in its segments"."""
    from ...api.workspace import NEW_PREFIX, Change

    segs = set(a.view.segments_of.get(chain, ()))
    out = []
    for r in leads:
        if r.get("stage") not in LANDING_STAGES:
            continue
        for s in r.get("segment_ids") or []:
            if s in segs:
                firm = r["firm_id"] if has_node(G, r.get("firm_id")) else NEW_PREFIX + (r.get("firm_name") or r["firm_id"])
                out.append(Change("add_firm", firm=firm, segment=s,
                                  district=r.get("district") if r.get("district") in G else None))
    return out


def effect_of(w, changes: list, lang: str) -> dict:
    """The pipeline's effect as pages and reports show it: the engine's effect, its words, the segments."""
    from ...api.workspace import effect_text

    G = w.G
    out = w.run(changes)
    ids = lambda xs: [(s, name(G, s, lang)) for s in xs]
    return {"changes": len(changes), "effect": out.effect, "text": effect_text(G, out.effect, lang, out.names),
            "gaps_closed": ids(out.effect["gaps_closed"]),
            "singles_strengthened": ids(out.effect["singles_strengthened"]),
            "chokepoints_relieved": ids(out.effect["chokepoints_relieved"])}


def pipeline_records(a, leads: list[dict], lang: str = "zh") -> list[dict]:
    """One row per chain with leads at 签约 or later: the pipeline's effect (``chainkg report``)."""
    from ...api.workspace import WhatIf

    G = a.G
    w = None
    rows = []
    for chain in sorted(a.view.segments_of):
        changes = landing_changes(G, a, leads, chain)
        if not changes:
            continue
        w = w or WhatIf(a)
        e = effect_of(w, changes, lang)
        rows.append({"chain_id": chain, "chain": name(G, chain, lang), "landing_leads": len(changes), **e})
    return rows


def lead_light_records(G, leads: list[dict], rules: dict, lang: str = "zh", today: date | None = None) -> list[dict]:
    """Every active lead's light with its reasons, red first (``chainkg monitor --leads``)."""
    order = {"red": 0, "yellow": 1, "green": 2}
    rows = []
    for r in leads:
        if r.get("stage") not in ACTIVE:
            continue
        light, why = lead_light(r, rules, today)
        nm = (lambda n: name(G, n, lang) if has_node(G, n) else n)
        rows.append({"lead_id": r["id"], "firm": nm(r.get("firm_id")) if has_node(G, r.get("firm_id")) else r.get("firm_name"),
                     "stage": getattr(LEAD_STAGE[r["stage"]], lang), "district": nm(r.get("district")) if r.get("district") else None,
                     "owner": r.get("owner"), "next_step": r.get("next_step"), "due": r.get("due"), "light": light,
                     "reasons": [zh if lang == "zh" else en for zh, en in why]})
    return sorted(rows, key=lambda x: (order[x["light"]], x["due"] or "9999", x["lead_id"]))
