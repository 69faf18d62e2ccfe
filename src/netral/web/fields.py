"""Field types the JSON API shares across domains."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import PlainSerializer, WithJsonSchema

# Python's isoformat ("...+00:00"), as the API has always written instants, not pydantic's "Z"
IsoDateTime = Annotated[
    datetime,
    PlainSerializer(lambda v: v.isoformat(), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
