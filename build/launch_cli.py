"""Entry point of dxdesk-cli.exe (the command line, for scripts)."""
import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()   # spawned reader processes run their task, not the command line
    from dxdesk.cli import main
    sys.exit(main())
