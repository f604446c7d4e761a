"""Helpers shared by the pytest suites: real processes, ports, readiness."""
