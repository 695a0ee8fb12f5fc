"""The window's pages, one per step of the round: 計画 → 配布 → 回収 → 点検 → 集約・出力, and the 作業記録."""
from ui.pages.collect import CollectPage
from ui.pages.common import LogPage, make_table
from ui.pages.distribute import DistributePage
from ui.pages.findings import FindingsPage
from ui.pages.inquiries import InquiriesPage
from ui.pages.outputs import OutputsPage
from ui.pages.plan import PlanPage

__all__ = ["CollectPage", "DistributePage", "FindingsPage", "InquiriesPage", "LogPage", "OutputsPage", "PlanPage", "make_table"]
