"""A made-up district of four offices, each counting the district's shared concepts under its own
indicator ids and names (as real 街道 and 镇 do), written into a scratch copy of the fixtures."""

from __future__ import annotations

from pathlib import Path

#: office → (name, population or None, {concept: (own id, own name, unit, value, qualifier, period_end)})
OFFICES = {
    "dongcun": (
        "东村镇（示例）",
        52000,
        {
            "committee_meetings": ("dongcun.rule_meetings", "依法治镇委员会专题会议", "次", "4", "", ""),
            "reconsideration_cases": ("dongcun.appeals", "行政复议", "件", "2", "", ""),
            "legality_contracts": ("dongcun.contracts", "镇村合同审查", "件", "180", "", ""),
            "mediation_success_rate": ("dongcun.mediation_rate", "矛盾纠纷调解成功率", "%", "98.1", "", ""),
        },
    ),
    "xijie": (
        "西街街道（示例）",
        128000,
        {
            "committee_meetings": ("xijie.committee", "依法治街委员会会议", "次", "3", "", ""),
            "reconsideration_cases": ("xijie.reconsideration", "行政复议案件", "宗", "5", "", ""),
            "legality_contracts": ("xijie.contract_review", "合同合法性审查", "件", "96", "", ""),
            "mediation_success_rate": ("xijie.mediation", "人民调解成功率", "%", "96.0", "", ""),
        },
    ),
    "nanwan": (
        "南湾街道（示例）",
        None,
        {
            "committee_meetings": ("nanwan.party_meetings", "专题党委会", "次", "6", "", ""),
            "reconsideration_cases": ("nanwan.review_cases", "配合办理行政复议", "件", "1", "", ""),
            "legality_contracts": ("nanwan.contracts", "合同审查", "件", "60", "约", ""),
        },
    ),
    "beishan": (
        "北山镇（示例）",
        40000,
        {
            "committee_meetings": ("beishan.meetings", "法治建设领导小组会议", "次", "2", "", ""),
            "reconsideration_cases": ("beishan.reconsideration", "行政复议案件", "件", "3", "", "2024-10-31"),
            "mediation_success_rate": ("beishan.mediation", "调解成功率", "%", "97.0", "", ""),
        },
    ),
}
KINDS = {"mediation_success_rate": ("rate", "up")}
DISTRICT = "示例新区"


def make_district(data: Path, offices: tuple[str, ...] = tuple(OFFICES), district: str = DISTRICT) -> list[str]:
    """Add the offices (and their own indicators) to the data folder ``data``; returns their ids."""
    rows, lines = [], []
    for office in offices:
        name, population, figures = OFFICES[office]
        lines.append(f"{office},{name},{name},{district},示例市,Asia/Shanghai,{population or ''}")
        folder = data / office
        (folder / "2024").mkdir(parents=True)
        ids = []
        values = ["indicator,value,qualifier,period_end,source,note"]
        for concept, (own, own_name, unit, value, qualifier, period_end) in figures.items():
            kind, polarity = KINDS.get(concept, ("count", "neutral"))
            rows.append(f"{own},,{own_name},{unit},{kind},{polarity},,,,,,,,{concept}")
            ids.append(own)
            values.append(f"{own},{value},{qualifier},{period_end},示例,")
        (folder / "sections.csv").write_text(
            f"id,parent,title_zh,role,caption_zh,indicators\na,,{{year}}年度法治政府建设情况,,,{' '.join(ids)}\n", encoding="utf-8"
        )
        (folder / "2024" / "values.csv").write_text("\n".join(values) + "\n", encoding="utf-8")
        (folder / "2024" / "report.yml").write_text("date: 2025-03-20  # 示例\nstatus: draft\n", encoding="utf-8")
    catalog = data / "indicators.csv"
    header = catalog.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[-1] == "concept" and len(header) == 14, header  # the rows above are written in this order
    with catalog.open("a", encoding="utf-8") as out:
        out.write("\n".join(rows) + "\n")
    offices_csv = data / "offices.csv"
    text = offices_csv.read_text(encoding="utf-8").splitlines()
    if "population" not in text[0]:
        text = [text[0] + ",population"] + [line + "," for line in text[1:]]
    offices_csv.write_text("\n".join(text + lines) + "\n", encoding="utf-8")
    return list(offices)
