"""The plan's milestones and systems in the workspace (saved and loaded with the rest of the plan)."""
from __future__ import annotations

import dataclasses
import json
import sqlite3

from dxdesk.plan import model as m
from dxdesk.plan.milestones import Milestone
from dxdesk.plan.systems import Cost, System
from dxdesk.store.sql import PUT_META


def save_schedule(conn: sqlite3.Connection, plan: m.Plan) -> None:
    """Replace the milestones and systems (inside the caller's transaction)."""
    conn.execute("DELETE FROM milestones")
    conn.execute("DELETE FROM systems")
    conn.executemany("INSERT INTO milestones VALUES (?,?,?,?,?,?,?,?,?)", [
        (x.milestone_id, x.measure_id, x.content, x.fy, x.period, x.due_month, x.status, x.note, i)
        for i, x in enumerate(plan.milestones)])
    conn.executemany("INSERT INTO systems VALUES (?,?,?)", [
        (s.system_id, json.dumps(dataclasses.asdict(s), ensure_ascii=False), i)
        for i, s in enumerate(plan.systems.values())])
    conn.execute(PUT_META, ("plan.items", json.dumps(plan.items, ensure_ascii=False)))


def load_schedule(conn: sqlite3.Connection, plan: m.Plan) -> None:
    items = conn.execute("SELECT value FROM meta WHERE key = 'plan.items'").fetchone()
    plan.items = json.loads(items[0]) if items else {}
    plan.milestones = [Milestone(r["measure_id"], r["milestone_id"], r["content"], r["fy"], r["period"] or "",
                                 r["due_month"], r["status"] or "", r["note"] or "", r["seq"])
                       for r in conn.execute("SELECT * FROM milestones ORDER BY seq")]
    for r in conn.execute("SELECT json FROM systems ORDER BY seq"):
        data = json.loads(r["json"])
        data["measure_ids"] = tuple(data["measure_ids"])
        data["intro_cost"] = Cost(**data["intro_cost"])
        data["opex"] = tuple(Cost(**c) for c in data["opex"])
        plan.systems[data["system_id"]] = System(**data)
