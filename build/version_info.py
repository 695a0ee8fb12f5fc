"""The Windows version resource (File properties → Details) generated from the one version constant,
dxdesk.__version__; build/dxdesk.spec writes it into the build folder and gives it to both executables."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMPANY = "dxdesk"
PRODUCT = "dxdesk"


def read_version(root: Path = ROOT) -> str:
    """From dxdesk/__init__.py, without importing the package (the spec runs before anything is installed)."""
    text = (root / "dxdesk" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'__version__ = "([^"]+)"', text).group(1)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """0.1.0 → (0, 1, 0, 0); 1.2.3rc1 → (1, 2, 3, 0): Windows wants four small integers."""
    numbers = [int(re.match(r"\d*", part).group() or 0) for part in version.split(".")[:4]]
    return tuple((numbers + [0, 0, 0, 0])[:4])


def version_text(version: str, exe_name: str, description: str) -> str:
    """The resource in PyInstaller's text form (VSVersionInfo(...)), read by EXE(version=…)."""
    v = version_tuple(version)
    strings = {"CompanyName": COMPANY, "FileDescription": description, "FileVersion": version,
               "InternalName": exe_name, "LegalCopyright": "dxdesk", "OriginalFilename": f"{exe_name}.exe",
               "ProductName": PRODUCT, "ProductVersion": version}
    table = ",\n          ".join(f"StringStruct({k!r}, {s!r})" for k, s in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={v}, prodvers={v}, mask=0x3f, flags=0x0, OS=0x40004, fileType=0x1, subtype=0x0,
                    date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('041104b0', [
          {table}])]),
    VarFileInfo([VarStruct('Translation', [0x0411, 1200])])
  ]
)
"""


def write_version_file(folder: Path, exe_name: str, description: str, version: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"version_{exe_name}.txt"
    path.write_text(version_text(version or read_version(), exe_name, description), encoding="utf-8")
    return path
