"""Entry point: answers ``--version`` before importing the command-line framework."""

import gc
import os
import sys
import types


def main() -> None:
    """Run the ``usce`` command."""
    if sys.argv[1:] == ["--version"]:
        from usce_planner import __version__

        sys.stdout.write(f"usce {__version__}\n")
        return
    # A run lasts a second and frees everything at exit; the cyclic collector would only keep
    # re-scanning the tens of thousands of objects a large catalog makes (a third of the time).
    gc.disable()
    _without_pydantic_plugins()
    from usce_planner.cli import run
    from usce_planner.cli.output import start_holding_until_exit

    start_holding_until_exit()  # exit_now ends the process: nothing need be freed before
    try:
        run()
    except SystemExit as done:
        exit_now(done.code)
    exit_now(0)


def _without_pydantic_plugins() -> None:
    """Run no pydantic plugins, and spare each run the search for them.

    A plugin installed beside usce would see every profile validated, and usce is private.
    The search reads the metadata of every installed package (importlib.metadata alone costs
    a fiftieth of a second); pydantic imports its loader only when it first builds a
    validator, so a loader that finds nothing, put in its place first, is the one it uses.
    """
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"  # pydantic's own switch, as a backstop
    loader = types.ModuleType("pydantic.plugin._loader")
    loader.get_plugins = lambda: ()  # type: ignore[attr-defined]
    sys.modules.setdefault("pydantic.plugin._loader", loader)


def exit_now(code: object) -> None:
    """End the process with ``code`` as ``sys.exit`` would, without freeing the heap first.

    Every file the command writes is complete and closed when it returns, and what is left in
    the output buffers is flushed here. The interpreter's own teardown, which frees what a run
    made object by object, took a twentieth of a second after checking 10,000 programs.
    """
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        sys.stderr.write(f"{code}\n")
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away, or a stream already closed
            status = status or 1
    os._exit(status)


if __name__ == "__main__":
    main()
