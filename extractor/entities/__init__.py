"""Persons, places and organisations in a bulletin's clean text.

    from extractor.entities import find_entities, distinct_entities
    entities = find_entities(extraction.text, issue_date=..., page_of=text_map.page_of)

A spaCy pipeline runs over each paragraph, one module per stage:

- ``model.py``: loads the pipeline: ``jieba_word_features`` (ner_features.py, the jieba word and
  POS of every character) and the trained character ``ner`` (``ner_model/``, decoded by
  greedy_ner.py, its matrix products in numpy's OpenBLAS), then the rule components below;
- ``places.py`` (``bulletin_places``): gazetteer names (坪上镇), townships written with another
  ending (野钟乡 for 野钟苗族彝族布依族乡), county short forms of the document's city (新邵 → 新邵县);
- ``organisations.py`` (``bulletin_organisations``): government bodies with their level or place
  (市人社局, 县政府办), institutions by their ending (洪溪中学, …有限公司), task forces;
- ``persons.py`` (``bulletin_persons``): a name after a title (副市长蒋伟), names in lists;
- ``central_bodies.py`` (national bodies by name: 水利部, 国家发改委), ``abbreviations.py`` (中 and 美
  of 中美关系), ``foreign_names.py`` (萨尔瓦多·阿卡多, 巴达赫尚省): rules the three stages above call;
- ``merger.py`` (``bulletin_entity_merger``): rule spans and model spans into one list;
- ``linking.py``: over the whole document, names found once are found everywhere, surname+title
  references are linked to the full name (王市长 → 王永红), places get their code from the area
  around them and short forms are expanded (市人社局 → 邵阳市人力资源和社会保障局);
- ``tagging.py``: ``bulletin tag-entities``, one sentence a line;
- ``area.py`` (the city and county a bulletin is about), ``wordlists.py`` (``data/*.jsonl``),
  ``spans.py`` (helpers every stage shares).
"""

from extractor.entities.area import Area, document_area
from extractor.entities.linking import distinct_entities, expand_organisation, find_entities
from extractor.entities.merger import is_transliterated, model_span_fits
from extractor.entities.model import MODEL_DIR, entity_pipeline, load_jieba_user_dictionary
from extractor.entities.places import resolve_place
from extractor.entities.tagging import tag_lines, tag_stream

__all__ = ["MODEL_DIR", "Area", "distinct_entities", "document_area", "entity_pipeline", "expand_organisation",
           "find_entities", "is_transliterated", "load_jieba_user_dictionary", "model_span_fits", "resolve_place",
           "tag_lines", "tag_stream"]
