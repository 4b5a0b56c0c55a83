"""Casework pages: the register (list, export, print, form) and the case page with its
actions. Views are thin: they scope through services.cases_in_scope, validate with a form and
call a service."""
