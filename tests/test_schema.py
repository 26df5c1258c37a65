"""The committed JSON Schema of an Extraction is the one the models generate."""

import json

from models.schema import SCHEMA_PATH, extraction_schema, schema_text
from tests.conftest import UPDATE_GOLDEN


def test_committed_schema_matches_the_models():
    if UPDATE_GOLDEN:
        SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    committed = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert committed == extraction_schema(), "models changed: run BULLETIN_UPDATE_GOLDEN=1 pytest tests/test_schema.py"


def test_schema_names_the_top_level_keys():
    props = extraction_schema()["properties"]
    for key in ("document", "blocks", "tables", "figures", "dates", "entities"):
        assert key in props
