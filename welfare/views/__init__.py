"""Welfare pages, one module a subject: rule tables, relief applications, hardship files,
visits and campaigns (with their exports). Views are thin: they scope, validate with a form and
call a service. urls.py names them through their modules.
"""
