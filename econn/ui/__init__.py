"""ipywidgets components for the Voilà dashboards (the notebooks only assemble them)."""

from __future__ import annotations

from .common import DASHBOARDS, MessagePanel, page_header, wait_for_page_request

__all__ = ["DASHBOARDS", "MessagePanel", "page_header", "wait_for_page_request"]
