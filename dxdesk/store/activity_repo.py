"""The activity log: who (the OS user, on which PC) did what, when — every change to the workspace."""
from __future__ import annotations

from dataclasses import dataclass

from dxdesk.outputs.numfmt import timestamp


@dataclass(frozen=True)
class Activity:
    at: str
    who: str
    host: str
    what: str

    @property
    def line(self) -> str:
        return f"{timestamp(self.at)}  {self.who}（{self.host}）  {self.what}"


def activity_log(conn, limit: int = 0) -> list[Activity]:
    """The newest first; `limit` 0: all of it."""
    query = "SELECT at, who, host, what FROM activity ORDER BY activity_id DESC"
    rows = conn.execute(query + " LIMIT ?", (limit,)) if limit > 0 else conn.execute(query)
    return [Activity(*r) for r in rows]
