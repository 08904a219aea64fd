"""Migration 4: tables and columns for connectors, sends and history (issue #7)."""

VERSION = 4

# Add CREATE TABLE / ALTER TABLE statements here; keep it valid SQL (a no-op is fine until needed).
SQL = """
SELECT 1;
"""
