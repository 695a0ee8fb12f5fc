"""Opening a PostgreSQL store: the address (never a password), the connection, and what to say when it fails.

Passwords are never written in dxdesk's settings, never printed and never logged: libpq reads them from the
password file (pgpass: %APPDATA%\\postgresql\\pgpass.conf on Windows, ~/.pgpass elsewhere, or the file named
by PGPASSFILE). An address given with a password in it is refused.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from dxdesk.errors import WorkspaceError
from dxdesk.store.sql import PgConnection

SCHEMES = ("postgresql://", "postgres://")
SECRET_PARAMETERS = ("password", "sslpassword")  # libpq reads a password from the query string too
CONNECT_TIMEOUT = 10  # seconds: an unreachable server is reported, not waited for


def is_database_url(text: str) -> bool:
    return str(text).lower().startswith(SCHEMES)


def check_url(url: str) -> str:
    """The address as it will be kept in the workspace's settings; one with a password in it is refused
    (the message shows it without the password)."""
    url = url.strip()
    if not is_database_url(url):
        raise WorkspaceError(f"データベースの指定は postgresql://ユーザー名@サーバー/データベース名 の形で書いてください"
                             f"（指定: {describe(url)}）。")
    try:
        parts = urlsplit(url)
        parts.port, parts.hostname  # noqa: B018 — both raise ValueError on an address they cannot read
    except ValueError:
        raise WorkspaceError("データベースの指定のサーバー名かポート番号が読めません。postgresql://ユーザー名@サーバー/データベース名"
                             "（ポートを付けるときは サーバー:5432 のように半角数字）の形で書いてください。") from None
    query = {key.strip().lower() for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if parts.password is not None or query & set(SECRET_PARAMETERS):
        raise WorkspaceError(
            f"データベースの指定（{describe(url)}）にパスワードが含まれています。パスワードは設定に保存しません。"
            "指定からパスワードを外し、パスワードファイル（pgpass）に書いてください"
            "（docs/shared-workspace.md を参照）。")
    if not parts.path.strip("/"):
        raise WorkspaceError(f"データベース名がありません（{describe(url)}）。"
                             "postgresql://ユーザー名@サーバー/データベース名 の形で指定してください。")
    return url


def describe(url: str) -> str:
    """user@host:port/db, without the password (for messages and the window's title)."""
    try:
        parts = urlsplit(str(url))
        host = parts.hostname or "localhost"
        port = f":{parts.port}" if parts.port else ""
        user = f"{parts.username}@" if parts.username else ""
        return f"{user}{host}{port}{parts.path or '/'}"
    except ValueError:
        return "（読めない指定）"


def connect(url: str) -> PgConnection:
    """Connect (autocommit: transactions are opened by `with conn:`); a server that cannot be reached, a
    refused login or a missing database becomes a WorkspaceError in Japanese naming host and database."""
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - psycopg is a dependency
        raise WorkspaceError("PostgreSQL に接続する部品（psycopg）が入っていません。dxdesk を入れ直してください。") from exc
    where = describe(url)

    def open_raw():
        try:
            return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT, application_name="dxdesk")
        except psycopg.OperationalError as exc:
            raise WorkspaceError(unreachable_message(where, str(exc))) from None

    return PgConnection(open_raw(), where, open_raw)


def unreachable_message(where: str, detail: str) -> str:
    detail = detail.lower()
    if "password" in detail or "authentication" in detail:
        why = ("ログインできません。ユーザー名と、パスワードファイル（pgpass）に書いたパスワードを確かめてください")
    elif "does not exist" in detail and "database" in detail:
        why = "データベースがありません。情報政策担当（サーバーの管理者）に作成を依頼してください"
    elif "does not exist" in detail and "role" in detail:
        why = "ユーザーがありません。情報政策担当（サーバーの管理者）に作成を依頼してください"
    elif "pg_hba" in detail or "no encryption" in detail:
        why = "このPCからの接続がサーバーで許可されていません（pg_hba.conf）。サーバーの管理者に依頼してください"
    else:
        why = ("サーバーに接続できません。ネットワークにつながっているか、サーバーが動いているか、"
               "サーバー名とポートが正しいかを確かめてください")
    return f"データベース {where} に接続できません: {why}。"


def lost_message(where: str) -> str:
    return (f"データベース {where} との接続が切れました。この操作の途中までの記録は残していません"
            "（前回までの内容はそのままです）。接続を確かめて、もう一度実行してください。")


def connection_lost(exc: BaseException | None, depth: int = 0) -> bool:
    """Whether `exc` is (or wraps) psycopg's OperationalError: the server went away or the connection broke.
    The transaction it interrupted was rolled back by the server: nothing is half-written."""
    if exc is None or depth > 5:
        return False
    kind = type(exc)
    if kind.__module__.startswith("psycopg") and any(k.__name__ == "OperationalError" for k in kind.__mro__):
        return True
    return connection_lost(exc.__cause__ or exc.__context__, depth + 1)
