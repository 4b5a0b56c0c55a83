"""Models of the congress app (see architecture.md); built by its own issue."""
