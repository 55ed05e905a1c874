"""The model this process serves: loaded once, on the first use or when a worker starts.

gunicorn.conf.py loads it in each worker right after the fork (post_fork), so a new
`make train` is served after a graceful restart (`kill -HUP`), and the master never
holds a model; any other server loads it on the first request that needs it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings

from .store import LoadedModel, ModelMissingError, load

logger = logging.getLogger(__name__)


class ServedModel:
    """The process's one loaded model, or None when MODEL_DIR holds no usable artifact."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded = False
        self._model: LoadedModel | None = None

    def get(self) -> LoadedModel | None:
        if not self._loaded:
            self.load(settings.MODEL_DIR)
        return self._model

    def load(self, model_dir: Path) -> LoadedModel | None:
        with self._lock:
            try:
                self._model = load(model_dir)
            except ModelMissingError as error:
                logger.warning("model serving: %s", error)
                self._model = None
            self._loaded = True
        return self._model

    def forget(self) -> None:
        """Drop the loaded model: the next get() loads MODEL_DIR's current one again."""
        with self._lock:
            self._loaded = False
            self._model = None


served_model = ServedModel()


def load_model() -> None:
    served_model.load(settings.MODEL_DIR)


def readiness() -> tuple[str, str, bool]:
    return ("model", "missing", False) if served_model.get() is None else ("model", "ok", True)


def predict(model: LoadedModel, rows: Sequence[Sequence[float]]) -> list[object]:
    """One prediction per row, in one call of the estimator (one batch, one NumPy array)."""
    import numpy as np

    predictions = model.estimator.predict(np.array(rows, dtype=np.float64))
    result: list[object] = predictions.tolist()
    return result
