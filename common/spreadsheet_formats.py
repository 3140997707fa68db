"""tablib's file formats registered to load on first use, so start-up needs no spreadsheet library.

django-import-export asks tablib, when its admin is imported, which formats are available, and
tablib answers by importing each format's module: openpyxl (which imports numpy), odfpy, PyYAML…
— a quarter of every `manage.py` command's start-up (issue 20). Each format tablib knows by its
path stands in here for the real one until something uses it (an import page, a preview
download), when its module is imported as before.

It must happen before anything loads `import_export.admin` (the admin modules, discovered when
the URLs load; forum/imports.py): INSTALLED_APPS names django-import-export by
`ImportExportConfig` below, whose module Django imports while it reads the app list, before any
app is ready.
"""

from django.apps import AppConfig
from tablib.formats import load_format_class, registry


class FormatOnFirstUse:
    """Stands for a tablib format class; imports it at the first attribute asked for."""

    def __init__(self, path: str):
        self.path = path
        self._format = None

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        if self._format is None:
            self._format = load_format_class(self.path)
        return getattr(self._format, name)

    def __repr__(self) -> str:
        return f"<tablib format {self.path}, loaded on first use>"


def defer_format_imports() -> None:
    for key, format_or_path in list(registry._formats.items()):
        if isinstance(format_or_path, str):
            registry._formats[key] = FormatOnFirstUse(format_or_path)


defer_format_imports()


class ImportExportConfig(AppConfig):
    """django-import-export itself (it has no configuration of its own)."""

    name = "import_export"
