"""The 招商 workspace's store in Neo4j: users, sessions, leads, visits, staff facts and the audit trail.

Every write is one managed write transaction that changes the data, writes one ``:WsAudit`` entry
(who, when, entity, before, after, reason) and bumps the data version
(:func:`chainkg.neo4j_io.version.bump_version`): a crash leaves either all of it or none of it.
A write that changes the graph itself (a staff correction) also bumps ``:WsGraphRev``, which the
explorer reads with its data version, so pages and the analysis are rebuilt; lead writes leave the
graph (and its analysis) as it is.

Workspace nodes carry ``Ws*`` labels, never ``:ChainKG``: ``load --replace`` / ``--prune`` leave them
alone, and the analysis never reads them. Staff corrections are ordinary ``:ChainKG`` facts whose
source is a ``:Source`` node published by "staff review" (who, when, why), confidence ``confirmed``.
Text from users is only ever a query parameter.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..errors import ChainKGError
from ..graph_model.schema import ANALYSIS_PREFIX
from ..graph_model.vocabulary import LEAD_STAGE, lead_stage
from .version import bump_version

ROLES = ("viewer", "staff", "editor", "admin")
ROLE_RANK = {r: i for i, r in enumerate(ROLES)}
SESSION_HOURS = 8.0
#: failed logins: each failure after the first waits longer (seconds), the LOCK_AFTER-th locks the name
SLOW_AFTER, LOCK_AFTER, LOCK_MINUTES = 2, 5, 15
STAFF_PUBLISHER = "staff review"

_SCHEMA = (
    "CREATE CONSTRAINT ws_user IF NOT EXISTS FOR (u:WsUser) REQUIRE u.name IS UNIQUE",
    "CREATE CONSTRAINT ws_session IF NOT EXISTS FOR (s:WsSession) REQUIRE s.id IS UNIQUE",
    "CREATE CONSTRAINT ws_lead IF NOT EXISTS FOR (l:WsLead) REQUIRE l.id IS UNIQUE",
    "CREATE CONSTRAINT ws_audit IF NOT EXISTS FOR (a:WsAudit) REQUIRE a.id IS UNIQUE",
    "CREATE CONSTRAINT ws_failure IF NOT EXISTS FOR (f:WsLoginFailure) REQUIRE f.name IS UNIQUE",
    "CREATE INDEX ws_audit_at IF NOT EXISTS FOR (a:WsAudit) ON (a.at)",
    "CREATE INDEX ws_visit_lead IF NOT EXISTS FOR (v:WsVisit) ON (v.lead_id)",
    "CREATE INDEX ws_history_lead IF NOT EXISTS FOR (h:WsStageChange) ON (h.lead_id)",
)
LEAD_FIELDS = ("firm_id", "firm_name", "credit_code", "segment_ids", "district", "owner", "stage", "next_step",
               "due", "notes", "planned_start", "planned_progress", "progress", "funds_required", "funds_paid",
               "source", "chain_ids")


class WorkspaceError(ChainKGError):
    """A workspace request that cannot be done; ``status`` is its HTTP status, ``code`` its error word."""

    current: int | None = None  # a stale save: the version now stored
    delay: float | None = None  # a failed login: the seconds its answer waited

    def __init__(self, status: int, code: str, message: str, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.status, self.code = status, code


class Stale(WorkspaceError):
    def __init__(self, what: str, given: Any, current: Any):
        super().__init__(409, "stale", f"{what} was changed by someone else (your version {given}, now {current}); "
                         "nothing was saved. Reload it, check their change and save again.")
        self.current = current


def now() -> datetime:
    return datetime.now(UTC)


def _iso(v: Any) -> Any:
    """Neo4j temporal values and datetimes as ISO text; everything else as it is."""
    if hasattr(v, "iso_format"):
        return v.iso_format()
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    return v


def _plain(d: dict | None) -> dict | None:
    return None if d is None else {k: _iso(v) for k, v in d.items()}


def _json(d: Any) -> str | None:
    return None if d is None else json.dumps(d, ensure_ascii=False, sort_keys=True, default=str)


@dataclass
class Actor:
    """Who writes: a user name and role (``cli:<os user>`` for the command line)."""
    name: str
    role: str
    district: str | None = None


class Store:
    """The workspace in the Neo4j database ``database`` of ``driver``."""

    def __init__(self, driver, database: str):
        self.driver, self.database = driver, database

    # -- plumbing ---------------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        for stmt in _SCHEMA:
            with self.driver.session(database=self.database) as s:
                s.run(stmt).consume()
        with self.driver.session(database=self.database) as s:
            s.run("MERGE (g:WsGraphRev {id: 'graph'}) ON CREATE SET g.rev = 0, g.same_from = -1, g.same_to = -1"
                  ).consume()

    def read(self, work):
        with self.driver.session(database=self.database, default_access_mode="READ") as s:
            return s.execute_read(work)

    def write(self, actor: Actor | str, action: str, entity: str, entity_id: str | None, work, *,
              reason: str | None = None, graph: bool = False):
        """Run ``work(tx) -> (before, after, result)`` in one write transaction with its audit entry and
        the version bump; ``graph``: the change touches the graph's facts (the analysis must be redone).
        With ``action="*"`` ``after`` is a list of (action, entity, id, before, after): one entry each."""
        who = actor.name if isinstance(actor, Actor) else actor

        def tx_work(tx):
            before, after, result = work(tx)
            version = bump_version(tx)  # its lock on the version node orders the writers: version - 1 came just before
            since = None
            if graph:  # read after the version's lock: every earlier writer has committed
                rec = tx.run("MATCH (g:WsGraphRev {id: 'graph'}) RETURN g.same_from AS f, g.same_to AS t").single()
                since = rec["f"] if rec and rec["t"] == version - 1 and rec["f"] is not None else version - 1
                tx.run("MERGE (g:WsGraphRev {id: 'graph'}) SET g.rev = coalesce(g.rev, 0) + 1, g.same_from = $v, "
                       "g.same_to = $v", v=version).consume()
            else:  # the graph of this version is that of the one before: extend (or start) the run of equal graphs
                tx.run("MERGE (g:WsGraphRev {id: 'graph'}) SET g.same_from = CASE WHEN g.same_to = $v - 1 "
                       "THEN g.same_from ELSE $v - 1 END, g.same_to = $v", v=version).consume()
            entries = after if action == "*" else [(action, entity, entity_id, before, after)]
            for i, (act, ent, eid, bef, aft) in enumerate(entries):
                tx.run("CREATE (a:WsAudit {id: $id, at: datetime(), user: $user, action: $action, entity: $entity, "
                       "entity_id: $eid, before: $before, after: $after, reason: $reason, data_version: $version, "
                       "seq: $seq})", id=str(uuid.uuid4()), user=who, action=act, entity=ent, eid=eid,
                       before=_json(bef), after=_json(aft), reason=reason, version=version, seq=i).consume()
            if graph and isinstance(result, dict):
                # the version whose graph has the change, and the first version whose graph is that of version - 1
                # (a process serving any version from graph_since to version - 1 may apply the change itself)
                result = {**result, "data_version": version, "graph_since": since}
            return result
        with self.driver.session(database=self.database) as s:
            return s.execute_write(tx_work)

    def same_graph(self, old: int, new: int) -> bool:
        """Whether data versions ``old`` and ``new`` have the same graph: only workspace writes that leave the
        graph alone (leads, visits, logins) came between them. A load or a correction in between: False."""
        rec = self.read(lambda tx: tx.run("OPTIONAL MATCH (g:WsGraphRev {id: 'graph'}) "
                                          "RETURN g.same_from AS f, g.same_to AS t").single())
        return bool(rec and rec["f"] is not None and rec["f"] <= old <= new <= rec["t"])

    # -- secrets ----------------------------------------------------------------------------------

    def secret(self) -> str:
        """The workspace's signing key (login-form CSRF), made once and shared by every serve process."""
        key = secrets.token_hex(32)
        with self.driver.session(database=self.database) as s:
            return s.execute_write(lambda tx: tx.run(
                "MERGE (k:WsSecret {id: 'csrf'}) ON CREATE SET k.key = $key RETURN k.key AS key", key=key).single()["key"])

    # -- users ------------------------------------------------------------------------------------

    def user(self, name: str) -> dict | None:
        rec = self.read(lambda tx: tx.run("MATCH (u:WsUser {name: $n}) RETURN properties(u) AS u", n=name).single())
        return _plain(rec["u"]) if rec else None

    def users(self) -> list[dict]:
        rows = self.read(lambda tx: [r["u"] for r in tx.run("MATCH (u:WsUser) RETURN properties(u) AS u ORDER BY u.name")])
        return [{k: v for k, v in (_plain(r) or {}).items() if k != "hash"} for r in rows]

    def add_user(self, actor: Actor | str, name: str, role: str, password_hash: str, district: str | None = None) -> None:
        if role not in ROLES:
            raise WorkspaceError(400, "bad_role", f"Unknown role {role!r}.", hint="One of " + ", ".join(ROLES))

        def work(tx):
            if tx.run("MATCH (u:WsUser {name: $n}) RETURN u", n=name).single():
                raise WorkspaceError(409, "exists", f"User {name!r} exists already.",
                                     hint="chainkg users reset-password NAME, or choose another name.")
            tx.run("CREATE (u:WsUser {name: $n, role: $r, district: $d, hash: $h, disabled: false, "
                   "created_at: datetime()})", n=name, r=role, d=district, h=password_hash).consume()
            return None, {"name": name, "role": role, "district": district}, None
        self.write(actor, "user_add", "user", name, work)

    def set_user(self, actor: Actor | str, name: str, action: str, **props) -> None:
        """``disable`` / ``enable`` / ``reset_password`` (``hash=``): the user's sessions end too."""

        def work(tx):
            rec = tx.run("MATCH (u:WsUser {name: $n}) RETURN properties(u) AS u", n=name).single()
            if rec is None:
                raise WorkspaceError(404, "not_found", f"No user {name!r}.", hint="chainkg users list")
            before = {k: v for k, v in _plain(rec["u"]).items() if k in ("disabled", "role", "district")}
            tx.run("MATCH (u:WsUser {name: $n}) SET u += $p", n=name, p=props).consume()
            tx.run("MATCH (s:WsSession {user: $n}) DELETE s", n=name).consume()
            tx.run("MATCH (f:WsLoginFailure {name: $n}) DELETE f", n=name).consume()
            after = {**before, **{k: v for k, v in props.items() if k != "hash"}}
            return before, after, None
        self.write(actor, "user_" + action, "user", name, work)

    # -- logins and sessions ----------------------------------------------------------------------

    def login_state(self, name: str) -> dict:
        """{failures, locked_until (datetime or None)} for a user name (known or not)."""
        rec = self.read(lambda tx: tx.run("OPTIONAL MATCH (f:WsLoginFailure {name: $n}) "
                                          "RETURN f.count AS c, f.locked_until AS l", n=name).single())
        lk = rec["l"].to_native() if rec and rec["l"] is not None else None
        return {"failures": (rec["c"] or 0) if rec else 0, "locked_until": lk}

    def record_failure(self, name: str) -> dict:
        """One more failed login for ``name``; locks it for LOCK_MINUTES at the LOCK_AFTER-th."""

        def work(tx):
            r = tx.run("MERGE (f:WsLoginFailure {name: $n}) ON CREATE SET f.count = 0 "
                       "SET f.count = f.count + 1, f.last_at = datetime() "
                       "WITH f, f.count >= $lock AS lock "
                       "SET f.locked_until = CASE WHEN lock THEN datetime() + duration({minutes: $m}) "
                       "ELSE f.locked_until END, f.count = CASE WHEN lock THEN 0 ELSE f.count END "
                       "RETURN f.count AS c, f.locked_until AS l, lock",
                       n=name, lock=LOCK_AFTER, m=LOCK_MINUTES).single()
            state = {"failures": r["c"], "locked": bool(r["lock"]), "locked_until": _iso(r["l"])}
            return None, state, state
        return self.write(name, "login_failed", "user", name, work)

    def start_session(self, user: dict, token_hash: str, csrf: str, hours: float = SESSION_HOURS) -> None:
        def work(tx):
            tx.run("MATCH (f:WsLoginFailure {name: $n}) DELETE f", n=user["name"]).consume()
            tx.run("MATCH (s:WsSession {user: $n}) WHERE s.expires_at < datetime() DELETE s", n=user["name"]).consume()
            tx.run("CREATE (s:WsSession {id: $id, user: $n, csrf: $c, created_at: datetime(), "
                   "expires_at: datetime() + duration({seconds: $sec})})",
                   id=token_hash, n=user["name"], c=csrf, sec=int(hours * 3600)).consume()
            return None, {"session_hours": hours}, None
        self.write(user["name"], "login", "user", user["name"], work)

    def session(self, token_hash: str) -> dict | None:
        """The live session (with its user's role and district), or None (unknown, expired, user disabled)."""
        rec = self.read(lambda tx: tx.run(
            "MATCH (s:WsSession {id: $id}) WHERE s.expires_at > datetime() "
            "MATCH (u:WsUser {name: s.user}) WHERE NOT u.disabled "
            "RETURN s.user AS name, s.csrf AS csrf, u.role AS role, u.district AS district, s.expires_at AS expires",
            id=token_hash).single())
        return dict(rec) | {"expires": _iso(rec["expires"])} if rec else None

    def end_session(self, token_hash: str, user: str) -> None:
        def work(tx):
            tx.run("MATCH (s:WsSession {id: $id}) DELETE s", id=token_hash).consume()
            return None, None, None
        self.write(user, "logout", "user", user, work)

    # -- leads ------------------------------------------------------------------------------------

    def new_lead(self, actor: Actor, fields: dict, reason: str | None = None) -> dict:
        lead_id = "L-" + uuid.uuid4().hex[:10].upper()
        props = {k: fields.get(k) for k in LEAD_FIELDS}
        stage = props["stage"] or "lead"

        def work(tx):
            tx.run("CREATE (l:WsLead $p) SET l.id = $id, l.version = 1, l.created_at = datetime(), "
                   "l.created_by = $who, l.updated_at = datetime(), l.updated_by = $who",
                   p={**props, "stage": stage}, id=lead_id, who=actor.name).consume()
            tx.run("CREATE (h:WsStageChange {lead_id: $id, from_stage: null, stage: $st, at: datetime(), by: $who})",
                   id=lead_id, st=stage, who=actor.name).consume()
            return None, {**props, "stage": stage}, {"id": lead_id, "version": 1}
        return self.write(actor, "lead_create", "lead", lead_id, work, reason=reason)

    def new_leads(self, actor: Actor, many: list[dict], reason: str | None = None) -> list[dict]:
        """Several leads (a 台账 import) in one transaction, one audit entry each."""
        rows = [{"id": "L-" + uuid.uuid4().hex[:10].upper(), "p": {**{k: f.get(k) for k in LEAD_FIELDS},
                                                                      "stage": f.get("stage") or "lead"}} for f in many]

        def work(tx):
            tx.run("UNWIND $rows AS row CREATE (l:WsLead) SET l = row.p, l.id = row.id, l.version = 1, "
                   "l.created_at = datetime(), l.created_by = $who, l.updated_at = datetime(), l.updated_by = $who "
                   "CREATE (h:WsStageChange {lead_id: row.id, from_stage: null, stage: row.p.stage, at: datetime(), "
                   "by: $who})", rows=rows, who=actor.name).consume()
            entries = [("lead_import", "lead", r["id"], None, r["p"]) for r in rows]
            return None, entries, [{"id": r["id"], "version": 1} for r in rows]
        return self.write(actor, "*", "lead", None, work, reason=reason)

    def update_lead(self, actor: Actor, lead_id: str, version: int, changes: dict, reason: str | None = None,
                    allowed=None) -> dict:
        """Apply ``changes`` when the lead is still at ``version`` (else :class:`Stale`, nothing written).
        ``allowed(lead) -> None`` raises when ``actor`` may not change this lead (staff outside their district)."""

        def work(tx):
            rec = tx.run("MATCH (l:WsLead {id: $id}) SET l.version = l.version RETURN properties(l) AS l",
                         id=lead_id).single()  # the SET takes the lead's write lock before it is read
            if rec is None:
                raise WorkspaceError(404, "not_found", f"No lead {lead_id}.")
            cur = _plain(rec["l"])
            if allowed:
                allowed(cur)
            if cur["version"] != version:
                raise Stale(f"Lead {lead_id}", version, cur["version"])
            ch = {k: v for k, v in changes.items() if k in LEAD_FIELDS and cur.get(k) != v}
            before = {k: cur.get(k) for k in ch}
            tx.run("MATCH (l:WsLead {id: $id}) SET l += $p, l.version = l.version + 1, l.updated_at = datetime(), "
                   "l.updated_by = $who", id=lead_id, p=ch, who=actor.name).consume()
            if "stage" in ch:
                tx.run("CREATE (h:WsStageChange {lead_id: $id, from_stage: $f, stage: $st, at: datetime(), by: $who})",
                       id=lead_id, f=cur.get("stage"), st=ch["stage"], who=actor.name).consume()
            return before, ch, {"id": lead_id, "version": version + 1}
        return self.write(actor, "lead_update", "lead", lead_id, work, reason=reason)

    def add_visit(self, actor: Actor, lead_id: str, visit: dict, allowed=None) -> dict:
        vid = "V-" + uuid.uuid4().hex[:10].upper()

        def work(tx):
            rec = tx.run("MATCH (l:WsLead {id: $id}) SET l.version = l.version + 1, l.updated_at = datetime() "
                         "RETURN properties(l) AS l", id=lead_id).single()
            if rec is None:
                raise WorkspaceError(404, "not_found", f"No lead {lead_id}.")
            if allowed:
                allowed(_plain(rec["l"]))
            v = {"id": vid, "lead_id": lead_id, "date": visit.get("date"), "people": visit.get("people"),
                 "summary": visit.get("summary"), "by": actor.name}
            tx.run("CREATE (v:WsVisit $v) SET v.at = datetime()", v=v).consume()
            return None, v, {"id": vid, "lead_id": lead_id, "version": rec["l"]["version"]}
        return self.write(actor, "visit_add", "lead", lead_id, work)

    def lead(self, lead_id: str) -> dict | None:
        def work(tx):
            rec = tx.run("MATCH (l:WsLead {id: $id}) RETURN properties(l) AS l", id=lead_id).single()
            if rec is None:
                return None
            hist = [_plain(r["h"]) for r in tx.run("MATCH (h:WsStageChange {lead_id: $id}) RETURN properties(h) AS h "
                                                   "ORDER BY h.at", id=lead_id)]
            visits = [_plain(r["v"]) for r in tx.run("MATCH (v:WsVisit {lead_id: $id}) RETURN properties(v) AS v "
                                                     "ORDER BY v.date, v.at", id=lead_id)]
            return {**_plain(rec["l"]), "history": hist, "visits": visits}
        return self.read(work)

    def leads(self) -> list[dict]:
        """Every lead (filters are applied by the caller, over the graph's chains and districts)."""
        return self.read(lambda tx: [_plain(r["l"]) for r in tx.run(
            "MATCH (l:WsLead) RETURN properties(l) AS l ORDER BY l.created_at, l.id")])

    def lead_firms(self) -> list[dict]:
        """(firm_id, firm_name, credit_code) of every lead: new firms are matched against these too."""
        return self.read(lambda tx: [dict(r) for r in tx.run(
            "MATCH (l:WsLead) RETURN DISTINCT l.firm_id AS firm_id, l.firm_name AS firm_name, "
            "l.credit_code AS credit_code")])

    # -- staff corrections of the graph (editor) -------------------------------------------------

    def _staff_source(self, tx, actor: Actor, why: str, title: str) -> tuple[str, dict]:
        """A staff-review source: who, when and why in its title too, so an export keeps them. (id, its node
        as the graph holds it: the label and the properties)."""
        sid = "S-WS-" + uuid.uuid4().hex[:10].upper()
        props = {"title": f"{title}（{actor.name}，{date.today().isoformat()}：{why}）", "publisher": STAFF_PUBLISHER,
                 "date": date.today().isoformat(), "reliability": "high", "reviewed_by": actor.name, "reason": why}
        tx.run("CREATE (s:Source:ChainKG {id: $id}) SET s += $p", id=sid, p=props).consume()
        return sid, {"label": "Source", **props}

    def correct(self, actor: Actor, kind: str, params: dict, reason: str) -> dict:
        """One staff correction as a confirmed fact with a staff-review source: ``place`` / ``unplace``
        (firm_id, segment_id), ``local`` (firm_id, local), ``add_firm`` (name, credit_code, local,
        district), ``source`` (firm_id, title, url, publisher, date, reliability).

        The answer also holds ``data_version`` and ``graph_since`` (:meth:`write`) and ``graph``: the change
        as the graph sees it, ``{"changes": [edit mappings], "nodes": {id: {"label": …, …}}}``
        (:func:`chainkg.api.apply_changes` edits, and the new source nodes), so the writing process can
        update its analysis without reading the graph again."""
        if not (reason or "").strip():
            raise WorkspaceError(400, "no_reason", "A correction needs a reason (why), recorded with its source.")
        works = {"place": self._place, "unplace": self._unplace, "local": self._local, "add_firm": self._add_firm,
                 "source": self._attach}
        if kind not in works:
            raise WorkspaceError(400, "bad_kind", f"Unknown correction {kind!r}.", hint=", ".join(works))
        entity_id = params.get("firm_id") or params.get("id")
        return self.write(actor, "fact_" + kind, "firm", entity_id, lambda tx: works[kind](tx, actor, params, reason),
                          reason=reason, graph=True)

    def _firm(self, tx, firm_id):
        rec = tx.run("MATCH (f:Firm {id: $id}) RETURN properties(f) AS f", id=firm_id).single()
        if rec is None:
            raise WorkspaceError(404, "not_found", f"No firm {firm_id}.")
        return _plain(rec["f"])

    def _place(self, tx, actor, p, why):
        self._firm(tx, p["firm_id"])
        if tx.run("MATCH (s:Segment {id: $id}) RETURN s", id=p["segment_id"]).single() is None:
            raise WorkspaceError(404, "not_found", f"No segment {p['segment_id']}.")
        old = tx.run("MATCH (:Firm {id: $f})-[r:IN_SEGMENT]->(:Segment {id: $s}) RETURN properties(r) AS r",
                     f=p["firm_id"], s=p["segment_id"]).single()
        sid, node = self._staff_source(tx, actor, why, f"人工核实：{p['firm_id']} 属于 {p['segment_id']}")
        tx.run("MATCH (f:Firm {id: $f}), (s:Segment {id: $s}) MERGE (f)-[r:IN_SEGMENT]->(s) "
               "SET r.source_id = $sid, r.confidence = 'confirmed', r.note = $why",
               f=p["firm_id"], s=p["segment_id"], sid=sid, why=why).consume()
        after = {"firm_id": p["firm_id"], "segment_id": p["segment_id"], "source_id": sid, "confidence": "confirmed"}
        before = _plain(old["r"]) if old else None
        placed = {k: v for k, v in (before or {}).items() if not k.startswith(ANALYSIS_PREFIX)}
        placed.update(source_id=sid, confidence="confirmed", note=why)
        edit = {"kind": "place", "firm": p["firm_id"], "segment": p["segment_id"], "props": placed}
        changes = ([{"kind": "unplace", "firm": p["firm_id"], "segment": p["segment_id"]}] if old else []) + [edit]
        return before, after, {**after, "graph": {"changes": changes, "nodes": {sid: node}}}

    def _unplace(self, tx, actor, p, why):
        old = tx.run("MATCH (:Firm {id: $f})-[r:IN_SEGMENT]->(:Segment {id: $s}) RETURN properties(r) AS r",
                     f=p["firm_id"], s=p["segment_id"]).single()
        if old is None:
            raise WorkspaceError(404, "not_found", f"Firm {p['firm_id']} is not placed in segment {p['segment_id']}.")
        sid, node = self._staff_source(tx, actor, why, f"人工核实：{p['firm_id']} 不属于 {p['segment_id']}")
        tx.run("MATCH (:Firm {id: $f})-[r:IN_SEGMENT]->(:Segment {id: $s}) DELETE r",
               f=p["firm_id"], s=p["segment_id"]).consume()
        edit = {"kind": "unplace", "firm": p["firm_id"], "segment": p["segment_id"]}
        return ({"firm_id": p["firm_id"], "segment_id": p["segment_id"], **_plain(old["r"])},
                {"removed": True, "source_id": sid}, {"source_id": sid, "graph": {"changes": [edit], "nodes": {sid: node}}})

    def _local(self, tx, actor, p, why):
        f = self._firm(tx, p["firm_id"])
        local = bool(p["local"])
        sid, node = self._staff_source(tx, actor, why, f"人工核实：{p['firm_id']} {'本地' if local else '外地'}企业")
        tx.run("MATCH (f:Firm {id: $id}) SET f.local = $l, f.source_id = $sid, f.confidence = 'confirmed'",
               id=p["firm_id"], l=local, sid=sid).consume()
        edit = {"kind": "set_firm", "firm": p["firm_id"], "props": {"local": local, "source_id": sid, "confidence": "confirmed"}}
        return ({"local": f.get("local"), "source_id": f.get("source_id"), "confidence": f.get("confidence")},
                {"local": local, "source_id": sid, "confidence": "confirmed"},
                {"source_id": sid, "graph": {"changes": [edit], "nodes": {sid: node}}})

    def _add_firm(self, tx, actor, p, why):
        fid = p["id"]
        if tx.run("MATCH (f:Firm {id: $id}) RETURN f", id=fid).single():
            raise WorkspaceError(409, "exists", f"Firm {fid} exists already.")
        sid, node = self._staff_source(tx, actor, why, f"人工核实：新增企业 {p['name']}")
        props = {"name": p["name"], "credit_code": p.get("credit_code"), "local": bool(p.get("local")),
                 "source_id": sid, "confidence": "confirmed"}
        tx.run("CREATE (f:Firm:ChainKG {id: $id}) SET f += $p", id=fid, p=props).consume()
        changes = [{"kind": "add_firm", "firm": fid, "props": {k: v for k, v in props.items() if v is not None}}]
        if p.get("district"):
            r = tx.run("MATCH (f:Firm {id: $id}), (d:District {id: $d}) MERGE (f)-[r:LOCATED_IN]->(d) "
                       "SET r.source_id = $sid, r.confidence = 'confirmed' RETURN count(r) AS n",
                       id=fid, d=p["district"], sid=sid).single()
            if not r["n"]:
                raise WorkspaceError(404, "not_found", f"No district {p['district']}.")
            changes.append({"kind": "locate", "firm": fid, "district": p["district"],
                            "props": {"source_id": sid, "confidence": "confirmed"}})
        return (None, {"id": fid, **props, "district": p.get("district")},
                {"id": fid, "source_id": sid, "graph": {"changes": changes, "nodes": {sid: node}}})

    def _attach(self, tx, actor, p, why):
        f = self._firm(tx, p["firm_id"])
        sid = "S-WS-" + uuid.uuid4().hex[:10].upper()
        props = {"title": p["title"], "url": p.get("url"), "publisher": p.get("publisher") or STAFF_PUBLISHER,
                 "date": p.get("date") or date.today().isoformat(), "reliability": p.get("reliability") or "moderate",
                 "reviewed_by": actor.name, "reason": why}
        tx.run("CREATE (s:Source:ChainKG {id: $id}) SET s += $p", id=sid, p=props).consume()
        tx.run("MATCH (f:Firm {id: $id}) SET f.source_id = $sid, f.confidence = 'confirmed'",
               id=p["firm_id"], sid=sid).consume()
        edit = {"kind": "set_firm", "firm": p["firm_id"], "props": {"source_id": sid, "confidence": "confirmed"}}
        node = {"label": "Source", **{k: v for k, v in props.items() if v is not None}}
        return ({"source_id": f.get("source_id"), "confidence": f.get("confidence")},
                {"source_id": sid, **props}, {"source_id": sid, "graph": {"changes": [edit], "nodes": {sid: node}}})

    # -- intake review in the browser ------------------------------------------------------------

    def save_intake(self, actor: Actor, file: str, payload: dict) -> str:
        """An uploaded list's proposals, kept until applied (the review page reads them back)."""
        iid = "I-" + uuid.uuid4().hex[:10].upper()

        def work(tx):
            tx.run("CREATE (i:WsIntake {id: $id, file: $f, payload: $p, by: $who, at: datetime(), status: 'open'})",
                   id=iid, f=file, p=_json(payload), who=actor.name).consume()
            return None, {"file": file, "firms": len(payload.get("firms", []))}, iid
        return self.write(actor, "intake_upload", "intake", iid, work)

    def intake(self, iid: str) -> dict | None:
        rec = self.read(lambda tx: tx.run("MATCH (i:WsIntake {id: $id}) RETURN properties(i) AS i", id=iid).single())
        if rec is None:
            return None
        out = _plain(rec["i"]) or {}
        out["payload"] = json.loads(out["payload"])
        return out

    def close_intake(self, actor: Actor, iid: str, summary: dict) -> None:
        def work(tx):
            r = tx.run("MATCH (i:WsIntake {id: $id}) WHERE i.status = 'open' SET i.status = 'applied', "
                       "i.applied_by = $who, i.applied_at = datetime() RETURN i", id=iid, who=actor.name).single()
            if r is None:
                raise WorkspaceError(409, "applied", f"Intake {iid} was applied already (or does not exist).")
            return {"status": "open"}, {"status": "applied", **summary}, None
        self.write(actor, "intake_apply", "intake", iid, work)

    def reject(self, actor: Actor, firm_name: str, credit_code: str | None, segment_id: str, reason: str | None) -> None:
        """Remember that staff rejected ``segment_id`` for this firm: intake never proposes it again."""
        def work(tx):
            tx.run("MERGE (r:WsRejection {firm_key: $k, segment_id: $s}) ON CREATE SET r.firm_name = $n, "
                   "r.credit_code = $c, r.by = $who, r.date = $d, r.note = $why",
                   k=credit_code or firm_name, s=segment_id, n=firm_name, c=credit_code, who=actor.name,
                   d=date.today().isoformat(), why=reason).consume()
            return None, {"firm_name": firm_name, "credit_code": credit_code, "segment_id": segment_id}, None
        self.write(actor, "intake_reject", "firm", credit_code or firm_name, work, reason=reason)

    def rejections(self) -> list[dict]:
        return self.read(lambda tx: [_plain(r["r"]) or {} for r in tx.run(
            "MATCH (r:WsRejection) RETURN properties(r) AS r ORDER BY r.firm_name, r.segment_id")])

    # -- audit ------------------------------------------------------------------------------------

    def audit(self, since: datetime | None = None, user: str | None = None, limit: int | None = None) -> list[dict]:
        q = ("MATCH (a:WsAudit) WHERE ($since IS NULL OR a.at >= $since) AND ($user IS NULL OR a.user = $user) "
             "RETURN properties(a) AS a ORDER BY a.data_version DESC, a.seq DESC" + (" LIMIT $limit" if limit else ""))
        rows = self.read(lambda tx: [r["a"] for r in tx.run(q, since=since, user=user, limit=limit)])
        out: list[dict] = []
        for row in rows:
            r = _plain(row) or {}
            for k in ("before", "after"):
                r[k] = json.loads(r[k]) if r.get(k) else None
            out.append(r)
        return out

    # -- export / load ----------------------------------------------------------------------------

    def dump(self) -> dict[str, list[dict]]:
        """Leads, stage history and visits as plain rows (``export --from-neo4j``)."""
        def work(tx):
            return {t: [_plain(r["x"]) for r in tx.run(f"MATCH (x:{lbl}) RETURN properties(x) AS x ORDER BY x.id, x.at")]
                    for t, lbl in (("leads", "WsLead"), ("lead_history", "WsStageChange"), ("visits", "WsVisit"))}
        return self.read(work)

    def restore(self, actor: Actor | str, tables: dict[str, list[dict]]) -> int:
        """Write exported leads, history and visits back (MERGE by id: loading twice changes nothing)."""
        def work(tx):
            n = 0
            for row in tables.get("leads", []):
                tx.run("MERGE (l:WsLead {id: $id}) SET l += $p", id=row["id"], p=_typed(row)).consume()
                n += 1
            for row in tables.get("lead_history", []):
                tx.run("MERGE (h:WsStageChange {lead_id: $l, at: datetime($at), stage: $st}) SET h += $p",
                       l=row["lead_id"], at=row["at"], st=row["stage"],
                       p={k: v for k, v in _typed(row).items() if k not in ("at",)}).consume()
            for row in tables.get("visits", []):
                tx.run("MERGE (v:WsVisit {id: $id}) SET v += $p", id=row["id"], p=_typed(row)).consume()
            return None, {k: len(v) for k, v in tables.items()}, n
        return self.write(actor, "workspace_load", "workspace", None, work)


_DATETIMES = ("created_at", "updated_at", "at")


def _typed(row: dict) -> dict:
    """An exported row's values back to what the store keeps (datetimes, version as int, lists)."""
    out: dict[str, Any] = {}
    for k, v in row.items():
        if v in (None, ""):
            continue
        if k in _DATETIMES and isinstance(v, str):  # Neo4j writes nanoseconds; Python reads microseconds
            out[k] = datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", v))
        elif k == "version":
            out[k] = int(v)
        else:
            out[k] = v
    return out


def check_stage(value: Any) -> str:
    code = lead_stage(str(value)) if value is not None else None
    if code is None:
        raise WorkspaceError(400, "bad_stage", f"Unknown stage {value!r}.",
                             hint="One of " + ", ".join(f"{s.code} ({s.zh})" for s in LEAD_STAGE.values()))
    return code


def check_date(value: Any, what: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise WorkspaceError(400, "bad_date", f"{what}: {value!r} is not a date.", hint="Write it as YYYY-MM-DD.") from None


def expiry(hours: float = SESSION_HOURS) -> datetime:
    return now() + timedelta(hours=hours)


WORKSPACE_FILE = "workspace.json"


def export_workspace(connection, out) -> list:
    """Write the workspace's leads, history and visits as ``workspace.json`` into the export folder ``out``
    (nothing for a workbook export, or when the database has no workspace)."""
    from pathlib import Path

    from ..connection import ConnectionSettings, open_driver, resolve_connection

    out = Path(out)
    if out.suffix.lower() == ".xlsx":
        return []
    c = connection if isinstance(connection, ConnectionSettings) else None
    d = dict(connection or {}) if c is None else {}
    settings = c or resolve_connection(d.get("uri"), d.get("user"), d.get("database"))
    with open_driver(settings) as driver:
        tables = Store(driver, settings.database).dump()
    if not any(tables.values()):
        return []
    path = out / WORKSPACE_FILE
    path.write_text(json.dumps(tables, ensure_ascii=False, indent=1, sort_keys=True, default=str), encoding="utf-8")
    return [path]


def load_workspace(dataset, settings) -> int | None:
    """``chainkg load FOLDER``: write ``FOLDER/workspace.json`` back (None when there is none)."""
    from pathlib import Path

    from ..connection import open_driver

    if dataset is None or not (Path(dataset) / WORKSPACE_FILE).is_file():
        return None
    try:
        tables = json.loads((Path(dataset) / WORKSPACE_FILE).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise WorkspaceError(400, "bad_file", f"{Path(dataset) / WORKSPACE_FILE}: not JSON ({exc}); the graph was "
                             "loaded, the workspace was not.", hint="Export it again with chainkg export --from-neo4j.") from None
    with open_driver(settings) as driver:
        store = Store(driver, settings.database)
        store.ensure_schema()
        return store.restore("cli:load", tables)
