"""Shared fixtures: a fresh workspace per test, the sample plan, a distributed round."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dxdesk import jobs  # noqa: E402
from dxdesk.sample import SAMPLE_DIR, read_csv, write_plan_workbook  # noqa: E402
from dxdesk.store.workspace import init_workspace  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
SHIZUOKA_DIR = FIXTURES / "plans" / "shizuoka"


@pytest.fixture(scope="session")
def sample_plan_path(tmp_path_factory) -> Path:
    return write_plan_workbook(SAMPLE_DIR, tmp_path_factory.mktemp("plan") / "計画マスタ_サンプル.xlsx")


@pytest.fixture(scope="session")
def shizuoka_plan_path(tmp_path_factory) -> Path:
    return write_plan_workbook(SHIZUOKA_DIR, tmp_path_factory.mktemp("plan") / "計画マスタ_静岡.xlsx")


@pytest.fixture(scope="session")
def sample_actuals() -> dict[str, dict]:
    return {row["指標ID"]: row for row in read_csv(SAMPLE_DIR / "今年度実績.csv")}


# The store tests run on both backends, SQLite and a real PostgreSQL (tests/pg_server.py): every test that
# asks for `store`, `workspace` (so `sample_round`) or `new_workspace` (the workspaces a test makes itself, and
# `init_args` for `dxdesk init`) runs once on each. A test about what only one backend has (the SQLite
# workspace's lock file, its WAL, its database file) says so with `@pytest.mark.sqlite_only("why")`.
BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    if "store" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker("sqlite_only")
        # module scope: a module's shared fixtures (a corpus collected once) can be made on each backend too
        metafunc.parametrize("store", ["sqlite"] if only else list(BACKENDS), scope="module")


@pytest.fixture(scope="session")
def pg_server():
    from pg_server import PgServer
    server = PgServer().start()
    yield server
    server.stop()


@pytest.fixture
def pg_database(request):
    """A fresh PostgreSQL database with the migrated schema (its URL), dropped after the test."""
    server = request.getfixturevalue("pg_server")
    url = server.fresh_database()
    yield url
    server.drop(url)


@pytest.fixture
def store(request):
    return request.param


class Databases:
    """The PostgreSQL databases of one test on the postgresql backend (none on SQLite), dropped after it."""

    def __init__(self, server) -> None:
        self.server, self.made = server, []

    def __call__(self) -> str | None:
        """None on SQLite, else the URL of a new empty database: each workspace a test makes is its own office."""
        if self.server is None:
            return None
        self.made.append(self.server.fresh_database())
        return self.made[-1]

    def copy(self, url: str) -> str:
        self.made.append(self.server.copy_database(url))
        return self.made[-1]


def _databases(store, request):
    made = Databases(request.getfixturevalue("pg_server") if store == "postgresql" else None)
    yield made
    for url in made.made:
        made.server.drop(url)


@pytest.fixture
def databases(store, request):
    yield from _databases(store, request)


@pytest.fixture(scope="module")
def module_databases(store, request):
    """The same for a module's shared fixtures (dropped after the module)."""
    yield from _databases(store, request)


@pytest.fixture(scope="module")
def on_backend(module_databases):
    """`on_backend(root)`: a copy of a closed SQLite workspace on this module's backend — copied on SQLite,
    else moved up into a new PostgreSQL database by `dxdesk workspace migrate` (a folder beside it); its root.
    For a module fixture whose inputs are costly to make (typed in LibreOffice) and are the same on both."""
    import shutil

    from dxdesk.store.moveup import move_up
    from dxdesk.store.workspace import open_workspace

    def move(root: Path) -> Path:
        url = module_databases()
        if url is None:
            return Path(shutil.copytree(root, root.with_name(root.name + "_sqlite")))
        with open_workspace(root) as source:
            return move_up(source, url, root.with_name(root.name + "_pg")).folder
    return move


@pytest.fixture
def copy_workspace(databases):
    """`copy_workspace(source, target)`: a copy of a closed workspace, the store included (a shared workspace's
    database is copied into a new one), as a separate office would have it."""
    import json
    import shutil

    from dxdesk.store.workspace import DATABASE_FILE, database_of

    def copy(source: Path, target: Path) -> Path:
        shutil.copytree(source, target)
        url = database_of(source)
        if url:
            (target / DATABASE_FILE).write_text(json.dumps({"database": databases.copy(url)}), encoding="utf-8")
        return target
    return copy


@pytest.fixture
def new_workspace(databases):
    """`new_workspace(path)`: a new workspace at `path` on this test's backend (open it again with
    open_workspace(path) as usual: the folder knows its database)."""
    return lambda path: init_workspace(path, database=databases())


@pytest.fixture
def init_args(databases):
    """`init_args(folder)`: the arguments of `dxdesk init folder` on this test's backend."""
    def args(folder) -> list[str]:
        url = databases()
        return ["init", str(folder)] + (["--database", url] if url else [])
    return args


@pytest.fixture
def workspace(tmp_path, new_workspace):
    ws = new_workspace(tmp_path / "ws")
    yield ws
    ws.close()


@pytest.fixture
def sample_round(workspace, sample_plan_path):
    """Sample plan imported, round FY2023 created and distributed: (ws, round, form paths)."""
    jobs.import_plan(workspace, sample_plan_path)
    round_ = jobs.new_round(workspace, 2023, dt.date(2024, 5, 17))
    files = jobs.distribute(workspace, round_).files
    return workspace, round_, files


@pytest.fixture(scope="session")
def demo_round(tmp_path_factory):
    """The demo round run once (sample plan, simulated returns with their faults): its DemoResult (without
    the packs, send-backs and mails, which their own tests write)."""
    from dxdesk.demo import run_demo
    return run_demo(tmp_path_factory.mktemp("demo") / "demo", products=False)
