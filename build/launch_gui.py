"""Entry point of dxdesk.exe (the window)."""
import sys

from ui.app import run

sys.exit(run(sys.argv[1] if len(sys.argv) > 1 else None))
