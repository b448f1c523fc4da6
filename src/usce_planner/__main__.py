"""Entry point: answers ``--version`` before importing the command-line framework."""

import gc
import sys


def main() -> None:
    """Run the ``usce`` command."""
    if sys.argv[1:] == ["--version"]:
        from usce_planner import __version__

        sys.stdout.write(f"usce {__version__}\n")
        return
    # A run lasts a second and frees everything at exit; the cyclic collector would only keep
    # re-scanning the tens of thousands of objects a large catalog makes (a third of the time).
    gc.disable()
    from usce_planner.cli import run

    run()


if __name__ == "__main__":
    main()
