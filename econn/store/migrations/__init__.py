"""Schema migrations, one module each, applied in VERSION order (see econn.store.schema)."""
