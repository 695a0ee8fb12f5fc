"""The PySide6 window of dxdesk: views only; the work is done by dxdesk.jobs, off the GUI thread."""
