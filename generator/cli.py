"""The `stackpick` command line: new, recommend, update, add, remove, diff, web.

main(argv) -> exit code; every user mistake is one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import prompts
from ._jinja import REPO_ROOT
from .change import Outcome, change_features, diff_project
from .errors import InvalidAnswer, StackpickError
from .questionnaire import Answers, by_name, complete, parse_data
from .recommend import RECOMMENDATION_INPUTS, recommend
from .render import (
    default_template,
    has_uncommitted_changes,
    local_template,
    preview,
    refuse_non_empty,
    render,
    tree,
)
from .report import changes_since_commit, next_steps
from .update import conflicted_files, update

DATA_HELP = (
    "answer a question: key=value (repeatable; lists comma-separated: features=admin,accounts)"
)
EDIT_HELP = "change an answer: key=value, or for features +item / -item (features=+admin)"
DEFAULT_WEB_PORT = 8765
UNCOMMITTED_TEMPLATE = (
    "The template has uncommitted changes: the project records a commit only this render had, "
    "so update, add, remove and diff need the template committed and _commit set to that commit."
)


class _Parser(argparse.ArgumentParser):
    """Usage mistakes are user mistakes too: one line, exit 2."""

    def error(self, message: str) -> Any:
        raise StackpickError(f"{message} (see '{self.prog} --help')")


Commands = Any  # argparse's private _SubParsersAction


def _data(command: argparse.ArgumentParser, help_text: str = DATA_HELP) -> None:
    command.add_argument(
        "-d", "--data", action="append", default=[], metavar="KEY=VALUE", help=help_text
    )


def _no_lock(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--no-lock", dest="lock", action="store_false", help="do not write uv.lock (uv lock)"
    )


def _project(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--project", type=Path, default=Path("."), metavar="DIR", help="default: this folder"
    )


def _add_new(commands: Commands) -> None:
    new = commands.add_parser("new", help="render a starter into DEST")
    new.add_argument("destination", metavar="DEST", type=Path, help="a new or empty folder")
    _data(new)
    new.add_argument(
        "--defaults", action="store_true", help="take defaults for every question not answered"
    )
    new.add_argument(
        "--keep-existing",
        action="store_true",
        help="in a non-empty DEST, add only the files that are not there; keep every existing one",
    )
    new.add_argument(
        "--dry-run",
        action="store_true",
        help="print the recommendation and the files it would write; write nothing",
    )
    new.add_argument("--template", help="template path or git URL (default: this checkout)")
    _no_lock(new)
    new.add_argument(
        "--vcs-ref",
        help="git ref to render (default: a local checkout as is; a remote's latest tag)",
    )


def _add_update(commands: Commands) -> None:
    refresh = commands.add_parser(
        "update", help="bring a generated project to a newer template, keeping your edits"
    )
    refresh.add_argument("project", nargs="?", type=Path, default=Path("."), metavar="PROJECT")
    _data(refresh)
    refresh.add_argument("--vcs-ref", help="template version to update to (default: latest tag)")
    _no_lock(refresh)


def _add_feature_commands(commands: Commands) -> None:
    for name, verb in (("add", "add"), ("remove", "remove")):
        command = commands.add_parser(
            name, help=f"{verb} features in a generated project, keeping your edits"
        )
        command.add_argument("features", nargs="*", metavar="FEATURE")
        _project(command)
        _no_lock(command)


def _add_diff(commands: Commands) -> None:
    diff = commands.add_parser(
        "diff", help="show what changed answers would change in a project; touch nothing"
    )
    _project(diff)
    _data(diff, EDIT_HELP)


def _add_web(commands: Commands) -> None:
    web = commands.add_parser("web", help="the questionnaire as a local web page")
    web.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1 (this machine only)")
    web.add_argument(
        "--port",
        type=int,
        default=DEFAULT_WEB_PORT,
        help=f"default: {DEFAULT_WEB_PORT}, or a free one when it is taken; 0 picks a free one",
    )


def _add_recommend(commands: Commands) -> None:
    advise = commands.add_parser("recommend", help="show the recommended framework and why")
    _data(advise)
    advise.add_argument("--json", action="store_true", help="print JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="stackpick", description="Start a Python web service on the right stack.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for add in (_add_new, _add_update, _add_feature_commands, _add_diff, _add_web, _add_recommend):
        add(commands)
    return parser


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
    if args.dry_run:
        return _dry_run(args, source, answers, vcs_ref)
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
    if local and vcs_ref == "HEAD" and has_uncommitted_changes(local):
        print(UNCOMMITTED_TEMPLATE)
    print("Next: read its README.md (install, migrate, run, test).")
    return 0


def _dry_run(args: argparse.Namespace, source: str, answers: Answers, vcs_ref: str | None) -> int:
    files = preview(source, answers, vcs_ref=vcs_ref)
    destination = args.destination.expanduser().resolve()
    if destination.is_dir() and any(destination.iterdir()) and not args.keep_existing:
        refuse_non_empty(destination, set(files))
    print(prompts.describe(recommend(answers)))
    print(f"Framework: {answers['framework']}")
    if args.lock:
        files = sorted([*files, "uv.lock"])
    print(f"Would write {len(files)} files (dry run: nothing was written):")
    print(tree(str(destination), files))
    return 0


def run_update(args: argparse.Namespace) -> int:
    updated = update(args.project, _given(args.data), vcs_ref=args.vcs_ref, lock=args.lock)
    project = updated.project
    for note in updated.notes:
        print(note)
    changes = changes_since_commit(project)
    for line in changes.lines():
        print(line)
    conflicts = conflicted_files(project)
    print(f"Updated {project}; review the changes with git diff before committing.")
    if conflicts:
        print(f"Resolve the conflict markers (<<<<<<< before updating) in: {', '.join(conflicts)}")
    for step in next_steps(project, changes):
        print(f"Next: {step}")
    return 0


def _print_outcome(outcome: Outcome) -> None:
    print(f"Features of {outcome.project}: {', '.join(outcome.features) or 'none'}")
    for line in outcome.changes.lines() or ["No file changed."]:
        print(line)
    for note in outcome.notes:
        print(note)
    if outcome.conflicts:
        print(
            "Resolve the conflict markers (<<<<<<< before updating) in: "
            + ", ".join(outcome.conflicts)
        )
    for step in outcome.next_steps:
        print(f"Next: {step}")
    print("Review the changes with git diff before committing.")


def run_add(args: argparse.Namespace) -> int:
    _print_outcome(change_features(args.project, args.features, adding=True, lock=args.lock))
    return 0


def run_remove(args: argparse.Namespace) -> int:
    _print_outcome(change_features(args.project, args.features, adding=False, lock=args.lock))
    return 0


def run_diff(args: argparse.Namespace) -> int:
    shown = diff_project(args.project, args.data)
    sys.stdout.write(shown or "No file would change.\n")
    return 0


def run_web(args: argparse.Namespace) -> int:
    from .web import serve

    serve(host=args.host, port=args.port)
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": run_new,
    "update": run_update,
    "add": run_add,
    "remove": run_remove,
    "diff": run_diff,
    "web": run_web,
    "recommend": run_recommend,
}


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
