"""``hall`` parses a line with a parser holding only the command given (building all ~70 costs a
kiosk's ``hall status`` about 10 ms), and with the whole parser when that fails: the oracle here
is the whole parser, which must agree on every command's help, on every parsed line and on every
refused one (the same message, the same exit status)."""

from __future__ import annotations

import argparse

import pytest

import main

LINES = [
    ["status", "R001"], ["--db", "x.db", "status", "R001", "--json"],
    ["status", "--db", "x.db", "R001"], ["--config=hall.yaml", "status", "R1"],
    ["issue", "--staff", "desk01", "--name", "李秀英", "--id-number", "1", "--category", "wages",
     "--matter", "工资"],
    ["window", "3"], ["--staff", "win01", "window"], ["desk"], ["board"], [],
    ["leader", "list"], ["leader-days"], ["leader-days", "plan", "--month", "2026-12"],
    ["incident", "log", "--type", "x", "--place", "p", "--note", "n"],
    ["call", "--window", "3", "--staff", "win03"], ["queue", "--json"], ["check-config"],
    ["--db", "status"],
]
REFUSED = [
    ["status"], ["stauts", "R001"], ["window", "three"], ["--staff"], ["--", "status", "R001"],
    ["leader-days", "list"], ["incident", "log"], ["status", "R001", "--bogus"], ["--bogus"],
    ["--sta", "board", "status", "R001", "extra"],
]


def commands() -> list[str]:
    sub = next(a for a in main.build_parser()._actions
               if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


def whole(argv: list[str]) -> dict[str, object]:
    args = vars(main.build_parser().parse_args(argv))
    return {"config": None, "db": None, "staff": None, **args}


@pytest.mark.parametrize("argv", LINES, ids=" ".join)
def test_a_line_parses_as_the_whole_parser_parses_it(argv: list[str]) -> None:
    assert vars(main.parse_args(argv)) == whole(argv)


@pytest.mark.parametrize("argv", REFUSED, ids=" ".join)
def test_a_refused_line_says_what_the_whole_parser_says(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ours:
        main.parse_args(argv)
    said = capsys.readouterr()
    with pytest.raises(SystemExit) as theirs:
        main.build_parser().parse_args(argv)
    assert (ours.value.code, said) == (theirs.value.code, capsys.readouterr())
    assert ours.value.code == 2


def test_every_command_has_the_same_help(capsys: pytest.CaptureFixture[str]) -> None:
    names = commands()
    assert {"status", "issue", "desk", "leader", "incident"} <= set(names)
    whole = main.build_parser()  # one for every command: --help changes nothing in it
    for name in names:
        for parse in (main.parse_args, whole.parse_args):
            with pytest.raises(SystemExit):
                parse([name, "--help"])
        ours, theirs = capsys.readouterr().out.split(f"usage: hall {name}", 2)[1:]
        assert ours == theirs, name
        assert main.command_in(["--db", "x", name, "--help"]) == name


def test_only_the_command_given_is_built() -> None:
    sub = next(a for a in main.build_parser(only="status")._actions
               if isinstance(a, argparse._SubParsersAction))
    assert list(sub.choices) == ["status"]


def test_each_module_registers_the_commands_listed_for_it() -> None:
    """``cli.COMMANDS`` (which module a command line imports) is what the modules register."""
    import cli

    for module in cli.modules():
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        module.register(sub, argparse.ArgumentParser(add_help=False))
        assert tuple(sub.choices) == cli.COMMANDS[module.__name__.removeprefix("cli.")]
    assert [m.__name__ for m in cli.modules("status")] == ["cli.desk"]
    assert cli.modules("desk") == cli.modules("stauts") == []  # a screen; a typo (the whole
    # parser answers it, test_a_refused_line_says_what_the_whole_parser_says)
