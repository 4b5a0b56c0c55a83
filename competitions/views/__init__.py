"""Pages of the competitions app, one module a subject: competitions and their judging,
entries, honours, nominations and innovation studios. Thin views over competitions.services;
urls.py names them through their modules.
"""
