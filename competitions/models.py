"""Models of the competitions app (see architecture.md); built by its own issue."""
