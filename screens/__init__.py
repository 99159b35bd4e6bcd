"""The hall's terminal screens (Textual): one package per role, each with its screen, .tcss,
widgets and dialogs.

    screens/app.py        HallApp: who works, one Textual mode per role (built by main.make_app)
    screens/work.py       the one worker idiom (a facade call in a thread -> Done / Failed message)
                          and the one change-counter poller
    screens/launcher/     the launcher (the roles the signed-in person may open), signing in
                          (login and password, a one-time password changed, the first admin)
    screens/desk/         registration desk: form, visitor file, queue panel, ticket
    screens/window/       reception window: current visit, waiting list, its dialogs
    screens/board/        hall board: call banner, recent calls, queue counts
    screens/leaders/      leaders' reception days: calendar, day form, rules, roster
    screens/incidents/    special situations: list, timeline, F12 form, the alert watch
    screens/widgets/      widgets several roles share (big digits, cells, picker, top bar)
    screens/dialogs/      dialogs several roles share (form, reason, notice, booking, idle lock)

Screens talk to the hall only through the :class:`hall.Hall` facade, from thread workers, and
never touch its database handle; they never import models/.
"""
