"""docs/architecture.md's "where does it live" table names what exists.

Every file the table names is there, and every name it gives in parentheses after a file — a
function, a class, a constant, `Class.method` (a bare name after it is another of that class's) —
is defined in that file, so a newcomer following the table finds the rule where it says.
"""

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("common", "forum", "registrations", "meetings", "backoffice")


def table() -> str:
    text = (ROOT / "docs" / "architecture.md").read_text()
    start = text.index("## Where does it live")
    return text[start : text.index("\n## ", start + 1)]


def named_paths() -> list[str]:
    return sorted(set(re.findall(r"`([\w./{},<>-]+(?:\.py|\.txt|/))`", table())))


def named_objects() -> list[tuple[str, str]]:
    """(file, name) for each name given in parentheses after a file, or as "`NAME` in `file`"."""
    pairs = []
    for path, inside in re.findall(r"`([\w/]+\.py)` \(([^)]*)\)", table()):
        owner = ""
        for name in re.findall(r"`([A-Za-z_][\w.]*)`", inside):
            if "." in name:
                owner = name.split(".")[0]
            elif owner and not name[0].isupper():
                name = f"{owner}.{name}"
            pairs.append((path, name))
    pairs += [(path, name) for name, path in re.findall(r"`(\w+)` in `([\w/]+\.py)`", table())]
    return pairs


def expand(path: str) -> list[Path]:
    """`{en,ko}` and `<kind>` patterns; an app's own folder (`emails/`) in any app."""
    alternatives = re.search(r"\{([^}]*)\}", path)
    if alternatives:
        return [
            found
            for option in alternatives.group(1).split(",")
            for found in expand(path.replace(alternatives.group(0), option))
        ]
    if "<" in path:
        return sorted(ROOT.glob(re.sub(r"<[^>]*>", "*", path)))
    if path.count("/") == 1 and path.endswith("/") and path.split("/")[0] not in APPS:
        return [ROOT / app / path for app in APPS if (ROOT / app / path).exists()]
    return [ROOT / path] if (ROOT / path).exists() else []


def test_the_table_names_files_and_names():
    assert len(named_paths()) >= 20
    assert len(named_objects()) >= 20


@pytest.mark.parametrize("path", named_paths())
def test_each_file_the_table_names_exists(path):
    assert expand(path), f"docs/architecture.md names {path}, which doesn't exist"


@pytest.mark.parametrize(
    ("path", "name"), named_objects(), ids=[f"{p}:{n}" for p, n in named_objects()]
)
def test_each_name_the_table_gives_is_defined_in_its_file(path, name):
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    found = module
    for part in name.split("."):
        assert hasattr(found, part), f"{path} has no {name}"
        found = getattr(found, part)
    defined_in = getattr(found, "__module__", module.__name__)
    if isinstance(found, type) or callable(found):
        assert defined_in == module.__name__, f"{name} is defined in {defined_in}, not {path}"


def test_the_staff_roles_the_table_names_are_declared_in_backoffice_roles():
    from backoffice.roles import ROLES

    row = next(line for line in table().splitlines() if "`backoffice/roles.py`" in line)
    named = re.search(r"\(([^)]*)\)", row.split("`backoffice/roles.py`")[1]).group(1)
    assert sorted(named.split(", ")) == sorted(ROLES)
