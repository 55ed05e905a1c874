"""Mail rendered from templates, sent after the transaction commits, off the request's thread."""

from .outbox import send_after_commit, wait_until_sent

__all__ = ["send_after_commit", "wait_until_sent"]
