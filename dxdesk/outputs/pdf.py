"""PDF pages drawn with matplotlib (Agg, no GUI, no LibreOffice): tables, text and charts, Japanese text in
IPAexGothic shipped with the app (matplotlib-fontja), embedded as a TrueType subset (pdf.fonttype 42).

Why this route: it is pure Python and runs the same on an office PC, in CI and in the frozen build; the
charts are the same library; the font travels with the package, so no text falls back to tofu; and
`dxdesk/` stays free of PySide6. Pages are A4 (or A3) landscape; text is never smaller than 8 pt."""
from __future__ import annotations

import math
import sys
from pathlib import Path

from dxdesk.errors import DxdeskError
from dxdesk.outputs.numfmt import count, number

A4_LANDSCAPE = (11.69, 8.27)
A3_LANDSCAPE = (16.54, 11.69)
MARGIN = 0.45           # inches
MIN_PT = 8.0
FONT_NAME = "IPAexGothic"


def font_path() -> Path:
    """IPAexGothic from matplotlib-fontja (shipped with the app, also in the frozen build)."""
    candidates = []
    try:
        import matplotlib_fontja
        candidates.append(Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf")
    except ImportError:
        pass
    if getattr(sys, "frozen", False):  # the frozen build also ships it in fonts/ beside the executables
        candidates.append(Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "fonts" / "ipaexg.ttf")
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        raise DxdeskError("PDF 用の日本語フォント（IPAexゴシック, matplotlib-fontja）が見つかりません。"
                          "dxdesk を入れ直してください。")
    return path


def _setup():
    import matplotlib
    from matplotlib import font_manager
    font_manager.fontManager.addfont(str(font_path()))
    return matplotlib.rc_context({"font.family": FONT_NAME, "pdf.fonttype": 42, "axes.unicode_minus": False,
                                  "font.size": 9})


def text_width(text: str, size: float) -> float:
    """Width in inches: full-width characters are about one em, others about half."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.56 for ch in text) * size / 72


def wrap(text: str, width: float, size: float, max_lines: int = 12) -> list[str]:
    lines: list[str] = []
    for part in str(text).split("\n"):
        line = ""
        for ch in part:
            if line and text_width(line + ch, size) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def shown(value, kind: str = "text", negative: str = "△") -> str:
    """A cell as printed (numfmt conventions)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if kind == "percent":  # rates with one decimal place (92.0%)
        return ("" if value >= 0 else negative) + f"{abs(value) * 100:,.1f}%"
    if kind == "points":
        return number(value, 1, negative) + "pt"
    if kind in ("integer", "thousand_yen"):
        return ("" if value >= 0 else negative) + count(abs(value))
    return number(value, 3, negative)


class Document:
    """A PDF of landscape pages; `page()` starts one, tables continue on new pages with their header."""

    def __init__(self, path: Path, title: str, size=A4_LANDSCAPE) -> None:
        from matplotlib.backends.backend_pdf import PdfPages
        self.path, self.title, self.size = path, title, size
        self._rc = _setup()
        self._rc.__enter__()
        self.pdf = PdfPages(str(path), metadata={"Title": title, "Creator": "dxdesk"})
        self.fig = None
        self.pages = 0
        self.heading = ""

    # --- pages ---
    def page(self, heading: str, note: str = "", size=None) -> None:
        from matplotlib.figure import Figure
        self._flush()
        self.fig = Figure(figsize=size or self.size)
        w, h = self.fig.get_size_inches()
        self.ax = self.fig.add_axes([0, 0, 1, 1])
        self.ax.set_xlim(0, w)
        self.ax.set_ylim(h, 0)
        self.ax.axis("off")
        self.w, self.h = w, h
        self.pages += 1
        self.heading = heading
        self.ax.text(MARGIN, 0.3, self.title, fontsize=8, va="top", color="#404040")
        self.ax.text(w - MARGIN, h - 0.25, f"{self.pages}", fontsize=8, ha="right", va="bottom", color="#404040")
        self.ax.text(MARGIN, 0.5, heading, fontsize=15, va="top")
        self.y = 0.95
        if note:
            self.text(note, 9)

    def _flush(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            self.fig = None

    def close(self) -> None:
        try:
            self._flush()
            self.pdf.close()
        finally:
            self._rc.__exit__(None, None, None)

    @property
    def room(self) -> float:
        return self.h - 0.45 - self.y

    # --- content ---
    def text(self, text: str, size: float = 9, width: float | None = None, x: float = MARGIN,
             bold: bool = False) -> None:
        size = max(size, MIN_PT)
        for line in wrap(text, width or (self.w - 2 * MARGIN), size, 40):
            if self.room < size / 72 * 1.4:
                self.page(self.heading.removesuffix("（続き）") + "（続き）")
            self.ax.text(x, self.y, line, fontsize=size, va="top", color="#1F4E79" if bold else "black")
            self.y += size / 72 * 1.45

    def space(self, inches: float = 0.12) -> None:
        self.y += inches

    def table(self, headers: list[str], rows: list[list], widths: list[float], kinds: list[str] | None = None,
              size: float = 8.5, negative: str = "△", x: float = MARGIN, total_width: float | None = None,
              bold_rows: set[int] = frozenset(), max_lines: int = 6) -> None:
        """A ruled table; `widths` are relative; continues on a new page (header repeated) when full."""
        from matplotlib.patches import Rectangle
        size = max(size, MIN_PT)
        kinds = kinds or ["text"] * len(headers)
        full = total_width or (self.w - x - MARGIN)
        cols = [full * w / sum(widths) for w in widths]
        line_h = size / 72 * 1.35
        pad = 0.04

        def draw_row(values, header=False, bold=False):
            cells = [wrap(v, cw - 2 * pad, size, max_lines) for v, cw in zip(values, cols)]
            height = max(len(c) for c in cells) * line_h + 2 * pad
            if self.room < height:
                return None
            left = x
            for c, (lines, cw) in enumerate(zip(cells, cols)):
                face = "#1F4E79" if header else ("#DDEBF7" if bold else "white")
                # add_artist, not add_patch: a cell needs no data-limit update (the slow part of add_patch)
                self.ax.add_artist(Rectangle((left, self.y), cw, height, facecolor=face, edgecolor="#7F7F7F",
                                             linewidth=0.4))
                right = not header and kinds[c] != "text"
                if any(lines):
                    self.ax.text(left + (cw - pad if right else pad), self.y + pad, "\n".join(lines), fontsize=size,
                                 va="top", ha="right" if right else "left", linespacing=1.2,
                                 color="white" if header else "black")
                left += cw
            self.y += height
            return height

        def header():
            if draw_row(headers, header=True) is None:
                self.page(self.heading.removesuffix("（続き）") + "（続き）")
                draw_row(headers, header=True)

        header()
        for index, row in enumerate(rows):
            values = [shown(v, k, negative) for v, k in zip(row, kinds)]
            if draw_row(values, bold=index in bold_rows) is None:
                self.page(self.heading.removesuffix("（続き）") + "（続き）")
                header()
                draw_row(values, bold=index in bold_rows)
        self.y += 0.15

    def chart(self, draw, height: float, width: float | None = None, x: float = MARGIN) -> None:
        """An axes of `height` inches at the cursor; `draw(ax)` draws into it."""
        if self.room < height:
            self.page(self.heading.removesuffix("（続き）") + "（続き）")
        width = width or (self.w - 2 * MARGIN)
        ax = self.fig.add_axes([(x + 0.55) / self.w, 1 - (self.y + height - 0.35) / self.h, (width - 0.75) / self.w,
                                (height - 0.6) / self.h])
        draw(ax)
        for label in ax.get_xticklabels() + ax.get_yticklabels():
            label.set_fontsize(max(label.get_fontsize(), MIN_PT))
        self.y += height


# --- charts (the same pictures as the workbook's native charts) ---------------------------------------------

def grade_bars(ax, pillars: list[str], series: list[tuple[str, str, list[int]]]) -> None:
    left = [0] * len(pillars)
    for name, colour, values in series:
        ax.barh(pillars, values, left=left, color=colour, edgecolor="#808080", linewidth=0.4, label=name)
        left = [a + b for a, b in zip(left, values)]
    ax.invert_yaxis()
    ax.set_xlabel("指標数", fontsize=9)
    ax.set_title("評価の分布", fontsize=11)
    ax.legend(fontsize=8, loc="lower right", framealpha=0.9)


def achievement_bars(ax, labels: list[str], values: list[float], title: str) -> None:
    ax.bar(range(len(values)), [v * 100 for v in values], color="#2E75B6")
    ax.axhline(100, color="#C00000", linestyle="--", linewidth=1.2, label="目標（100%）")
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=8)
    ax.set_ylabel("達成率（%）", fontsize=9)
    ax.set_title(title, fontsize=11)
    top = max([v * 100 for v in values] + [120])
    ax.set_ylim(0, min(top * 1.05, 400))
    ax.legend(fontsize=8, loc="upper right")


def budget_bars(ax, labels: list[str], budget: list[float], settled: list[float]) -> None:
    n = range(len(labels))
    ax.bar([i - 0.2 for i in n], budget, width=0.4, color="#2E75B6", label="予算額")
    ax.bar([i + 0.2 for i in n], settled, width=0.4, color="#C55A11", label="決算額")
    ax.set_xticks(list(n), labels, fontsize=9)
    ax.set_ylabel("千円", fontsize=9)
    ax.set_title("予算額と決算額", fontsize=11)
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    ax.legend(fontsize=8)


def trend_lines(ax, categories: list[str], series: list[tuple[str, list[float | None]]], title: str) -> None:
    for name, values in series:
        points = [(i, v) for i, v in enumerate(values) if v is not None]
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", linewidth=1.6,
                    label=name[:24])
    ax.set_xticks(range(len(categories)), categories, fontsize=8)
    ax.set_title(title[:36], fontsize=10)
    ax.legend(fontsize=8, loc="best")


def pages_needed(rows: int, per_page: int) -> int:
    return max(1, math.ceil(rows / per_page))
