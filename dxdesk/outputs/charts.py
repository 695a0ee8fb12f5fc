"""Native Excel charts (XlsxWriter), each drawn from a block of cells the workbook also shows as a table."""
from __future__ import annotations

from dxdesk.outputs.xlsx_out import FONT

COLOURS = ("#2E75B6", "#C55A11", "#548235", "#7030A0", "#BF9000", "#2F5597", "#A5A5A5", "#843C0C")


def _style(chart, title: str, x_name: str = "", y_name: str = "", y_percent: bool = False) -> None:
    chart.set_title({"name": title, "name_font": {"name": FONT, "size": 12}})
    chart.set_x_axis({"name": x_name, "num_font": {"name": FONT, "size": 9}, "name_font": {"name": FONT}})
    y = {"name": y_name, "num_font": {"name": FONT, "size": 9}, "name_font": {"name": FONT},
         "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
    if y_percent:
        y["num_format"] = "0%"
    chart.set_y_axis(y)
    chart.set_legend({"position": "bottom", "font": {"name": FONT, "size": 9}})


def grade_distribution(wb, sheet: str, first: int, last: int, columns: list[tuple[str, str]], header_row: int):
    """Stacked bars: one bar per top level, one series per grade (colour of the grade)."""
    chart = wb.add_chart({"type": "bar", "subtype": "stacked"})
    for i, (_grade, colour) in enumerate(columns, start=1):
        chart.add_series({"name": [sheet, header_row, i], "categories": [sheet, first, 0, last, 0],
                          "values": [sheet, first, i, last, i],
                          "fill": {"color": colour}, "border": {"color": "#808080"}, "gap": 60})
    _style(chart, "評価の分布", "指標数")
    chart.set_y_axis({"reverse": True, "num_font": {"name": FONT, "size": 9}})
    chart.set_size({"width": 900, "height": 120 + 45 * (last - first + 1)})
    return chart


def achievement(wb, sheet: str, first: int, last: int, category_col: int, value_col: int, line_col: int,
                title: str):
    """Columns: 達成率 per KPI, with the 100 % line (a line series over a column of 1.0)."""
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": [sheet, first - 1, value_col], "categories": [sheet, first, category_col, last, category_col],
                      "values": [sheet, first, value_col, last, value_col], "fill": {"color": COLOURS[0]},
                      "gap": 50})
    line = wb.add_chart({"type": "line"})
    line.add_series({"name": [sheet, first - 1, line_col], "categories": [sheet, first, category_col, last, category_col],
                     "values": [sheet, first, line_col, last, line_col],
                     "line": {"color": "#C00000", "width": 1.5, "dash_type": "dash"}, "marker": {"type": "none"}})
    chart.combine(line)
    _style(chart, title, "指標", "達成率", y_percent=True)
    chart.set_size({"width": 960, "height": 300})
    chart.set_x_axis({"num_font": {"name": FONT, "size": 8, "rotation": -90}})
    return chart


def trend(wb, sheet: str, header_row: int, first_col: int, last_col: int, rows: list[int], title: str):
    """Lines: baseline → each year's actual → target, one series per KPI of a measure."""
    chart = wb.add_chart({"type": "line"})
    for i, row in enumerate(rows):
        chart.add_series({"name": [sheet, row, 1], "categories": [sheet, header_row, first_col, header_row, last_col],
                          "values": [sheet, row, first_col, row, last_col],
                          "line": {"color": COLOURS[i % len(COLOURS)], "width": 2},
                          "marker": {"type": "circle", "size": 5,
                                     "fill": {"color": COLOURS[i % len(COLOURS)]}},
                          "data_labels": {"value": False}})
    chart.show_blanks_as("span")
    _style(chart, title)
    chart.set_size({"width": 470, "height": 260})
    return chart


def budget_vs_settlement(wb, sheet: str, first: int, last: int, category_col: int, budget_col: int,
                         settlement_col: int, header_row: int):
    """Clustered columns: 予算額 and 決算額 per top level (千円)."""
    chart = wb.add_chart({"type": "column"})
    for i, col in enumerate((budget_col, settlement_col)):
        chart.add_series({"name": [sheet, header_row, col], "categories": [sheet, first, category_col, last, category_col],
                          "values": [sheet, first, col, last, col], "fill": {"color": COLOURS[i]}, "gap": 80})
    _style(chart, "予算額と決算額", "", "千円")
    chart.set_size({"width": 640, "height": 300})
    return chart
