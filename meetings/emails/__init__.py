"""Emails about business meetings."""
