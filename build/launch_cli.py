"""Entry point of dxdesk-cli.exe (the command line, for scripts)."""
import sys

from dxdesk.cli import main

sys.exit(main())
