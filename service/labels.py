"""Chinese names for what a person reads: the filters (in error messages), the export columns and
their values (kind ``money`` → 金额, ``is_total`` → 是/否). The API keeps its machine names; these
are for the web page, its exports (``headers=zh``) and its messages.

    column_zh("is_total") → "是否合计";  value_zh("kind", "people") → "人数"
"""

from __future__ import annotations

# The filters, as the web page's forms name them (used in the Chinese of a BadParameter).
PARAMETERS_ZH = {
    "q": "关键词", "unit": "单位", "kind": "类别", "place": "地区", "date_from": "起始日期", "date_to": "截止日期",
    "as_of_from": "截至日期（起）", "as_of_to": "截至日期（止）", "issued_from": "发布日期（起）",
    "issued_to": "发布日期（止）", "min_value": "最小数值", "max_value": "最大数值", "document": "文件编号",
    "issuer": "发文单位", "is_total": "只看合计", "sort": "排序", "limit": "每页条数", "next": "翻页标记",
    "count": "计数方式", "facets": "分类统计", "precision": "日期精度", "year_inferred": "年份由发布日期推定",
    "type": "实体类型", "min_mentions": "最少提及次数", "headers": "表头语言",
    "doc_id": "文件编号", "entity_id": "实体编号", "figure_id": "数字编号", "job_id": "任务编号", "bom": "BOM",
}

# Every export column, in Chinese (headers=zh).
COLUMNS_ZH = {
    "id": "编号", "document_id": "文件编号", "figure_index": "文中序号", "date_index": "文中序号", "text": "原文",
    "value": "数值", "unit": "单位", "kind": "类别", "qualifier": "限定词", "low": "下限", "high": "上限",
    "subject": "指标", "place": "地区", "place_code": "行政区划代码", "as_of": "截至日期", "is_total": "是否合计",
    "table_index": "表格序号", "table_row": "表格行", "table_col": "表格列", "page": "页码", "start": "起始位置",
    "end": "结束位置", "sentence": "所在句子", "issue_date": "发布日期", "issuer": "发文单位", "file_name": "文件名",
    "precision": "精度", "start_date": "开始日期", "end_date": "结束日期", "year_inferred": "年份由发布日期推定",
    "year_unknown": "年份不明", "type": "类型", "name": "名称", "normalized": "规范名称", "code": "代码",
    "parents": "上级", "mention_count": "提及次数", "document_count": "文件数",
}

# where a resource names a column differently (a date mention's value is a date, not a number)
RESOURCE_COLUMNS_ZH = {"dates": {"value": "规范日期"}, "entities": {"id": "实体编号"}}

KINDS_ZH = {"money": "金额", "people": "人数", "count": "数量", "percent": "百分比", "percentage_point": "百分点",
            "area": "面积", "length": "长度", "weight": "重量", "duration": "时长", "other": "其他"}
PRECISIONS_ZH = {"day": "日", "month": "月", "year": "年", "quarter": "季度", "half_year": "半年", "month_part": "旬"}
ENTITY_TYPES_ZH = {"PERSON": "人物", "PLACE": "地点", "ORG": "机构"}
YES_NO_ZH = {True: "是", False: "否"}

# column → its values in Chinese
VALUES_ZH = {"kind": KINDS_ZH, "precision": PRECISIONS_ZH, "type": ENTITY_TYPES_ZH}
BOOL_COLUMNS = {"is_total", "year_inferred", "year_unknown"}


def parameter_zh(name: str) -> str:
    return PARAMETERS_ZH.get(name, name)


def column_zh(name: str, resource: str | None = None) -> str:
    return RESOURCE_COLUMNS_ZH.get(resource or "", {}).get(name) or COLUMNS_ZH.get(name, name)


def value_zh(column: str, value):
    """A cell as a reader expects it: 是/否 for flags, Chinese names for kinds, precisions and types,
    a whole number without ``.0``."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if column in BOOL_COLUMNS:
        return YES_NO_ZH[bool(value)]
    names = VALUES_ZH.get(column)
    if names is not None:
        return names.get(value, value)
    return value


def choices_zh(column: str, choices: list[str]) -> str:
    """``money（金额）、people（人数）…``: the machine names a filter takes, with their Chinese."""
    names = VALUES_ZH.get(column, {})
    return "、".join(f"{c}（{names[c]}）" if c in names else c for c in choices)
