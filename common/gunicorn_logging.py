"""gunicorn's access log without link tokens (common/log_redaction.py): gunicorn.conf.py's
logger class."""

from gunicorn.glogging import Logger

from common.log_redaction import redact_tokens


class RedactingGunicornLogger(Logger):
    """gunicorn's access log with tokens replaced in every field (request line, path, Referer)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact_tokens(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
