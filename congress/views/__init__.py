"""Pages of the workers' congress: rule table, sessions and delegates, motions, the register,
reviewed items and suggestions. Views are thin: services write, access scopes.

One module per subject; congress/urls.py imports them."""
