"""Runs one function in several threads at once, each with its own database connection."""

import threading

import pytest
from django.db import connection


def skip_on_shared_memory_database() -> None:
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("needs a file database or PostgreSQL: threads share an in-memory one")


def run_at_once(function, count: int) -> tuple[list, list]:
    """(results, errors) of `count` calls started together behind a barrier."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        from django.db import connection as own

        try:
            barrier.wait()
            results.append(function())
        except Exception as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
