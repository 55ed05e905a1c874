"""Background jobs on Celery: account mail (send_email) and the periodic author_stats refresh."""
