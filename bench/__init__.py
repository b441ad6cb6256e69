"""Benchmarks: speed and memory targets are measured here, never asserted in tests."""
