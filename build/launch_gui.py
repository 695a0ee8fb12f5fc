"""Entry point of dxdesk.exe (the window): `dxdesk.exe [WORKSPACE]`."""
import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()   # a spawned reader process of the collection must not start a window
    from ui.app import main
    sys.exit(main(sys.argv))
