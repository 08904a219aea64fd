"""Migration 2: tables and columns for reception analysis and integration (issue #5)."""

VERSION = 2

# Add CREATE TABLE / ALTER TABLE statements here; keep it valid SQL (a no-op is fine until needed).
SQL = """
SELECT 1;
"""
