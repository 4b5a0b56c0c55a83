"""Quarterly reports and statistics snapshots; built by the reporting issue."""
