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


# The store tests: their `workspace` (and so `sample_round`) runs on both backends, SQLite and a real
# PostgreSQL (tests/pg_server.py). Other tests use SQLite, the default. Kept to the modules that exercise the
# store (rounds, history, waivers, editions, rule books, odd text and numbers) so the suite stays about as fast;
# test_co_owned, test_remind_mail, test_office_scale, test_wording, unit/test_forms and
# unit/test_real_client_values also pass on both (add them here to run them so).
BOTH_STORES = {
    "test_end_to_end.py", "test_waivers.py", "test_plan_editions.py", "test_second_year.py", "test_relisted.py",
    "test_remind.py", "test_consolidated.py", "test_budget_totals.py", "test_export_json.py",
    "test_city_numbers.py", "test_workspace.py", "test_rulebook.py", "test_shared_workspace.py",
    "test_encrypted_returns.py", "test_paths_and_text.py", "test_output_safety.py", "test_faults_are_messages.py",
}


def pytest_generate_tests(metafunc):
    if "store" in metafunc.fixturenames:
        both = Path(str(metafunc.definition.fspath)).name in BOTH_STORES
        metafunc.parametrize("store", ["sqlite", "postgresql"] if both else ["sqlite"], scope="function")


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


@pytest.fixture
def workspace(tmp_path, store, request):
    database = request.getfixturevalue("pg_database") if store == "postgresql" else None
    ws = init_workspace(tmp_path / "ws", database=database)
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
