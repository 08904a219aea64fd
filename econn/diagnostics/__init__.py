"""ERO diagnostics: data functions that return findings (and clusters for duplicates)."""
