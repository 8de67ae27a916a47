"""The domain package is pure: no project layer above it, no I/O or UI library."""

import ast
from pathlib import Path

import tuiconsole.domain

DOMAIN = Path(tuiconsole.domain.__file__).parent
ALLOWED_THIRD_PARTY = {"argon2", "zxcvbn"}
FORBIDDEN_STDLIB = {"sqlite3", "socket", "smtplib", "subprocess", "os", "pathlib", "io", "shutil"}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_domain_imports_only_itself_stdlib_argon2_and_zxcvbn() -> None:
    import sys

    files = sorted(DOMAIN.glob("*.py"))
    assert files
    for path in files:
        for name in imported_modules(path):
            top = name.split(".")[0]
            if top == "tuiconsole":
                assert name.startswith("tuiconsole.domain"), (path.name, name)
            else:
                assert top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY, (
                    path.name,
                    name,
                )
                assert top not in FORBIDDEN_STDLIB, (path.name, name)
