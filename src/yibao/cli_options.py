"""What every `yibao` command's options share: help that shows each default, `--version`, and `--tz`."""

from __future__ import annotations

import argparse
import os
from importlib import metadata

from yibao import platform_clock

FLAG_ACTIONS = (
    argparse._StoreTrueAction,
    argparse._StoreFalseAction,
    argparse._StoreConstAction,
    argparse._CountAction,
    argparse._HelpAction,
    argparse._VersionAction,
    argparse._SubParsersAction,
)


class DefaultsHelpFormatter(argparse.HelpFormatter):
    """Each option's help ends with its default, unless the help already says it (most do, in words that say
    more than the value: "default: beside the SQLite file"). A switch (store_true and the like) has none: off
    unless given."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if text == argparse.SUPPRESS or isinstance(action, FLAG_ACTIONS) or not action.option_strings:
            return text
        if "default" in text.lower():
            return text
        shown = describe_default(action.default)
        return f"{text} (default: {shown})" if text else f"(default: {shown})"


def describe_default(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value) or "none"
    if value == "":
        return "empty"
    return str(value).replace("%", "%%")


def use_defaults_help(parser: argparse.ArgumentParser) -> None:
    """The formatter on `parser` and every subcommand's parser under it, however deep."""
    parser.formatter_class = DefaultsHelpFormatter
    for action in parser._actions:
        if action.option_strings and not action.help and not isinstance(action, FLAG_ACTIONS):
            action.help = f"(default: {describe_default(action.default)})"  # argparse shows no empty help
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                use_defaults_help(sub)


def version() -> str:
    try:
        return metadata.version("yibao-gateway")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def add_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"yibao {version()}")


def add_time_zone(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tz",
        default=os.environ.get(platform_clock.ENVIRONMENT) or platform_clock.DEFAULT_ZONE,
        metavar="ZONE",
        help="the platform's time zone, an IANA name: inf_time, visit and settlement dates are its local time "
        f"whatever the host's zone (default: ${platform_clock.ENVIRONMENT}, else {platform_clock.DEFAULT_ZONE}; "
        "docs/time-zone.md)",
    )


def apply_time_zone(args: argparse.Namespace) -> str | None:
    """Set the platform's zone from `--tz`; the error to print when it names none."""
    zone = getattr(args, "tz", None)
    if zone is None:
        return None
    try:
        platform_clock.set_zone(zone)
    except platform_clock.UnknownZone as e:
        return f"--tz: {e}"
    return None


def add_clock_offset(parser: argparse.ArgumentParser) -> None:
    """`--clock-offset`: the operator's way to move the whole server's clock (docs/time-zone.md)."""
    parser.add_argument(
        "--clock-offset",
        type=float,
        default=None,
        metavar="SECONDS",
        help="move the platform's clock this many seconds ahead (negative: behind) for every process of the serve, "
        "e.g. to clear a month before it is over; operators only, no call can change it (default: "
        f"${platform_clock.OFFSET_ENVIRONMENT}, else 0; docs/time-zone.md)",
    )


def apply_clock_offset(args: argparse.Namespace) -> str | None:
    """Move the platform's clock by `--clock-offset`; the error to print when it is no finite number."""
    seconds = getattr(args, "clock_offset", None)
    if seconds is None:
        return None
    if seconds != seconds or abs(seconds) > 100 * 366 * 86400:  # NaN, or beyond what a date can hold
        return f"--clock-offset: {seconds} is no number of seconds within a hundred years"
    platform_clock.set_offset(seconds)
    return None
