"""Command-line interface of skimgclf, installed as the ``skimgclf`` script.

Only the argument parser is built at import time; the ``compare``
subcommand imports TensorFlow, Keras and matplotlib when it runs.
"""

import argparse
import sys
import warnings

from skimgclf import __version__
from skimgclf._cli._compare import CompareError, add_compare_parser, run_compare

PROGRAM = "skimgclf"


def build_parser():
    """Build the parser of the ``skimgclf`` command and its subcommands.

    Returns
    -------
    parser : argparse.ArgumentParser
        The top-level parser; each subcommand stores its handler under
        ``handler``.
    """
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description="Image classification with scikit-learn pipelines.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(title="commands", dest="command", required=True)
    compare = add_compare_parser(subparsers)
    compare.set_defaults(handler=run_compare)
    return parser


def main(argv=None):
    """Run the ``skimgclf`` command line.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments without the program name. None reads ``sys.argv[1:]``.

    Returns
    -------
    status : int
        0 on success, 2 when the input is invalid (argparse's usage errors
        exit with 2 as well).
    """
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(argv)
    command = f"{PROGRAM} {args.command}"

    def show_warning(message, category, filename, lineno, file=None, line=None):
        # One line per warning, so that warnings read like the error lines.
        text = " ".join(str(message).split())
        print(f"{command}: warning: {text}", file=sys.stderr)

    with warnings.catch_warnings():
        warnings.showwarning = show_warning
        try:
            args.handler(args)
        except CompareError as exc:
            print(f"{command}: error: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print(f"{command}: interrupted", file=sys.stderr)
            return 130
    return 0
