"""The dashboard's to-do panel. Each app adds a provider here as its workflows arrive."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TodoItem:
    label: str
    count: int
    url: str


# Providers take the user and return TodoItems; later issues register theirs.
PROVIDERS: list[Callable[..., list[TodoItem]]] = []


def todo_items(user) -> list[TodoItem]:
    items: list[TodoItem] = []
    for provider in PROVIDERS:
        items.extend(item for item in provider(user) if item.count)
    return items
