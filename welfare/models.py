"""Models of the welfare app (see architecture.md); built by its own issue."""
