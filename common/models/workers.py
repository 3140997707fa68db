"""The task workers' heartbeats: which worker is alive, so a dead one's tasks can be taken over."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskWorker(models.Model):
    """One running `task_worker` process; a thread of it writes `seen_at` every few seconds.

    A task left RUNNING by a worker whose heartbeat has stopped (killed, machine lost) is put
    back in the queue by the workers still alive (common/worker.py).
    """

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"))
    seen_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
