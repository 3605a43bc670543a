"""The structure holds: dependencies run one way, and permissions live in rules.py.

teams is the base; meetings builds on it; initiatives builds on both, and the data system
on all three;
the notifications and digest app sits on top. A lower module never imports a higher one:
it offers a registry (teams/registry.py) that the higher app fills in AppConfig.ready().
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)

# Each app, and the apps it may import. The project package sits on top of them all.
ALLOWED = {
    "teams": set(),
    "meetings": {"teams"},
    "initiatives": {"teams", "meetings"},
    # The data system's dashboards read the stages of implementation and the reviews due.
    "datasystem": {"teams", "meetings", "initiatives"},
    "digests": {"teams", "meetings", "initiatives", "datasystem"},
}
LAYERED = set(ALLOWED) | {"smt_portal"}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & LAYERED


def app_sources(app: str) -> list[Path]:
    return [p for p in (BASE / app).rglob("*.py") if "migrations" not in p.parts]


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_an_app_imports_only_the_apps_below_it(app):
    if not (BASE / app).is_dir():
        pytest.skip(f"{app} does not exist yet")
    wrong = []
    for path in app_sources(app):
        upward = imported_apps(path) - ALLOWED[app] - {app}
        if upward:
            wrong.append(f"{path.relative_to(BASE)} imports {', '.join(sorted(upward))}")
    assert not wrong, "\n".join(wrong)


def test_the_import_check_notices_an_upward_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from meetings.models import Meeting\nimport smt_portal.settings\n")
    assert imported_apps(sample) == {"meetings", "smt_portal"}


def test_templates_ask_the_rules_not_the_persons_standing():
    readers = [
        f"{path.relative_to(BASE)}:{number}"
        for path in (BASE / "templates").rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\bstanding\.", line)
    ]
    assert not readers, "Use {% may %} instead of reading standing: " + ", ".join(readers)


@pytest.mark.parametrize("module", ["teams/services.py", "teams/sponsor_rule.py"])
def test_services_ask_the_rules_instead_of_deriving_from_standing(module):
    source = (BASE / module).read_text()
    assert not re.search(r"\bstanding\(", source), f"{module} derives a permission from standing"
    assert "require(" in source
