"""Persistence: engine, ORM models and migrations."""
