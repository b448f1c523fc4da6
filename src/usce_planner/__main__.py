"""Entry point: answers ``--version`` before importing the command-line framework."""

import os
import sys


def main() -> None:
    """Run the ``usce`` command."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        from usce_planner import __version__

        sys.stdout.write(f"usce {__version__}\n")
        return
    # usce is private: no pydantic plugin installed beside it should see a profile. This is
    # pydantic's own switch, and it also spares each run the search for plugins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from usce_planner.cli import run

    run()


if __name__ == "__main__":
    main()
