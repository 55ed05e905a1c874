"""Articles that users write: the worked example of a feature."""
