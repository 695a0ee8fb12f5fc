"""Runtime hook: portable mode — settings and logs live beside the executable, not in the profile."""
import os
import sys
from pathlib import Path

if getattr(sys, "frozen", False):
    os.environ.setdefault("DXDESK_HOME", str(Path(sys.executable).parent / "dxdesk-data"))
