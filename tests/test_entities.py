"""Persons, places and organisations (extractor/entities/): the rules one by one, then sample (a)
against its golden file (tests/golden/bulletin-a.entities.json, rewritten with BULLETIN_UPDATE_GOLDEN=1)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from extractor.entities import distinct_entities, find_entities, tag_lines, tag_stream
from tests.conftest import UPDATE_GOLDEN

GOLDEN = Path(__file__).parent / "golden" / "bulletin-a.entities.json"


def by_text(entities, type_=None):
    return {e.text: e for e in entities if type_ is None or e.type.value == type_}


# --- persons -----------------------------------------------------------------------------------


def test_a_name_after_a_chain_of_titles_keeps_the_titles():
    found = by_text(find_entities("5月16日，市委常委、常务副市长王永红率队赴学校调研。"), "PERSON")
    assert set(found) == {"王永红"}
    assert found["王永红"].title == "市委常委、常务副市长"


def test_a_name_ends_before_the_verb_that_follows_it():
    found = by_text(find_entities("副市长蒋伟参加。县委副书记雷兴平陪同。"), "PERSON")
    assert set(found) == {"蒋伟", "雷兴平"}
    assert found["雷兴平"].title == "县委副书记"


def test_names_listed_after_a_title_share_it():
    found = by_text(find_entities("县领导孔德余、王蕾、谢涛出席会议。"), "PERSON")
    assert set(found) == {"孔德余", "王蕾", "谢涛"}
    assert all(e.title == "县领导" for e in found.values())


def test_a_name_found_once_is_found_again_without_its_title():
    entities = find_entities("副市长王永红率队调研。\n王永红强调，要加快建设进度。")
    mentions = [e for e in entities if e.text == "王永红"]
    assert len(mentions) == 2 and all(e.title == "副市长" for e in mentions)


def test_surname_and_title_are_linked_to_the_full_name():
    entities = find_entities("市人大常委会副主任朱明带队督查。朱副主任指出，要压实责任。")
    ref = next(e for e in entities if e.text == "朱副主任")
    assert ref.type.value == "PERSON" and ref.normalized == "朱明"


def test_a_surname_and_title_without_a_full_name_is_not_a_person():
    assert not [e for e in find_entities("王市长指出，要压实责任。") if e.text == "王市长"]


def test_words_after_a_title_that_are_no_name():
    assert not by_text(find_entities("在市委、市政府的领导和支持下，各项工程扎实推进。"), "PERSON")


# --- places ------------------------------------------------------------------------------------


def test_a_township_after_its_county_gets_that_county_s_code():
    found = by_text(find_entities("新邵县坪上镇洪溪中学"), "PLACE")
    place = found["坪上镇"]
    assert place.code == "430522106"
    assert place.parents == ["新邵县", "邵阳市", "湖南省"]


def test_an_ambiguous_township_is_resolved_by_the_given_county():
    # 坪上镇 is a township of five counties; alone it has no code, with the county it has one.
    alone = by_text(find_entities("深入坪上镇开展调研。"), "PLACE")["坪上镇"]
    assert alone.code is None
    given = by_text(find_entities("深入坪上镇开展调研。", county="新邵县"), "PLACE")["坪上镇"]
    assert given.code == "430522106"


def test_an_ambiguous_township_is_resolved_by_the_places_the_document_names():
    text = "新邵县召开民生实事推进会。\n邵阳市各县市区加快进度。\n深入坪上镇开展调研。"
    assert by_text(find_entities(text), "PLACE")["坪上镇"].code == "430522106"


def test_a_township_written_with_another_ending():
    # The gazetteer has 野钟苗族彝族布依族乡; bulletins write 野钟乡.
    found = by_text(find_entities("六盘水市水城区野钟乡中心幼儿园进行主体施工。"), "PLACE")
    assert found["野钟乡"].code == "520204207"


def test_a_county_short_form_within_the_document_s_city():
    found = by_text(find_entities("如新邵中药材种植、洞口古楼龙凤茶叶等。", city="邵阳市"), "PLACE")
    assert found["新邵"].normalized == "新邵县" and found["新邵"].code == "430522"
    assert found["洞口"].normalized == "洞口县"
    # 邵阳 is the city's own short form: not read as 邵阳县.
    assert "邵阳" not in by_text(find_entities("打造就业帮扶“邵阳样本”。", city="邵阳市"))


# --- organisations -----------------------------------------------------------------------------


def test_short_forms_expand_with_the_known_city():
    found = by_text(find_entities("市人社局：坚持“三向发力”。市委办公室、市人民政府督查室、市纪委监委。",
                                  city="邵阳市"), "ORG")
    assert found["市人社局"].normalized == "邵阳市人力资源和社会保障局"
    assert found["市委办公室"].normalized == "中共邵阳市委办公室"
    assert found["市人民政府督查室"].normalized == "邵阳市人民政府督查室"
    assert "市纪委监委" in found


def test_county_bodies_expand_with_the_known_county():
    found = by_text(find_entities("县政府办、县发改局、县乡村振兴局、财政局负责人参加。", county="新安县"), "ORG")
    assert found["县政府办"].normalized == "新安县人民政府办公室"
    assert found["县发改局"].normalized == "新安县发展和改革局"
    assert {"县乡村振兴局", "财政局"} <= set(found)


def test_a_body_with_its_places_is_one_organisation():
    found = by_text(find_entities("来源:重庆市万州区发展和改革委员会"), "ORG")
    assert set(found) == {"重庆市万州区发展和改革委员会"}


def test_a_head_inside_a_title_is_no_organisation():
    assert not by_text(find_entities("市委常委、常务副市长王永红率队。"), "ORG")


def test_schools_drop_the_county_and_township_before_them():
    found = by_text(find_entities("王永红在大祥区邵阳市楚怡中职学校改扩建项目、新邵县坪上镇洪溪中学调研。"), "ORG")
    assert set(found) == {"邵阳市楚怡中职学校", "洪溪中学"}


def test_a_generic_name_keeps_its_place():
    found = by_text(find_entities("水城区发耳镇中心幼儿园、钟山区第十一幼儿园进行主体施工。"), "ORG")
    assert set(found) == {"发耳镇中心幼儿园", "钟山区第十一幼儿园"}


def test_common_words_before_an_ending_are_no_organisation():
    assert not by_text(find_entities("新建、改扩建公办幼儿园7所，开展中小学教师培训，召开协商会。"), "ORG")


def test_task_forces_and_companies():
    found = by_text(find_entities("报：省打好重点民生保障仗工作专班。湖南华盛建设工程有限公司承建。"), "ORG")
    assert {"省打好重点民生保障仗工作专班", "湖南华盛建设工程有限公司"} <= set(found)
    assert not by_text(find_entities("发：市打好重点民生保障仗工作专班成员单位"), "ORG")


# --- outputs -----------------------------------------------------------------------------------


def test_offsets_pages_and_sentences_point_into_the_text():
    text = "副市长蒋伟参加。\n新邵县坪上镇洪溪中学开工。"
    for e in find_entities(text, page_of=lambda o: 1 if o < 9 else 2):
        assert text[e.start:e.end] == e.text
        assert e.text in e.sentence
        assert e.page == (1 if e.start < 9 else 2)


def test_distinct_entities_count_mentions_of_one_entity():
    rows = distinct_entities(find_entities("副市长王永红率队调研。王永红强调要加快进度。"))
    row = next(r for r in rows if r["normalized"] == "王永红")
    assert row["mentions"] == 2 and row["type"] == "PERSON"


def test_tag_lines_gives_offsets_per_line():
    rows = list(tag_lines(["副市长蒋伟参加。", "", "新邵县坪上镇"]))
    assert rows[0] == {"entities": [[3, 5, "PERSON"]]}
    assert rows[1] == {"entities": []}
    assert rows[2] == {"entities": [[0, 3, "PLACE"], [3, 6, "PLACE"]]}
    out = io.StringIO()
    assert tag_stream(io.StringIO("副市长蒋伟参加。\n"), out) == 1
    assert json.loads(out.getvalue()) == {"entities": [[3, 5, "PERSON"]]}


def test_tag_entities_command():
    from click.testing import CliRunner

    from service.cli import cli

    run = CliRunner().invoke(cli, ["tag-entities"], input="市人社局：坚持“三向发力”\n")
    assert run.exit_code == 0, run.output
    assert json.loads(run.output) == {"entities": [[0, 4, "ORG"]]}


# --- sample (a), typeset from the shaoyang bulletin ---------------------------------------------


def sample_entities(extraction):
    pages = extraction.pages

    def page_of(offset: int) -> int:
        return next((p.page for p in pages if p.start <= offset < p.end), pages[-1].page if pages else 1)

    return find_entities(extraction.text, issue_date=extraction.document.metadata.issue_date,
                         page_of=page_of, blocks=extraction.blocks)


def test_sample_a_entities_match_the_golden_file(extracted):
    entities = sample_entities(extracted("a"))
    rows = [e.model_dump(mode="json", exclude={"sentence"}) for e in entities]
    if UPDATE_GOLDEN:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert rows == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_sample_a_has_the_bulletin_s_people_places_and_organisations(extracted):
    found = {(e.type.value, e.text) for e in sample_entities(extracted("a"))}
    expected = {("PERSON", "王永红"), ("PERSON", "蒋伟"), ("PLACE", "坪上镇"), ("PLACE", "城步苗族自治县"),
                ("PLACE", "河伯乡"), ("ORG", "市人社局"), ("ORG", "洪溪中学"), ("ORG", "市人民政府督查室"),
                ("ORG", "北塔区综合智慧养老服务中心"), ("ORG", "邵阳市打好重点民生保障仗工作专班")}
    assert expected <= found


def test_the_jieba_user_dictionary_keeps_places_and_bodies_whole():
    import jieba

    from extractor.entities import load_jieba_user_dictionary

    tokenizer = jieba.Tokenizer()  # not jieba's global one: other tests see it unchanged
    load_jieba_user_dictionary(tokenizer)
    words = tokenizer.lcut("新邵县坪上镇洪溪中学，市人社局")
    assert "坪上镇" in words and "人社局" in words


def test_the_feature_segmenter_keeps_places_and_bodies_whole_with_their_tags():
    from extractor.ner_features import ENTITY_WORD_FREQ, feature_segmenter, jieba_words

    words = {w: pos for _, _, w, pos in jieba_words("新邵县坪上镇洪溪中学，市人社局")}
    assert words["坪上镇"] == "ns" and words["人社局"] == "nt"
    segmenter = feature_segmenter()
    # What jieba's dictionary says of a word: 施工图 is listed as a name (nr), 人民 is common.
    assert segmenter.is_word("施工图") and segmenter.tag("施工图") == "nr"
    assert segmenter.tag("人民") == "n" and segmenter.frequency("人民") > 10_000
    assert segmenter.frequency("坪上镇") == ENTITY_WORD_FREQ and segmenter.tag("坪上镇") == "ns"
    assert not segmenter.is_word("王永红") and segmenter.tag("王永红") == "x" and segmenter.frequency("王永红") == 0


def test_a_foreign_name_is_taken_from_the_model():
    from extractor.entities import is_transliterated

    assert is_transliterated("克林顿") and is_transliterated("伊拉克") and is_transliterated("迈克尔·托马肖")
    assert not is_transliterated("加班费")  # every character is one of them, but it is a dictionary word
    assert not is_transliterated("王永红") and not is_transliterated("坦克")
    found = find_entities("美国总统克林顿今天访问俄罗斯首都莫斯科。")
    assert "克林顿" in by_text(found, "PERSON") and {"俄罗斯", "莫斯科"} <= set(by_text(found, "PLACE"))


def test_an_office_held_is_not_part_of_the_institution():
    found = by_text(find_entities("他现任深圳市通产集团有限公司总经理，曾任华菱集团董事，原宁夏发电集团有限责任公司副总经理。"), "ORG")
    assert set(found) == {"深圳市通产集团有限公司", "华菱集团", "宁夏发电集团有限责任公司"}


def test_company_endings_beyond_a_group():
    assert list(by_text(find_entities("中国电信集团公司发布年报。"), "ORG")) == ["中国电信集团公司"]


def test_tag_lines_is_flat_where_find_entities_keeps_a_place_inside_a_name():
    line = "深圳市特尔佳科技股份有限公司发布公告。"
    assert next(tag_lines([line]))["entities"] == [[0, 14, "ORG"]]
    assert "深圳市" in by_text(find_entities(line), "PLACE")


def test_a_given_name_and_family_name_is_a_person_not_a_place():
    import spacy
    from spacy.tokens import Span

    from extractor.entities import model_span_fits

    doc = spacy.blank("zh").make_doc("维克多·佩罗塔今天宣布")
    assert model_span_fits(Span(doc, 0, 7, label="PERSON"))
    assert not model_span_fits(Span(doc, 0, 7, label="PLACE"))
