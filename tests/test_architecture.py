"""The house holds: the floors of docs/architecture.md, no import circle, no long module.

Each check is also run on a small tree of its own with the fault put in, so a check that has
gone blind fails too.
"""

from __future__ import annotations

from pathlib import Path

from tests.architecture import (
    ROOT,
    import_cycles,
    import_graph,
    layer_breaches,
    long_modules,
    project_modules,
)


def test_the_checker_reads_the_whole_project():
    modules = project_modules()
    assert len(modules) > 100
    assert "members.access" in modules
    assert "unionportal.core.models" in modules
    assert not any(".migrations" in name for name in modules)


def test_no_app_imports_a_floor_above_it_or_beside_it():
    breaches = layer_breaches(import_graph())
    assert not breaches, "imports against the floors:\n" + "\n".join(map(str, breaches))


def test_no_import_circle_in_the_project():
    cycles = import_cycles(import_graph())
    assert not cycles, "import circles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_no_module_over_600_lines_and_no_test_module_over_800():
    assert not long_modules(), "split these by subject:\n" + "\n".join(long_modules())


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_an_upward_import_inside_a_function_is_a_breach(tmp_path):
    root = _tree(
        tmp_path,
        {
            "members/__init__.py": "",
            "members/todo.py": "def f():\n    from unionportal.reporting import dashboard\n",
            "unionportal/__init__.py": "",
            "unionportal/reporting/__init__.py": "",
            "unionportal/reporting/dashboard.py": "from members import todo\n",
            "welfare/__init__.py": "",
            "welfare/views.py": "from congress.models import Motion\n",
            "congress/__init__.py": "",
            "congress/models.py": "Motion = 1\n",
        },
    )
    graph = import_graph(root, ("unionportal", "members", "welfare", "congress"))
    assert [str(b).split(" ")[0] for b in layer_breaches(graph)] == [
        "members.todo",  # up to reporting, from inside a function
        "welfare.views",  # beside it, to congress
    ]


def test_a_circle_through_a_function_level_import_is_found(tmp_path):
    root = _tree(
        tmp_path,
        {
            "members/__init__.py": "",
            "members/access.py": "from .models import Organisation\n",
            "members/models/__init__.py": "from .organisations import Organisation\n",
            "members/models/organisations.py": (
                "class Organisation:\n    def in_scope(self):\n        from ..access import scope\n"
            ),
            "members/tasks.py": "from . import services\n",
            "members/services/__init__.py": "from .dues import pay\n",
            "members/services/dues.py": "def pay():\n    from ..tasks import rollup\n",
        },
    )
    cycles = import_cycles(import_graph(root, ("members",)))
    assert cycles == [
        ["members.access", "members.models", "members.models.organisations"],
        ["members.services", "members.services.dues", "members.tasks"],
    ]


def test_a_long_module_is_reported_but_migrations_are_not(tmp_path):
    root = _tree(
        tmp_path,
        {
            "members/views.py": "x = 1\n" * 601,
            "members/ok.py": "x = 1\n" * 600,
            "members/migrations/0001_initial.py": "x = 1\n" * 5000,
            "tests/test_big.py": "x = 1\n" * 801,
            "tests/test_fine.py": "x = 1\n" * 700,
        },
    )
    assert long_modules(root) == ["members/views.py (601)", "tests/test_big.py (801)"]


def test_the_project_root_is_this_checkout():
    assert (ROOT / "manage.py").exists()
