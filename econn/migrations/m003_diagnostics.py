"""Migration 3: tables and columns for diagnostics, merge proposals and the safety mode (issue #6)."""

VERSION = 3

# Add CREATE TABLE / ALTER TABLE statements here; keep it valid SQL (a no-op is fine until needed).
SQL = """
SELECT 1;
"""
