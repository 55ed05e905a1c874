"""Model serving: `manage.py train` fits a model into MODEL_DIR; each server process loads it."""
