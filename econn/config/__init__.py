"""Connector settings: the three steps of the e-connecteur wizard, validated and stored."""
