"""The registration desk (登记台): register a visit, issue its numbered ticket, the visitor's file.

    ticket = hall.desk.issue(Registration(name="张三", id_number="11010519491231002X",
                                          category="wages", matter="工地拖欠工资三个月"),
                             actor="desk01")
    hall.desk.visitor_file("11010519491231002X", viewer="desk01")  # 一人一档, audited
    hall.desk.save_file(Registration(...), actor="desk01")  # the file alone, no ticket
    hall.desk.ticket_status("R001")                 # today's R001, or a query code (查询码)

:mod:`hall.desk.registration` holds the form and its rules (validation, routing, priority),
:mod:`hall.desk.codes` the query codes, :mod:`hall.desk.desk` the acts (:class:`Desk`). The
package itself exports only the form: other contexts validate with it (leaders' check-in,
incidents' form errors), so importing it must not pull in the desk's acts and their views.
"""

from __future__ import annotations

from hall.desk.registration import CleanRegistration, FormError, Registration

__all__ = ["CleanRegistration", "FormError", "Registration"]
