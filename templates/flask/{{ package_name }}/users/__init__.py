"""Accounts, passwords and access tokens."""
