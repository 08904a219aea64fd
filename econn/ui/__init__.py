"""ipywidgets components for the Voilà dashboards (the notebooks only assemble them)."""

from __future__ import annotations

from .common import DASHBOARDS, MessagePanel, page_header

__all__ = ["DASHBOARDS", "MessagePanel", "page_header"]
