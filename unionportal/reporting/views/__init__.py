"""The reporting pages: the dashboard and statistics, report periods, the report a union fills
and its review, notifications, KPI targets and the Excel summary. urls.py names them through
their modules.
"""
