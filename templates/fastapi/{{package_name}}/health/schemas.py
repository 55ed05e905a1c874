from typing import Literal

from pydantic import BaseModel, ConfigDict


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    # Optional parts of the service add a field of their own (their readiness checks).
    model_config = ConfigDict(extra="allow")

    status: Literal["ok", "unavailable"]
    database: Literal["ok", "error"]
