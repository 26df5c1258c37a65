"""The JSON Schema of an Extraction, generated from the models (committed as extraction.schema.json)."""

from __future__ import annotations

import json
from pathlib import Path

from models import Extraction

SCHEMA_PATH = Path(__file__).with_name("extraction.schema.json")


def extraction_schema() -> dict:
    schema = Extraction.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_text() -> str:
    return json.dumps(extraction_schema(), ensure_ascii=False, indent=2) + "\n"
