"""The command line's manners (issue 21 item 8): --version, every option's default in its help, a quick bench
that says where its targets come from and what the machine is."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

import yibao.cli as cli
from yibao.cli_options import FLAG_ACTIONS, DefaultsHelpFormatter, describe_default, version
from yibao.simulators.load import bench
from yibao.simulators.load.bench_options import add_arguments as add_bench_arguments


def every_parser(monkeypatch: pytest.MonkeyPatch) -> list[argparse.ArgumentParser]:
    """The `yibao` parser and every subcommand's, as main builds them."""
    seen: list[argparse.ArgumentParser] = []
    original = cli.use_defaults_help

    def keep(parser: argparse.ArgumentParser) -> None:
        seen.append(parser)
        original(parser)

    monkeypatch.setattr(cli, "use_defaults_help", keep)
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    parsers, todo = [], list(seen)
    while todo:
        parser = todo.pop()
        parsers.append(parser)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                todo.extend(action.choices.values())
    return parsers


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        cli.main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == f"yibao {version()}"
    assert version() == "0.1.0"  # pyproject.toml's


def test_every_option_that_takes_a_value_shows_its_default(monkeypatch: pytest.MonkeyPatch) -> None:
    parsers = every_parser(monkeypatch)
    assert len(parsers) > 15  # yibao, serve, simulate, cert and its subcommands, bench, chaos
    missing = []
    for parser in parsers:
        assert parser.formatter_class is DefaultsHelpFormatter, parser.prog
        formatter = parser._get_formatter()
        text = parser.format_help()  # the help renders (no stray % in a default)
        for action in parser._actions:
            if not action.option_strings or isinstance(action, FLAG_ACTIONS) or action.help == argparse.SUPPRESS:
                continue
            shown = formatter._get_help_string(action)  # type: ignore[attr-defined]
            if "default" not in shown.lower():
                missing.append(f"{parser.prog} {action.option_strings[0]}")
        assert "usage:" in text
    assert missing == []


def test_serve_help_shows_host_port_threads_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--host HOST the address to listen on, gRPC and HTTP (default: 127.0.0.1)" in text
    assert "--port PORT gRPC (0: any free port) (default: 50051)" in text
    assert "(default: 16)" in text  # --threads
    assert "--tz ZONE" in text and "Asia/Shanghai" in text


def test_default_descriptions() -> None:
    assert describe_default(None) == "none"
    assert describe_default([]) == "none"
    assert describe_default([10000, 100000]) == "10000,100000"
    assert describe_default("50%") == "50%%"  # argparse formats help with %
    assert describe_default(0.5) == "0.5"


def bench_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_bench_arguments(parser)
    return parser.parse_args(list(argv))


def test_bench_is_quick_by_default_growth_only_with_rows() -> None:
    assert bench_args().rows == []
    assert bench_args("--rows", "10000,1e5").rows == [10000, 100000]


def test_growth_only_without_rows_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.bench(bench_args("--growth-only", "--dir", str(tmp_path))) == 2
    captured = capsys.readouterr()
    assert "yibao bench: --growth-only needs --rows, e.g. --rows 10000,100000" in captured.err
    assert list(tmp_path.iterdir()) == []  # its work folder is removed


def test_bench_header_says_the_machine_and_where_each_target_comes_from(tmp_path: Path) -> None:
    header = bench.Bench(bench_args(), tmp_path).header()
    assert "machine: " in header and " cores (" in header and "load average " in header
    for source in bench.TARGET_SOURCES.values():
        assert f"    - {source}\n" in header
    assert "issue 6: ≥ 150 complete outpatient visits/s" in header
    assert "growth run: off (the quick run; --rows 10000,100000 adds it)" in header
    assert "growth run: off" not in bench.Bench(bench_args("--rows", "10000"), tmp_path).header()


def test_a_verdict_names_its_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runner = bench.Bench(bench_args(), tmp_path)
    runner.verdict("  visits/s", 120.0, "visits", "≥", "{:.1f}")
    line = capsys.readouterr().out
    assert line.rstrip().endswith("target ≥ 150.0: MISSED (80% of the target; issue 6)")


def test_progress_goes_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runner = bench.Bench(bench_args(), tmp_path)
    runner.progress("visit against 127.0.0.1:1: 2 s warm-up, 10 s measured")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "run 0: visit against 127.0.0.1:1: 2 s warm-up, 10 s measured …" in captured.err
