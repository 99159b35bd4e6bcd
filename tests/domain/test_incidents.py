"""Special situations (特殊情况) in the facade: configuration, the record and its rules.

The shipped hall lists every statutory situation with its steps; a chain naming an unknown action
or a code given twice is located like any other configuration mistake. On the record: an incident
is logged with its type, place, ticket and visitor; steps are numbered entries; a closed incident
takes no action until reopened with a reason; corrections are new entries pointing at what they
correct; nothing is edited in place or deleted; every view is audited; bad input writes nothing.
Runs on SQLite, and PostgreSQL when HALL_TEST_PG_URL is set.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from config import ConfigError, HallConfig, load_config
from hall import Hall
from hall.errors import NotFound, Refused
from hall.incidents import IncidentFormError, NewIncident
from hall.incidents.report import CSV_HEADER, report_csv
from models import AuditEvent, ChangeCounter, Incident, IncidentEntry
from tests.helpers import SHIPPED, distinct_id, form, make_id, row_counts

# -- configuration -------------------------------------------------------------------------------


def test_the_shipped_hall_covers_every_situation_of_the_regulation(config: HallConfig) -> None:
    types = {t.code: t for t in config.incidents.types}
    assert len(types) == len(config.incidents.types)
    # The statutory disruptive acts, the care cases and the collective / over-level visits.
    for code in ("gathering", "blocking", "dangerous", "assault", "detaining", "damage",
                 "lingering", "abandoning", "inciting", "disorder"):
        assert types[code].group == "disorder", code
    for code in ("illness", "infectious", "mental", "abandoned_person"):
        assert types[code].group == "care", code
    for code in ("collective_no_reps", "over_level"):
        assert types[code].group == "collective", code
    names = {a.code: a.name for a in config.incidents.actions}

    def chain(code: str) -> list[str]:
        return [names[c] for c in types[code].chain]

    # The issue's examples of recommended chains.
    assert chain("lingering")[:2] == ["劝阻", "批评教育"]
    assert {"通知公安", "依法带离"} <= set(chain("lingering"))
    assert chain("illness") == ["报告中心领导", "通知医务人员", "送医"]
    assert "通知疾控" in chain("infectious")
    assert "通知监护人、近亲属或属地" in chain("mental")
    assert chain("collective_no_reps")[-1] == "通知属地派员劝返"
    assert {t.severity for t in types.values()} == {"high", "medium", "low"}
    assert types["dangerous"].severity == "high"
    assert types["illness"].severity == "high"


def _broken(tmp_path: Path, old: str, new: str) -> ConfigError:
    assert SHIPPED.count(old) == 1, old
    path = tmp_path / "hall.yaml"
    path.write_text(SHIPPED.replace(old, new), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value


@pytest.mark.parametrize(("old", "new", "key", "expected"), [
    ("chain: [report_leader, medical, hospital]", "chain: [report_leader, medic, hospital]",
     "incidents.types[10].chain[1]", "未知的处置措施“medic”"),
    ("chain: [educate, return]", "chain: [educate, return, educate]",
     "incidents.types[15].chain[2]", "处置措施“educate”在“越级访”的流程中重复"),
    ("{code: hospital, name: 送医}", "{code: medical, name: 送医}",
     "incidents.actions[10].code", "处置措施代码“medical”与 actions[9] 重复"),
    ("  - code: blocking\n", "  - code: gathering\n", "incidents.types[1].code",
     "特殊情况类型代码“gathering”与 types[0] 重复"),
    ("      severity: low\n", "      severity: urgent\n", "incidents.types[15].severity",
     "应为以下之一"),
    ("      chain: [educate, return]\n", "      chain: []\n", "incidents.types[15].chain",
     "至少应有 1 项"),
])
def test_incident_configuration_mistakes_are_located(tmp_path: Path, old: str, new: str,
                                                     key: str, expected: str) -> None:
    error = _broken(tmp_path, old, new)
    found = [str(p) for p in error.problems if f": {key}: " in str(p)]
    assert found, str(error)
    assert expected in found[0]
    if "medic”" in expected:
        assert "是否想写“medical”" in found[0]


def test_a_configuration_without_incidents_gets_a_working_default(tmp_path: Path) -> None:
    text = SHIPPED[:SHIPPED.index("\nincidents:")]
    path = tmp_path / "hall.yaml"
    path.write_text(text, encoding="utf-8")
    cfg = load_config(path)
    assert cfg.incidents.type_of("illness") is not None
    assert all(cfg.incidents.action_of(c) for t in cfg.incidents.types for c in t.chain)


# -- logging -------------------------------------------------------------------------------------


def test_logging_links_the_ticket_and_its_visitor(hall: Hall) -> None:
    ticket = hall.desk.issue(form(), actor="desk01")
    before = hall.change_version("incidents")
    new = hall.incidents.log(NewIncident("dangerous", " 7号窗口 ", "携带水果刀一把", people="2",
                                         ticket=ticket.number.lower()), actor="win07")
    assert (new.type, new.type_name, new.severity, new.place, new.people, new.ticket) == (
        "dangerous", "携带危险物品或管制器具", "high", "7号窗口", 2, ticket.number)
    assert (new.status, new.status_label, new.entries) == ("open", "处置中", 1)
    assert new.next_action == hall.config.incidents.type_of("dangerous").chain[0]  # type: ignore
    assert hall.change_version("incidents") == before + 1
    row = Incident.get_by_id(new.id)
    assert row.visitor_id == hall.desk.visitor_file(make_id(), viewer="mgr01").visitor_id  # type: ignore[union-attr]
    assert row.ticket_id == ticket.ticket_id
    detail = hall.incidents.detail(new.id, actor="mgr01")
    assert detail.note == "携带水果刀一把"
    assert detail.visitor == "张*"  # masked
    assert [e.kind for e in detail.entries] == ["logged"]
    assert detail.entries[0].actor_name == "周涛"
    audit = AuditEvent.get(AuditEvent.action == "incident.log")
    assert (audit.actor, audit.entity_id) == ("win07", str(new.id))
    assert json.loads(audit.detail)["type"] == "dangerous"


def test_logging_by_query_code_and_by_visitor_alone(hall: Hall) -> None:
    ticket = hall.desk.issue(form(), actor="desk01")
    by_code = hall.incidents.log(NewIncident("illness", "候谈区", "晕倒",
                                             ticket=ticket.query_code), actor="desk01")
    assert by_code.ticket == ticket.number
    visitor_id = hall.desk.visitor_file(make_id(), viewer="mgr01").visitor_id  # type: ignore[union-attr]
    desk = hall.incidents.log(NewIncident("lingering", "登记分流台", "拒不离开",
                                          visitor_id=visitor_id), actor="desk01")
    assert desk.ticket == ""
    assert Incident.get_by_id(desk.id).visitor_id == visitor_id


@pytest.mark.parametrize(("changes", "errors"), [
    ({"type": "knife"}, {"type": "未知的特殊情况类型“knife”"}),
    ({"type": ""}, {"type": "请选择特殊情况类型"}),
    ({"place": "  "}, {"place": "请填写发生地点"}),
    ({"note": " \n "}, {"note": "请简述发生了什么"}),
    ({"people": "0"}, {"people": "人数应在 1 到 9999 之间"}),
    ({"people": "许多"}, {"people": "人数应为整数"}),
    ({"ticket": "R999"}, {"ticket": "没有票号 R999"}),
    ({"visitor_id": 424242}, {"visitor": "没有编号为 424242 的来访人档案"}),
    ({"type": "x", "note": "", "place": ""}, {"type": "", "note": "", "place": ""}),
])
def test_a_bad_form_writes_nothing(hall: Hall, changes: dict, errors: dict[str, str]) -> None:
    hall.desk.issue(form(), actor="desk01")
    counts, version = row_counts(), hall.change_version("incidents")
    values = {"type": "illness", "place": "候谈区", "note": "晕倒"} | changes
    with pytest.raises(IncidentFormError) as caught:
        hall.incidents.log(NewIncident(**values), actor="desk01")
    assert set(caught.value.errors) == set(errors)
    for key, text in errors.items():
        assert text in caught.value.errors[key]
    assert "：" in str(caught.value)  # the message names the fields in Chinese
    assert row_counts() == counts
    assert Incident.select().count() == 0 and IncidentEntry.select().count() == 0
    assert hall.change_version("incidents") == version


# -- the record ----------------------------------------------------------------------------------


def _logged(hall: Hall, type: str = "lingering") -> int:
    return hall.incidents.log(NewIncident(type, "候谈区", "大声吵闹拒不离开"), "win01").id


def test_actions_are_numbered_and_the_next_step_follows_the_chain(hall: Hall) -> None:
    incident = _logged(hall)
    chain = hall.config.incidents.type_of("lingering").chain  # type: ignore[union-attr]
    first = hall.incidents.act(incident, chain[0], "win01", result=" 效果不明显 ", note="多次劝说")
    assert (first.seq, first.kind, first.action, first.result, first.note) == (
        2, "action", chain[0], "效果不明显", "多次劝说")
    assert hall.incidents.list()[0].next_action == chain[1]
    # Any step may be recorded, in any order: the suggestion follows the furthest one reached.
    hall.incidents.act(incident, chain[3], "win02")
    assert hall.incidents.list()[0].next_action == chain[4]
    hall.incidents.act(incident, "other", "win02", note="联系家属")
    detail = hall.incidents.detail(incident, "mgr01")
    assert [e.seq for e in detail.entries] == [1, 2, 3, 4]
    assert [c.done for c in detail.chain] == [True, False, False, True, False]
    hall.incidents.act(incident, chain[4], "win02")
    assert hall.incidents.list()[0].next_action == ""


def test_unknown_action_is_refused_and_writes_nothing(hall: Hall) -> None:
    incident = _logged(hall)
    counts = row_counts()
    with pytest.raises(Refused, match="未知的处置措施“shout”"):
        hall.incidents.act(incident, "shout", "win01")
    with pytest.raises(NotFound, match="没有编号为 99 的"):
        hall.incidents.act(99, "dissuade", "win01")
    assert row_counts() == counts and IncidentEntry.select().count() == 1


def test_a_closed_incident_takes_no_action_until_reopened(hall: Hall) -> None:
    incident = _logged(hall)
    with pytest.raises(Refused, match="结案须填写结论"):
        hall.incidents.close(incident, "  ", "mgr01")
    with pytest.raises(Refused, match="正在处置中，不能重新打开"):
        hall.incidents.reopen(incident, "新情况", "mgr01")
    hall.incidents.close(incident, "经劝说自行离开", "mgr01")
    summary = hall.incidents.list()[0]
    assert (summary.status, summary.status_label, summary.next_action) == ("closed", "已结案", "")
    entries = IncidentEntry.select().count()
    for act in (lambda: hall.incidents.act(incident, "police", "win01"),
                lambda: hall.incidents.close(incident, "再结一次", "mgr01")):
        with pytest.raises(Refused, match="已结案"):
            act()
    with pytest.raises(Refused, match="重新打开须填写理由"):
        hall.incidents.reopen(incident, "", "mgr01")
    assert IncidentEntry.select().count() == entries
    hall.incidents.reopen(incident, "当事人返回大厅继续滋事", "mgr01")
    hall.incidents.act(incident, "police", "win01", result="派出所民警到场")
    hall.incidents.close(incident, "依法带离", "mgr01")
    detail = hall.incidents.detail(incident, "mgr01")
    assert [e.kind for e in detail.entries] == [
        "logged", "closed", "reopened", "action", "closed"]
    assert detail.entries[2].note == "当事人返回大厅继续滋事"
    assert detail.conclusion == "依法带离"


def test_corrections_are_new_entries_and_both_are_shown(hall: Hall) -> None:
    incident = _logged(hall)
    hall.incidents.act(incident, "dissuade", "win01", result="无效")
    fix = hall.incidents.correct(incident, 2, "劝阻后情绪平复，结果应为有效", "win01")
    assert (fix.seq, fix.kind, fix.corrects) == (3, "correction", 2)
    hall.incidents.correct(incident, 1, "两人大声吵闹拒不离开", "mgr01")
    detail = hall.incidents.detail(incident, "mgr01")
    assert detail.note == "两人大声吵闹拒不离开"  # what happened, as last corrected
    assert detail.entries[0].note == "大声吵闹拒不离开"  # the original stays as it was
    assert detail.entries[1].result == "无效"
    assert detail.entries[1].corrected_by == (3,)
    assert detail.entries[0].corrected_by == (4,)
    # A closed record may still be put right; the conclusion shown is the corrected one.
    hall.incidents.close(incident, "自行离开", "mgr01")
    hall.incidents.correct(incident, 5, "经劝说后自行离开", "mgr01")
    assert hall.incidents.detail(incident, "mgr01").conclusion == "经劝说后自行离开"
    counts = row_counts()
    with pytest.raises(NotFound, match="没有第 9 条记录"):
        hall.incidents.correct(incident, 9, "x", "mgr01")
    with pytest.raises(Refused, match="更正内容不能为空"):
        hall.incidents.correct(incident, 1, " ", "mgr01")
    assert row_counts() == counts


def test_nothing_is_ever_updated_but_the_incident_state(hall: Hall) -> None:
    incident = _logged(hall)
    hall.incidents.act(incident, "dissuade", "win01")
    before = [(e.id, e.seq, e.kind, e.note, e.result, e.action) for e in IncidentEntry.select()]
    hall.incidents.correct(incident, 2, "更正", "win01")
    hall.incidents.close(incident, "结", "mgr01")
    after = [(e.id, e.seq, e.kind, e.note, e.result, e.action)
             for e in IncidentEntry.select().order_by(IncidentEntry.id)]
    assert after[:len(before)] == before
    assert not hasattr(hall, "delete_incident")


def test_every_view_is_audited(hall: Hall) -> None:
    incident = _logged(hall)
    views = AuditEvent.select().where(AuditEvent.action == "incident.view")
    assert views.count() == 0
    hall.incidents.detail(incident, "mgr01")
    hall.incidents.detail(incident, "win03")
    assert [(v.actor, v.entity_id) for v in views.order_by(AuditEvent.id)] == [
        ("mgr01", str(incident)), ("win03", str(incident))]
    with pytest.raises(NotFound):
        hall.incidents.detail(123, "mgr01")
    assert views.count() == 2
    hall.incidents.report(hall.today(), "mgr01")
    report = AuditEvent.get(AuditEvent.action == "incident.report")
    assert json.loads(report.detail) == {"ids": [incident]}


def test_lists_filter_by_day_status_type_and_place(hall: Hall) -> None:
    clock = hall.clock
    a = _logged(hall)
    b = hall.incidents.log(NewIncident("illness", "3号窗口", "晕倒"), "win03").id
    hall.incidents.close(b, "送医", "mgr01")
    clock.advance(days=1)  # type: ignore[attr-defined]
    c = hall.incidents.log(NewIncident("illness", "候谈区", "胸闷"), "win03").id
    yesterday = hall.today().fromordinal(hall.today().toordinal() - 1)
    assert [s.id for s in hall.incidents.list()] == [c, b, a]  # newest first
    assert [s.id for s in hall.incidents.list(day=yesterday)] == [b, a]
    assert [s.id for s in hall.incidents.list(day=yesterday, status="open")] == [a]
    assert [s.id for s in hall.incidents.list(type="illness")] == [c, b]
    assert [s.id for s in hall.incidents.list(place="候谈区")] == [c, a]
    with pytest.raises(Refused, match="状态应为"):
        hall.incidents.list(status="pending")
    assert "3号窗口" in hall.incidents.places() and "候谈区" in hall.incidents.places()


def test_alerts_are_open_high_severity_incidents(hall: Hall) -> None:
    assert hall.incidents.open_alerts() == []
    low = hall.incidents.log(NewIncident("over_level", "登记分流台", "越级"), "desk01").id
    high = hall.incidents.log(NewIncident("assault", "5号窗口", "推搡工作人员"), "win05").id
    alerts = hall.incidents.open_alerts()
    assert [(a.id, a.type_name, a.place, a.since) for a in alerts] == [
        (high, "侮辱、殴打、威胁工作人员", "5号窗口", "09:00")]
    hall.incidents.close(high, "公安带离", "mgr01")
    assert hall.incidents.open_alerts() == []
    hall.incidents.reopen(high, "再次滋事", "mgr01")
    assert [a.id for a in hall.incidents.open_alerts()] == [high]
    assert low not in [a.id for a in hall.incidents.open_alerts()]


def test_the_visitor_file_shows_their_incidents(hall: Hall) -> None:
    hall.desk.issue(form(), actor="desk01")
    other = hall.desk.issue(form(id_number=distinct_id(9), name="李四"), actor="desk01")
    hall.incidents.log(NewIncident("lingering", "候谈区", "滞留", ticket="L001"), "win07")
    hall.incidents.log(NewIncident("illness", "7号窗口", "晕倒", ticket="L001"), "win07")
    hall.incidents.log(NewIncident("mental", "候谈区", "x", ticket=other.number), "win07")
    file = hall.desk.visitor_file(make_id(), viewer="mgr01")
    assert file is not None
    assert [(i.type_name, i.status_label) for i in file.incidents] == [
        ("来访人突发疾病", "处置中"), ("在接待场所滞留、滋事", "处置中")]
    hall.windows.call_next(7, "win07")
    current = hall.windows.view(7, viewer="mgr01").current
    assert current is not None and [i.type_name for i in current.incidents] == [
        "来访人突发疾病", "在接待场所滞留、滋事"]


def test_the_daily_report_counts_and_exports_csv(hall: Hall) -> None:
    hall.desk.issue(form(), actor="desk01")
    a = hall.incidents.log(NewIncident("illness", "7号窗口", "晕倒, 意识模糊", ticket="L001"),
                           "win07").id
    hall.incidents.act(a, "report_leader", "win07")
    hall.incidents.act(a, "hospital", "win07", result="120 送市一院")
    hall.incidents.close(a, "已送医", "mgr01")
    hall.incidents.log(NewIncident("illness", "候谈区", "胸闷"), "win03")
    hall.incidents.log(NewIncident("over_level", "登记分流台", "越级"), "desk01")
    report = hall.incidents.report(hall.today(), "mgr01")
    assert (report.date, report.total, report.open, report.closed) == ("2026-11-23", 3, 2, 1)
    assert report.by_type == (("来访人突发疾病", 2), ("越级访", 1))
    text = report_csv(report)
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_HEADER
    assert len(rows) == 4
    first = dict(zip(CSV_HEADER, rows[1], strict=True))
    assert first["经过"] == "晕倒, 意识模糊"  # a comma inside stays one field
    assert first["票号"] == "L001" and first["来访人"] == "张*" and first["结论"] == "已送医"
    assert "送医（120 送市一院）" in first["处置记录"]
    empty = hall.incidents.report(hall.today().replace(day=1), "mgr01")
    assert empty.total == 0 and report_csv(empty).count("\r\n") == 1


def test_the_incidents_topic_is_its_own_counter(hall: Hall) -> None:
    tickets = hall.change_version("tickets")
    incident = _logged(hall)
    hall.incidents.act(incident, "dissuade", "win01")
    assert hall.change_version("tickets") == tickets
    assert ChangeCounter.get_by_id("incidents").version == 2
