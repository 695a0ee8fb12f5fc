"""One headless LibreOffice for the drivers in tests/lo (fill_with_calc.py, type_with_calc.py): start it on a
private profile and pipe, connect through UNO, and stop it again. Runs under the system python3 (Debian's
python3-uno), imported by the drivers from their own folder."""
import contextlib
import os
import subprocess
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.5)
    raise RuntimeError("LibreOffice did not start")


@contextlib.contextmanager
def office(profile):
    """(ctx, desktop) of a LibreOffice started on the profile folder; terminated (or killed) on leaving."""
    pipe = f"dxdesk_{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                                "--invisible", "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ctx = connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        yield ctx, desktop
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge closes as LibreOffice exits
    finally:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def load(desktop, path):
    """A document opened hidden, as a section opens the form."""
    return desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0,
                                        (prop("Hidden", True),))
