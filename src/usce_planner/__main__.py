"""Entry point: answers ``--version`` before importing the command-line framework."""

import os
import sys

from usce_planner import standard_streams


def main() -> None:
    """Run ``usce``; a failed standard stream ends it with ``Error:``, never a traceback."""
    standard_streams.install()
    try:
        code = _run()
        standard_streams.flush_output()
    except standard_streams.OutputFailed as exc:
        code = _fail(f"cannot write the output: {exc.reason}")
    except standard_streams.InputFailed as exc:
        code = _fail(f"cannot read the input: {exc.reason}")
    if code:
        sys.exit(code)


def _run() -> int | str | None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from usce_planner import __version__

        sys.stdout.write(f"usce {__version__}\n")
        return 0
    # usce is private: no pydantic plugin installed beside it should see a profile. This is
    # pydantic's own switch, and it also spares each run the search for plugins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from usce_planner.cli import run

    try:
        run()
    except SystemExit as exc:
        return exc.code
    return 0


def _fail(message: str) -> int:
    # The command's own messages come first; the error ends them.
    sys.stderr.write(f"Error: {message}\n")
    sys.stderr.flush()
    return 1


if __name__ == "__main__":
    main()
