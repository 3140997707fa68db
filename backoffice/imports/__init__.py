"""Imports from CSV or XLSX into the back office (django-import-export), one module per list."""
