"""Observability, each part off until its setting is set: metrics, traces, error reports, JSON logs.

Nothing of prometheus_client, opentelemetry or sentry_sdk is imported unless its setting is set.
"""
