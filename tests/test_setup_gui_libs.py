"""After the Quick start (`scripts/setup.sh`), `dxdesk gui` can open a real window on a Linux desktop: every
system library Qt's xcb platform plugin links against is installed (issue 8 item 19: libxcb-cursor0 …)."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("ldd"),
                                reason="the xcb plugin is the Linux desktop's")


def test_qt_xcb_plugin_finds_all_its_libraries():
    import PySide6
    qt = Path(PySide6.__file__).parent / "Qt"
    plugin = qt / "plugins" / "platforms" / "libqxcb.so"
    assert plugin.exists()
    missing = set()
    for library in [plugin, *sorted((qt / "lib").glob("libQt6XcbQpa.so*"))[:1]]:
        out = subprocess.run(["ldd", str(library)], capture_output=True, text=True).stdout
        missing |= {line.split()[0] for line in out.splitlines() if "not found" in line}
    assert not missing, f"scripts/setup.sh must install the packages providing {sorted(missing)}"
