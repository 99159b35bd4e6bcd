"""The hall's terminal screens (Textual): one module per role, each with its .tcss beside it.

:class:`screens.app.HallApp` is the application; ``main.make_app`` builds it. Screens talk to the
hall only through the :class:`hall.facade.Hall` facade, from thread workers.
"""
