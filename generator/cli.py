"""`stackpick new DEST` and `stackpick recommend`: main(argv) -> exit code."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import prompts
from ._jinja import REPO_ROOT
from .errors import InvalidAnswer, StackpickError
from .questionnaire import Answers, by_name, complete, parse_data
from .recommend import RECOMMENDATION_INPUTS, recommend
from .render import default_template, local_template, render
from .update import conflicted_files, update

DATA_HELP = (
    "answer a question: key=value (repeatable; lists comma-separated: features=admin,accounts)"
)


class _Parser(argparse.ArgumentParser):
    """Usage mistakes are user mistakes too: one line, exit 2."""

    def error(self, message: str) -> Any:
        raise StackpickError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="stackpick", description="Start a Python web service on the right stack.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    new = commands.add_parser("new", help="render a starter into DEST")
    new.add_argument("destination", metavar="DEST", type=Path, help="a new or empty folder")
    new.add_argument(
        "-d", "--data", action="append", default=[], metavar="KEY=VALUE", help=DATA_HELP
    )
    new.add_argument(
        "--defaults", action="store_true", help="take defaults for every question not answered"
    )
    new.add_argument(
        "--keep-existing",
        action="store_true",
        help="in a non-empty DEST, add only the files that are not there; keep every existing one",
    )
    new.add_argument("--template", help="template path or git URL (default: this checkout)")
    _add_no_lock(new)
    new.add_argument(
        "--vcs-ref",
        help="git ref to render (default: a local checkout as is; a remote's latest tag)",
    )

    refresh = commands.add_parser(
        "update", help="bring a generated project to a newer template, keeping your edits"
    )
    refresh.add_argument("project", nargs="?", type=Path, default=Path("."), metavar="PROJECT")
    refresh.add_argument(
        "-d", "--data", action="append", default=[], metavar="KEY=VALUE", help=DATA_HELP
    )
    refresh.add_argument("--vcs-ref", help="template version to update to (default: latest tag)")
    _add_no_lock(refresh)

    advise = commands.add_parser("recommend", help="show the recommended framework and why")
    advise.add_argument(
        "-d", "--data", action="append", default=[], metavar="KEY=VALUE", help=DATA_HELP
    )
    advise.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _add_no_lock(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--no-lock", dest="lock", action="store_false", help="do not write uv.lock (uv lock)"
    )


def _given(pairs: list[str], template: Path = REPO_ROOT) -> Answers:
    given = parse_data(pairs, template)
    questions = by_name(template)
    for name, value in given.items():
        problem = questions[name].problem_with(value, given)
        if problem:
            raise InvalidAnswer(problem)
    return given


def run_recommend(args: argparse.Namespace) -> int:
    answers = complete(_given(args.data))
    recommendation = recommend({name: answers[name] for name in RECOMMENDATION_INPUTS})
    if args.json:
        print(json.dumps(recommendation.as_json(), indent=2))
    else:
        print(prompts.describe(recommendation))
    return 0


def _interactive(args: argparse.Namespace) -> bool:
    return not args.defaults and sys.stdin.isatty() and sys.stdout.isatty()


def run_new(args: argparse.Namespace) -> int:
    local = local_template(args.template or str(default_template()))
    # Copier records the source as given; an absolute path keeps `copier update` working.
    source = str(local) if local else args.template
    template = local or REPO_ROOT
    given = _given(args.data, template)
    answers = prompts.ask(given, template) if _interactive(args) else given
    answers = complete(answers, template)
    # A local checkout renders as it is; a remote template renders its latest release tag.
    vcs_ref = args.vcs_ref or ("HEAD" if local else None)
    rendered = render(
        source,
        args.destination,
        answers,
        vcs_ref=vcs_ref,
        keep_existing=args.keep_existing,
        lock=args.lock,
    )
    print(f"Rendered a {answers['framework']} starter into {rendered.destination}")
    if rendered.kept:
        print(f"Kept your existing files as they were: {', '.join(rendered.kept)}")
    if rendered.lock_problem:
        print(rendered.lock_problem)
    print("Next: read its README.md (install, migrate, run, test).")
    return 0


def run_update(args: argparse.Namespace) -> int:
    updated = update(args.project, _given(args.data), vcs_ref=args.vcs_ref, lock=args.lock)
    project = updated.project
    for note in updated.notes:
        print(note)
    conflicts = conflicted_files(project)
    print(f"Updated {project}; review the changes with git diff before committing.")
    if conflicts:
        print(f"Resolve the conflict markers (<<<<<<< before updating) in: {', '.join(conflicts)}")
    return 0


HANDLERS = {"new": run_new, "update": run_update, "recommend": run_recommend}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return HANDLERS[args.command](args)
    except StackpickError as error:
        print(f"stackpick: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("stackpick: cancelled", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
