"""Runtime hook: portable mode. A `dxdesk.ini` beside the executable means: keep the window's settings in that
file and the logs in logs/ beside it (DXDESK_HOME, read by ui/prefs.py). Without it, settings and logs go to
the user's folders (platformdirs) and nothing is ever written beside the executable."""
import os
import sys
from pathlib import Path

if getattr(sys, "frozen", False):
    _here = Path(sys.executable).resolve().parent
    if (_here / "dxdesk.ini").is_file():
        os.environ.setdefault("DXDESK_HOME", str(_here))
