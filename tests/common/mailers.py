"""Mail backends whose process dies (KeyboardInterrupt) before or after the server took it."""

from django.core.mail.backends.locmem import EmailBackend


class DyingBeforeDelivery(EmailBackend):
    def send_messages(self, messages):
        raise KeyboardInterrupt


class DyingAfterDelivery(EmailBackend):
    def send_messages(self, messages):
        super().send_messages(messages)
        raise KeyboardInterrupt
