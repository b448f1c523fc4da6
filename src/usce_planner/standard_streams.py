"""stdin, stdout and stderr that fail the way section 1 says, for the entry point to install.

A reader that goes away (EPIPE) ends nothing: the rest of the output is dropped, so the command
still ends with the exit code it would have had. Any other failure to write stdout (a full disk,
a closed descriptor) raises ``OutputFailed`` once, which the entry point reports. stderr never
fails a command: its messages are dropped when they cannot be written, so a change saved while
stderr is closed still exits 0. A failure to read stdin raises ``InputFailed``.

Each stream writes straight to its descriptor, so nothing is left buffered in the interpreter's
own objects for its shutdown to trip over.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer


class StreamFailed(Exception):
    """A standard stream could not be used; ``reason`` says why (the system's words)."""

    def __init__(self, error: OSError) -> None:
        self.reason = error.strerror or str(error)
        super().__init__(self.reason)


class OutputFailed(StreamFailed):
    """stdout could not be written for a reason other than a reader that went away."""


class InputFailed(StreamFailed):
    """stdin could not be read."""


class _Descriptor(io.RawIOBase):
    """One standard descriptor, or none where it was closed when the process started."""

    def __init__(self, descriptor: int | None, failures: type[StreamFailed] | None) -> None:
        super().__init__()
        self._descriptor = descriptor
        self._failures = failures  # None: drop what cannot be written
        self.dropping = False

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        if self._descriptor is None:
            raise OSError(errno.EBADF, os.strerror(errno.EBADF))
        return self._descriptor

    def isatty(self) -> bool:
        return self._descriptor is not None and os.isatty(self._descriptor)

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        view = memoryview(buffer).cast("B")
        try:
            data = os.read(self.fileno(), len(view))
        except OSError as exc:
            raise InputFailed(exc) from None
        view[: len(data)] = data
        return len(data)

    def write(self, data: ReadableBuffer, /) -> int:
        size = memoryview(data).nbytes
        if self.dropping:
            return size
        try:
            return os.write(self.fileno(), data)
        except OSError as exc:
            # Whatever happens, the rest is dropped: the failure is reported once, and the
            # interpreter's last flush at exit finds nothing to trip over.
            self.dropping = True
            if self._failures is None or exc.errno == errno.EPIPE:
                return size
            raise self._failures(exc) from None


def install() -> None:
    """Replace the interpreter's standard streams with ones that fail as section 1 says."""
    sys.stdout = _text(sys.stdout, 1, OutputFailed, line_buffering=False)
    sys.stderr = _text(sys.stderr, 2, None, line_buffering=True)
    sys.stdin = _reader(sys.stdin)


def flush_output() -> None:
    """Write out what stdout still holds; raise OutputFailed when it cannot be written."""
    sys.stdout.flush()


def _text(
    stream: TextIO | None,
    descriptor: int,
    failures: type[StreamFailed] | None,
    line_buffering: bool,
) -> TextIO:
    # A descriptor closed at start-up leaves the stream None; its number may belong to a file
    # opened later, so it is never written to.
    raw = _Descriptor(descriptor if _is_open(stream) else None, failures)
    return io.TextIOWrapper(
        io.BufferedWriter(raw),
        encoding=getattr(stream, "encoding", None) or "utf-8",
        errors=getattr(stream, "errors", None) or "strict",
        line_buffering=line_buffering or bool(getattr(stream, "line_buffering", False)),
    )


def _reader(stream: TextIO | None) -> TextIO:
    if not _is_open(stream):
        return io.StringIO("")  # a closed stdin reads as one that has ended
    raw = _Descriptor(0, InputFailed)
    return io.TextIOWrapper(
        io.BufferedReader(raw),
        encoding=getattr(stream, "encoding", None) or "utf-8",
        errors=getattr(stream, "errors", None) or "strict",
    )


def _is_open(stream: TextIO | None) -> bool:
    return stream is not None and not stream.closed
