"""The typed schema of a hall's configuration (``config/hall.yaml``).

Every field carries a docstring: it is the reference for whoever edits the file. The schema checks
each value's shape; :func:`cross_reference_problems` then checks what refers to what (a category
routing to a department that does not exist, two departments with one ticket prefix, ...). The
loader in :mod:`config.loader` turns both kinds of problem into messages with file and line.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, PrivateAttr, field_validator

from config.cases import CaseSettings, TimeLimits
from config.incidents import IncidentSettings, incident_problems, standard_incidents
from config.leaders import Leader, LeaderSettings, leader_problems
from config.printer import PrinterSettings, printer_problems
from config.status_page import StatusPageSettings
from config.terminal import TerminalSettings, terminal_problems
from config.types import Code, ConfigModel, KeyPath, Prefix, Problem, Text, TimeZone, unknown


class HallInfo(ConfigModel):
    name: Text
    """The hall's full name, printed on tickets and the board (e.g. 某某市联合接访中心)."""
    code: Code = "hall"
    """A short code for this hall; it namespaces query codes."""
    timezone: TimeZone = "Asia/Shanghai"
    """The local time zone; the business day and all shown times use it."""
    rollover_hour: int = Field(3, ge=0, le=23)
    """Local hour at which a new business day begins and ticket numbers restart (0-23)."""


class Department(ConfigModel):
    code: Code
    """Short English code used on the command line (e.g. ``xfj``)."""
    name: Text
    """The Chinese name staff and visitors see."""
    prefix: Prefix
    """Ticket prefix: tickets of this department are numbered prefix + 3 digits (R001)."""
    description: str = ""
    """What this department receives; shown in the desk's picker."""


class Window(ConfigModel):
    number: int = Field(ge=1, le=999)
    """The number painted over the window; the board calls visitors to it."""
    label: str = ""
    """An optional label (e.g. 律师咨询席); defaults to 「N号窗口」."""
    departments: list[Code] = Field(min_length=1)
    """Department codes this window serves; a window may serve several."""

    @property
    def title(self) -> str:
        """The label, or 「N号窗口」."""
        return self.label or f"{self.number}号窗口"


class District(ConfigModel):
    code: Code
    """Short code of the district (属地)."""
    name: Text
    """Chinese name of the district."""


class Category(ConfigModel):
    code: Code
    """Short code of the request category (诉求类别)."""
    name: Text
    """Chinese name shown in the desk's picker."""
    department: Code
    """The department this category routes to by default."""
    district_overrides: dict[Code, Code] = {}
    """Per-district routing: district code -> department code, overriding ``department``."""
    description: str = ""
    """Examples of matters in this category; shown in the picker."""
    confidential: bool = False
    """A confidential matter (检举控告 and other reports against officials): its visits show
    their details only to the department it routes to and to managers; everyone else sees
    「保密事项」 and the date."""


class PriorityGroup(ConfigModel):
    code: Code
    """Short code (used by ``hall issue --priority``)."""
    name: Text
    """Chinese name shown at the desk and the windows."""
    min_age: int | None = Field(None, ge=1, le=150)
    """When set, a visitor this old or older (age from the ID number) joins the group by itself."""


class CollectiveRules(ConfigModel):
    threshold: int = Field(5, ge=2)
    """From this many people a visit is collective (集体访) and needs representatives."""
    max_representatives: int = Field(5, ge=1)
    """The most representatives a collective visit may name."""


class Staff(ConfigModel):
    login: Code
    """The login given to ``--staff``; the audit log records it."""
    name: Text
    """Full name."""
    role: Literal["admin", "manager", "desk", "window", "leader", "lawyer", "kiosk", "board"]
    """What this person (or machine) does: admin (管理员: accounts, audit log), manager (中心领导:
    everything), desk (登记员), window (窗口: their department's windows), leader and lawyer
    (领导, 律师: their own reception room), kiosk (自助机: issue and status only), board (叫号屏:
    the board only). The table of who may do what is in hall/accounts/permissions.py."""
    department: Code | None = None
    """The department this person belongs to, if any."""
    departments: list[Code] = []
    """Further departments this person serves (a window clerk covering two departments)."""

    @property
    def all_departments(self) -> list[str]:
        """``department`` then ``departments``, without repeats."""
        first = [self.department] if self.department else []
        return list(dict.fromkeys([*first, *self.departments]))


class AccountSettings(ConfigModel):
    lock_after: int = Field(5, ge=1, le=100)
    """Wrong passwords in a row that lock an account."""
    lock_minutes: int = Field(15, ge=1, le=10080)
    """How long a locked account stays locked (an administrator may unlock it sooner)."""
    idle_lock_minutes: int = Field(10, ge=1, le=1440)
    """A staff screen untouched this long locks and asks for the password again."""


class TicketSettings(ConfigModel):
    output_dir: str = "tickets"
    """Folder where the desk saves ticket images; relative paths are under the data directory."""
    image_format: Literal["png", "svg"] = "png"
    """Format the desk's save key writes."""
    qr_template: str = "{code}"
    """Text carried by the QR code; ``{code}`` is the query code, e.g. https://x.gov.cn/q/{code}."""
    printer: PrinterSettings = Field(default_factory=PrinterSettings)
    """The desk's receipt printer and when it prints (config/printer.py); none: save only."""


class Outcome(ConfigModel):
    code: Code
    """Short code (used by ``hall finish --outcome``)."""
    name: Text
    """The 办理方式 as staff and the visitor's file show it."""
    refusal: bool = False
    """A refusal (不予受理, 不再受理): finishing needs the reason and the proper channel."""
    opens_case: bool = False
    """Finishing a visit with this outcome opens a case (信访事项) that the hall follows to its
    close (立案交办, 转送, 协调处理, 摘报反映)."""
    outside_unit: bool = False
    """The case goes to a unit outside the hall (转送): the window names it in free text."""


STANDARD_OUTCOMES = (
    ("answered", "当场答复", False, False), ("phone", "电话联系", False, False),
    ("notice", "出具告知单", False, False), ("forward", "出具转送单", False, True),
    ("filed", "立案交办", False, True), ("coordinate", "协调处理", False, True),
    ("report", "摘报反映", False, True), ("rejected", "不予受理", True, False),
    ("closed", "不再受理", True, False))
"""The 办理方式 of the national regulation (code, name, refusal, opens a case), used when a
configuration lists none; 转送 (``forward``) goes to an outside unit."""


def standard_outcomes() -> list[Outcome]:
    """:data:`STANDARD_OUTCOMES` as outcomes (built when a configuration needs them)."""
    return [Outcome(code=c, name=n, refusal=r, opens_case=o, outside_unit=c == "forward")
            for c, n, r, o in STANDARD_OUTCOMES]


class CallRules(ConfigModel):
    no_show_after_recalls: int = Field(2, ge=0)
    """A window may mark a no-show (过号) after this many recalls ..."""
    no_show_after_minutes: int = Field(5, ge=0)
    """... or this many minutes after the call, whichever comes first."""


LETTER_READINGS = {
    "A": "诶", "B": "必", "C": "西", "D": "迪", "E": "伊", "F": "艾弗", "G": "吉", "H": "艾尺",
    "I": "艾", "J": "杰", "K": "开", "L": "艾勒", "M": "艾姆", "N": "恩", "O": "欧", "P": "批",
    "Q": "丘", "R": "阿尔", "S": "艾丝", "T": "提", "U": "优", "V": "维", "W": "达布留",
    "X": "艾克斯", "Y": "歪", "Z": "贼德",
}
"""How the voice reads the letters of a ticket number: the usual Chinese readings of the Latin
letters, each made of syllables espeak-ng's Mandarin voices say cleanly (a bare "L" comes out as
"ai-l", "F" as "ai-f")."""


def _letter(value: str) -> str:
    if not re.fullmatch(r"[A-Z]", value):
        raise ValueError(f"应为一个大写英文字母，实际为“{value}”")
    return value


class BoardSettings(ConfigModel):
    announce_template: str = "请 {number} 号 到 {window} 号窗口"
    """What the board shows and speaks; ``{number}`` and ``{window}`` are filled in."""
    read_numbers_in_chinese: bool = True
    """Speak R007 as 「阿尔零零七」 and window 5 as 「五」, not as an English number."""
    letter_readings: dict[Annotated[str, AfterValidator(_letter)], Text] = LETTER_READINGS
    """What the voice says for each letter of a ticket number (``L: 艾勒``); a letter not listed
    is handed to the speech command as it is. Only the ones given replace the defaults."""
    recall_prefix: str = "重呼"
    """Shown before a recall on the board."""
    recall_spoken: str = "再次呼叫"
    """Said before a recall (espeak-ng reads the 重 of 重呼 as zhòng); empty: nothing."""
    min_display_seconds: float = Field(3.0, ge=0, le=60)
    """Each call stays large on the board at least this long, and until its words are spoken;
    calls made meanwhile wait their turn."""
    speech_command: list[str] = ["espeak-ng", "-v", "cmn-latn-pinyin", "{text}"]
    """The offline speech command; ``{text}`` is replaced; empty list: bell and flash only. It
    has failed when it exits non-zero or prints an error (espeak-ng without a sound device)."""
    speech_timeout_seconds: float = Field(15.0, gt=0)
    """A speech command running longer than this is stopped; the queue moves on."""
    recent_calls: int = Field(8, ge=1, le=30)
    """How many recent calls the board lists."""

    @field_validator("letter_readings", mode="after")
    @classmethod
    def _over_defaults(cls, value: dict[str, str]) -> dict[str, str]:
        return {**LETTER_READINGS, **value}


class HallConfig(ConfigModel):
    hall: HallInfo
    """The hall itself."""
    departments: list[Department] = Field(min_length=1)
    """The departments receiving visitors in the hall."""
    windows: list[Window] = Field(min_length=1)
    """The service windows and the departments each serves."""
    districts: list[District] = Field(min_length=1)
    """The districts (属地) of the city."""
    categories: list[Category] = Field(min_length=1)
    """Request categories (诉求类别) and their routing."""
    priority_groups: list[PriorityGroup] = []
    """Priority groups, highest first; everyone else queues after them."""
    collective: CollectiveRules = Field(default_factory=CollectiveRules)
    """Collective-visit rules."""
    time_limits: TimeLimits = Field(default_factory=TimeLimits)
    """Statutory time limits, as data, and how their days are counted."""
    cases: CaseSettings = Field(default_factory=CaseSettings)
    """Cases (信访事项): the number's format, the documents' seal line, channels, follow-up ways."""
    staff: list[Staff] = []
    """The staff roster: seeds the accounts the first time a database is used (from then on the
    database holds them: ``hall staff``)."""
    accounts: AccountSettings = Field(default_factory=AccountSettings)
    """Signing in: how many wrong passwords lock an account, for how long, and the idle lock."""
    tickets: TicketSettings = Field(default_factory=TicketSettings)
    """Ticket images and the QR payload."""
    outcomes: list[Outcome] = Field(default_factory=standard_outcomes, min_length=1)
    """What a window may record when it finishes a visit (办理方式), in the order offered."""
    calls: CallRules = Field(default_factory=CallRules)
    """Rules for calling, recalling and no-shows."""
    board: BoardSettings = Field(default_factory=BoardSettings)
    """The hall board and its announcements."""
    leaders: list[Leader] = []
    """Leaders (and duty lawyers) who receive on reception days, with their standing rules."""
    leader_settings: LeaderSettings = Field(default_factory=LeaderSettings)
    """How reception days are published and who may queue without a booking."""
    incidents: IncidentSettings = Field(default_factory=standard_incidents)
    """Special situations (特殊情况): the types, their severity and recommended actions."""
    terminal: TerminalSettings = TerminalSettings()
    """The staff terminals' theme and remapped keys (see config/terminal.py)."""
    status_page: StatusPageSettings = Field(default_factory=StatusPageSettings)
    """The public status page behind the ticket's QR code (see config/status_page.py)."""

    _dept: dict[str, Department] = PrivateAttr(default_factory=dict)
    _cat: dict[str, Category] = PrivateAttr(default_factory=dict)
    _district: dict[str, District] = PrivateAttr(default_factory=dict)
    _group: dict[str, PriorityGroup] = PrivateAttr(default_factory=dict)
    _staff: dict[str, Staff] = PrivateAttr(default_factory=dict)
    _outcome: dict[str, Outcome] = PrivateAttr(default_factory=dict)
    _window: dict[int, Window] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        self._dept.update((d.code, d) for d in self.departments)
        self._cat.update((c.code, c) for c in self.categories)
        self._district.update((d.code, d) for d in self.districts)
        self._group.update((g.code, g) for g in self.priority_groups)
        self._staff.update((s.login, s) for s in self.staff)
        self._outcome.update((o.code, o) for o in self.outcomes)
        self._window.update((w.number, w) for w in self.windows)

    def outcome(self, code: str) -> Outcome | None:
        """The outcome (办理方式) with that code, or None."""
        return self._outcome.get(code)

    def window(self, number: int) -> Window | None:
        """The window with that number, or None."""
        return self._window.get(number)

    def department(self, code: str) -> Department | None:
        """The department with that code, or None."""
        return self._dept.get(code)

    def category(self, code: str) -> Category | None:
        """The category with that code, or None."""
        return self._cat.get(code)

    def district(self, code: str) -> District | None:
        """The district with that code, or None."""
        return self._district.get(code)

    def priority_group(self, code: str) -> PriorityGroup | None:
        """The priority group with that code, or None."""
        return self._group.get(code)

    def staff_member(self, login: str) -> Staff | None:
        """The staff member with that login, or None."""
        return self._staff.get(login)

    def windows_for(self, department: str) -> list[Window]:
        """The windows serving a department, by number."""
        return sorted((w for w in self.windows if department in w.departments),
                      key=lambda w: w.number)

    def leader(self, code: str) -> Leader | None:
        """The leader (or lawyer) with that code, or None."""
        return next((x for x in self.leaders if x.code == code), None)

    def department_by_prefix(self, prefix: str) -> Department | None:
        """The department whose tickets carry that prefix, or None."""
        return next((d for d in self.departments if d.prefix == prefix), None)


Path = KeyPath  # the name the sections' problem helpers used first


def cross_reference_problems(cfg: HallConfig) -> list[tuple[Path, str, str | None]]:
    """What refers to something that is not there, or is defined twice.

    Returns (key path, message, did-you-mean candidate or None) triples; the loader adds the file
    and line. The candidate is the nearest valid code, if any is close.
    """
    problems: list[Problem] = []
    depts = [d.code for d in cfg.departments]
    districts = [d.code for d in cfg.districts]

    def duplicates(section: str, key: str, values: list[object], what: str) -> None:
        seen: dict[object, int] = {}
        for i, value in enumerate(values):
            if value in seen:
                problems.append(((section, i, key),
                                 f"{what}“{value}”与 {section}[{seen[value]}] 重复", None))
            else:
                seen[value] = i

    duplicates("departments", "code", depts, "部门代码")
    duplicates("departments", "prefix", [d.prefix for d in cfg.departments], "票号前缀")
    duplicates("windows", "number", [w.number for w in cfg.windows], "窗口号")
    duplicates("districts", "code", districts, "属地代码")
    duplicates("categories", "code", [c.code for c in cfg.categories], "诉求类别代码")
    duplicates("priority_groups", "code", [g.code for g in cfg.priority_groups], "优先类别代码")
    duplicates("staff", "login", [s.login for s in cfg.staff], "工作人员登录名")
    duplicates("outcomes", "code", [o.code for o in cfg.outcomes], "办理方式代码")
    for i, w in enumerate(cfg.windows):
        for j, code in enumerate(w.departments):
            if code not in depts:
                problems.append(unknown(("windows", i, "departments", j), "部门", code, depts))
    served = {code for w in cfg.windows for code in w.departments}
    for i, d in enumerate(cfg.departments):
        if d.code not in served:
            problems.append((("departments", i, "code"),
                             f"部门“{d.name}”没有任何窗口接待：请在 windows 中为它指定窗口", None))
    for i, c in enumerate(cfg.categories):
        if c.department not in depts:
            problems.append(unknown(("categories", i, "department"), "部门", c.department, depts))
        for district, dept in c.district_overrides.items():
            path: KeyPath = ("categories", i, "district_overrides", district)
            if district not in districts:
                problems.append(unknown(path, "属地", district, districts))
            if dept not in depts:
                problems.append(unknown(path, "部门", dept, depts))
    for i, s in enumerate(cfg.staff):
        if s.department is not None and s.department not in depts:
            problems.append(unknown(("staff", i, "department"), "部门", s.department, depts))
    if cfg.collective.max_representatives > cfg.collective.threshold:
        problems.append((("collective", "max_representatives"),
                         f"代表人数上限（{cfg.collective.max_representatives}）不应超过集体访起始"
                         f"人数（{cfg.collective.threshold}）", None))
    try:
        cfg.tickets.qr_template.format(code="X", number="R001", date=date(2000, 1, 1))
    except (KeyError, IndexError, ValueError):
        problems.append((("tickets", "qr_template"),
                         "模板中只能使用 {code}、{number}、{date} 占位符", None))
    try:
        cfg.board.announce_template.format(number="R001", window=1)
    except (KeyError, IndexError, ValueError):
        problems.append((("board", "announce_template"),
                         "模板中只能使用 {number}、{window} 占位符", None))
    problems += leader_problems(cfg)
    problems += incident_problems(cfg.incidents)
    problems += terminal_problems(cfg.terminal)
    problems += printer_problems(cfg.tickets.printer)
    return problems
