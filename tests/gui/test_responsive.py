"""The window keeps its event loop turning during a long job: a collection of 100 returned files runs on the
worker thread while timers fire, progress arrives and the window answers; cancel stops it between files."""
from __future__ import annotations

import datetime as dt
import shutil
import threading
import zipfile

import pytest
from PySide6.QtCore import QTimer

from dxdesk.sample import SAMPLE_DIR, write_plan_workbook
from ui import tasks

pytestmark = pytest.mark.gui


def hundred_returns(forms, folder):
    """100 distinct files (forms returned untouched; a zip comment makes each copy a different file)."""
    folder.mkdir()
    made = []
    for n in range(100):
        form = forms[n % len(forms)]
        target = folder / f"{n:03}_{form.name}"
        shutil.copy(form, target)
        with zipfile.ZipFile(target, "a") as z:
            z.comment = f"copy {n}".encode()
        made.append(target)
    return made


@pytest.fixture
def distributed(window, driver, tmp_path, databases):
    plan = write_plan_workbook(SAMPLE_DIR, tmp_path / "計画マスタ.xlsx")
    driver.run(lambda: window.open_workspace(tmp_path / "ws", create=True, database=databases()))
    driver.run(lambda: window.import_plan(plan))
    driver.run(lambda: window.create_round(2023, dt.date(2024, 5, 17)))
    return driver.run(window.distribute).result.files


def test_the_event_loop_keeps_running_during_a_100_file_collection(window, driver, tmp_path, distributed,
                                                                   monkeypatch):
    hundred_returns(distributed, tmp_path / "回収")
    threads = set()
    real = tasks.collect

    def watched(*args, progress):
        threads.add(threading.current_thread())
        return real(*args, progress=progress)

    monkeypatch.setattr(tasks, "collect", watched)
    ticks_while_busy, fractions, statuses = [], [], set()
    timer = QTimer()
    timer.timeout.connect(lambda: window.runner.busy and ticks_while_busy.append(window.progress_bar.value()))
    window.runner.fraction.connect(fractions.append)
    window.runner.status.connect(statuses.add)
    timer.start(5)
    outcome = driver.run(lambda: window.collect([tmp_path / "回収"]), timeout=180_000)
    timer.stop()
    assert len(outcome.result.outcomes) == 100
    assert threads and threading.main_thread() not in threads
    assert len(fractions) >= 100 and fractions[-1] == pytest.approx(1.0)
    assert len(statuses) >= 50                          # the status line named the files as they were read
    assert len(ticks_while_busy) >= 20                  # the GUI thread kept turning while the worker read
    assert len(set(ticks_while_busy)) >= 5              # … and it showed the progress moving
    assert not window.runner.busy and window.actions_by_key["collect_dir"].isEnabled()


def test_cancel_stops_a_100_file_collection_between_files(window, driver, tmp_path, distributed):
    hundred_returns(distributed, tmp_path / "回収")
    seen = []
    window.runner.fraction.connect(lambda x: (seen.append(x), len(seen) == 5 and window.cancel_button.click()))
    assert window.collect([tmp_path / "回収"])
    driver.qtbot.waitUntil(lambda: not window.runner.busy, timeout=180_000)
    assert window.status_text.text() == "返送の取込を中止しました。"
    assert seen[-1] < 1.0
