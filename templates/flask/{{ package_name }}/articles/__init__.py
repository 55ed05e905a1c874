"""The worked example feature: articles written by users."""
