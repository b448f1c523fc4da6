"""Entry point: answers ``--version`` before importing the command-line framework."""

import sys


def main() -> None:
    """Run the ``usce`` command."""
    if sys.argv[1:] == ["--version"]:
        from usce_planner import __version__

        sys.stdout.write(f"usce {__version__}\n")
        return
    from usce_planner.cli import run

    run()


if __name__ == "__main__":
    main()
