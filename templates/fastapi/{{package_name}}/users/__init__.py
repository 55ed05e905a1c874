"""User accounts, password hashing, access tokens and login throttling."""
