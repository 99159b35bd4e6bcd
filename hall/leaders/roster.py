"""The leaders' roster (领导名册): who receives visitors, as every terminal sees it.

    hall.leaders.roster.list()                         # the effective roster, retired ones left out
    hall.leaders.roster.spec("zhangwei").label         # 「张伟副市长」 (retired ones too: old days)
    hall.leaders.roster.add("zhaomin", "赵敏", "mgr01", title="副区长", department="leader")
    hall.leaders.roster.edit("zhangwei", "mgr01", portfolio="城建、征收拆迁、住房保障")
    hall.leaders.roster.retire("wangshu", "mgr01", reason="调任")

Design: the configuration's ``leaders`` list is the initial roster (version 0 of each leader);
managers' edits and additions live in the database (:class:`models.LeaderProfile`, append-only
versions, the latest wins, each with its actor and time, audited), so terminals on several machines
sharing PostgreSQL see one roster at once, the ``leaders`` change counter telling them to read it
again. Nothing is deleted: a leader is retired (no new days, rules or 包案; the days already held
keep their name) and can be reinstated. The schedule rules stay where they were written (the
configuration's with the configured leader, the managers' in ``LeaderRule``).

A leader receives in one of the reception departments: those the configuration's leaders receive
in (and ``leader_settings.closed_without_day``). A reception room is a window of the configuration,
so a department is not created here, and the desk's walk-in rule keeps its start-up set.
"""

from __future__ import annotations

from typing import Any

import peewee as pw

from config.leaders import KINDS, Leader
from hall.clock import to_storage
from hall.desk.registration import FormError
from hall.errors import Refused
from hall.leaders.shared import LEADERS, LeaderState, RosterEntry
from hall.leaders.views import LeaderInfo
from hall.text import freetext
from models import LeaderDay, LeaderProfile

ROSTER_LABELS = {"code": "代码", "name": "姓名", "title": "职务", "portfolio": "分管领域",
                 "kind": "类别", "department": "接待部门", "reason": "原因"}
_LIMITS = {"name": (freetext.NAME, False), "title": (freetext.NAME, False),
           "portfolio": (freetext.LINE, False)}  # typed texts: (limit, line breaks kept)


class Roster:
    """The effective roster and its edits: ``hall.leaders.roster``."""

    def __init__(self, state: LeaderState) -> None:
        self._state = state
        self._store = state.store
        self._config = state.config

    # -- reads ----------------------------------------------------------------------------------

    def list(self, include_retired: bool = False) -> list[LeaderInfo]:
        """The effective roster: configured leaders in configured order, then those added."""
        return [self._info(e) for e in self._state.roster().values()
                if include_retired or not e.retired]

    def info(self, code: str) -> LeaderInfo:
        """One leader of the roster (retired ones too), or :class:`NotFound`."""
        return self._info(self._state.entry(code, self._state.roster()))

    def spec(self, code: str) -> Leader:
        """The leader as the roster has it now (retired ones too, for what they did), or
        :class:`NotFound` naming the valid codes."""
        return self._state.entry(code, self._state.roster()).spec

    def active(self, code: str) -> Leader:
        """The leader, refused when retired: what new days, rules and 包案 are checked by."""
        return self._state.active(code)

    def specs(self) -> dict[str, Leader]:
        """Every leader of the roster (retired ones too) by code: the configured ones as edited,
        and those added from the manager screen (the cases' 包案 and scopes read it)."""
        return {code: entry.spec for code, entry in self._state.roster().items()}

    def departments(self) -> list[tuple[str, str]]:
        """The reception departments a leader can receive in: (code, name), configured order."""
        used = {x.department for x in self._config.leaders}
        used.update(self._config.leader_settings.closed_without_day)
        return [(d.code, d.name) for d in self._config.departments if d.code in used]

    # -- edits ----------------------------------------------------------------------------------

    def add(self, code: str, name: str, actor: str, *, title: str = "", portfolio: str = "",
            kind: str = "leader", department: str = "") -> LeaderInfo:
        """Add a leader (or duty lawyer) to the roster.

        Raises :class:`FormError` (field → 中文说明), e.g. a code already in use.
        """
        self._store.permit(actor, "leader.roster")
        code = code.strip()
        fields = self._clean({"name": name, "title": title, "portfolio": portfolio,
                              "kind": kind, "department": department},
                             extra=_code_error(code))
        with self._store.transaction():
            roster = self._state.roster()
            if code in roster:
                used = roster[code]
                state = "（已停用）" if used.retired else ""
                raise FormError({"code": f"代码“{code}”已是{used.spec.label}{state}的代码"})
            return self._write(code, 1, fields, False, "", actor, "leader.add",
                               {"fields": fields})

    def edit(self, code: str, actor: str, *, expected_version: int | None = None,
             **changes: str) -> LeaderInfo:
        """Change a leader's name, title, portfolio, kind or department (a new version).

        ``expected_version`` (the version the editor read) refuses the edit when another terminal
        changed the leader meanwhile, rather than overwrite that change unseen.
        """
        self._store.permit(actor, "leader.roster")
        unknown = set(changes) - {"name", "title", "portfolio", "kind", "department"}
        if unknown:
            raise TypeError(f"roster.edit: unknown fields {sorted(unknown)}")
        with self._store.transaction():
            entry = self._current(code, expected_version)
            spec = entry.spec
            before = _fields(spec)
            fields = self._clean({**before, **changes})
            diff = {k: [before[k], v] for k, v in fields.items() if before[k] != v}
            if not diff:
                return self._info(entry)
            return self._write(spec.code, entry.version + 1, fields, entry.retired, "",
                               actor, "leader.edit", {"changes": diff})

    def retire(self, code: str, actor: str, reason: str = "",
               expected_version: int | None = None) -> LeaderInfo:
        """Retire a leader: kept with everything they did, offered for nothing new.

        Refused while the leader has coming days (cancel them first: their visitors must be told).
        """
        self._store.permit(actor, "leader.roster")
        errors: dict[str, str] = {}
        reason = freetext.field(errors, "reason", reason, freetext.REASON, lines=True)
        if errors:
            raise FormError(errors, ROSTER_LABELS)
        with self._store.transaction():
            entry = self._current(code, expected_version)
            spec = entry.spec
            if entry.retired:
                raise Refused(f"{spec.label}（{spec.code}）已停用")
            # A manager adding a day for this leader right now holds the same lock: either
            # their day is counted here, or they find the leader retired.
            self._state.lock_leaders([spec.code])
            coming = list(LeaderDay.select(LeaderDay.date).where(
                (LeaderDay.leader == spec.code) & (LeaderDay.date >= self._store.today())
                & LeaderDay.status.in_(("planned", "published", "held")))
                .order_by(LeaderDay.date))
            if coming:
                raise Refused(f"{spec.label} 还有 {len(coming)} 个未到的接待日（最近 "
                              f"{coming[0].date}）：请先取消这些接待日（已预约者会列出待通知）"
                              "再停用")
            return self._write(spec.code, entry.version + 1, _fields(spec), True, reason,
                               actor, "leader.retire", {"reason": reason})

    def reinstate(self, code: str, actor: str, expected_version: int | None = None) -> LeaderInfo:
        """Bring a retired leader back onto the roster."""
        self._store.permit(actor, "leader.roster")
        with self._store.transaction():
            entry = self._current(code, expected_version)
            if not entry.retired:
                raise Refused(f"{entry.spec.label}（{entry.spec.code}）未停用")
            return self._write(entry.spec.code, entry.version + 1, _fields(entry.spec),
                               False, "", actor, "leader.reinstate", {})

    # -- helpers --------------------------------------------------------------------------------

    def _current(self, code: str, expected_version: int | None) -> RosterEntry:
        entry = self._state.entry(code, self._state.roster())
        if expected_version is not None and entry.version != expected_version:
            raise Refused(f"{entry.spec.label} 的资料刚被其他终端修改：请重新打开名册再改")
        return entry

    def _clean(self, raw: dict[str, str], extra: dict[str, str] | None = None) -> dict[str, str]:
        """The stripped fields, or :class:`FormError` with every problem at once."""
        errors = dict(extra or {})
        fields = {k: str(v).strip() for k, v in raw.items()}
        fields.update(freetext.fields(errors, _LIMITS, {k: str(raw[k]) for k in _LIMITS}))
        if not fields["name"] and "name" not in errors:
            errors["name"] = "姓名不能为空"
        if fields["kind"] not in KINDS:
            errors["kind"] = (f"类别应为 leader（领导）或 lawyer（律师），实际为“{fields['kind']}”")
        departments = self.departments()
        if fields["department"] not in {c for c, _ in departments}:
            valid = "、".join(f"{c}（{n}）" for c, n in departments) or "无（配置中没有接待部门）"
            what = (f"未知的接待部门“{fields['department']}”" if fields["department"]
                    else "请选择接待部门")
            errors["department"] = f"{what}，应为：{valid}"
        if errors:
            raise FormError(errors)
        return fields

    def _write(self, code: str, version: int, fields: dict[str, str], retired: bool, note: str,
               actor: str, action: str, detail: dict[str, Any]) -> LeaderInfo:
        """Append a version (inside the caller's transaction), audit it, tell the terminals."""
        at = to_storage(self._store.now())
        try:
            with self._store.db.atomic():  # a savepoint: a collision leaves the transaction usable
                LeaderProfile.create(code=code, version=version, retired=retired, note=note,
                                     created_at=at, created_by=actor, **fields)
        except pw.IntegrityError:
            # Another terminal wrote this version first (PostgreSQL; SQLite serialises writers).
            raise Refused(f"领导“{code}”的资料刚被其他终端修改：请重新打开名册再改") from None
        self._store.audit(actor, action, "leader", code, at, {"version": version, **detail})
        self._store.bump(LEADERS)
        return self._info(self._state.roster()[code])

    def _info(self, entry: RosterEntry) -> LeaderInfo:
        x = entry.spec
        return freetext.shown_in(LeaderInfo(
            x.code, x.name, x.title, x.portfolio, x.kind, x.department, self._state.room_of(x),
            retired=entry.retired, version=entry.version, configured=entry.configured))


def _fields(spec: Leader) -> dict[str, str]:
    return {"name": spec.name, "title": spec.title, "portfolio": spec.portfolio,
            "kind": spec.kind, "department": spec.department}


def _code_error(code: str) -> dict[str, str]:
    from config.types import _code

    if not code:
        return {"code": "请填写代码（小写字母开头，如 zhaomin），命令行中用它指定领导"}
    try:
        _code(code)
    except ValueError as exc:
        return {"code": str(exc)}
    return {}
