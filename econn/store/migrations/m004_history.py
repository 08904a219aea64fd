"""Migration 4: connectors and history (issue #7).

* ``connectors.site_url`` and ``connectors.ws_key``: the wizard's « Adresse du site internet * » and
  « Clé Prestashop * », required in webservice mode.
* No new index on ``history``: measured on 10 million rows (benchmarks/history_speed.py), the dashboard's
  filtered query (one connector, one month, a search term, 500 rows) takes ~175 ms median through the API,
  as a sequential scan whose date filter is pushed down to DuckDB's zone maps (history is appended in time
  order); the plan does not use the ART index ``history_connector_at`` of migration 1, and re-ordering the
  rows by (connector, occurred_at) did not help.
"""

VERSION = 4

SQL = """
ALTER TABLE connectors ADD COLUMN site_url VARCHAR;
ALTER TABLE connectors ADD COLUMN ws_key VARCHAR;
"""
