"""Migration 3: tables and columns for diagnostics, merge proposals and the safety mode (issue #6)."""

VERSION = 3

# Safety mode (econn.diagnostics.safety): a lift is a one-shot, justified permission for one operation
# blocked by SEC-SEUIL; it is consumed by the run it allowed. Thresholds are settings (securite.*).
SQL = """
CREATE SEQUENCE safety_lift_id;
CREATE TABLE safety_lifts (
    id BIGINT PRIMARY KEY DEFAULT nextval('safety_lift_id'),
    operation VARCHAR NOT NULL,
    lifted_by VARCHAR NOT NULL,
    justification VARCHAR NOT NULL,
    lifted_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    expires_at TIMESTAMP NOT NULL,
    consumed_at TIMESTAMP,
    consumed_by VARCHAR
);
"""
