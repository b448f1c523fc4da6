"""The vdir on a CalDAV server: vdirsyncer syncs it to Radicale, deletions included (product 9).

Radicale (a CalDAV server) runs on 127.0.0.1 on a free port with a throwaway storage folder;
vdirsyncer syncs the vdir to it with the configuration README gives. Both come from the test
extra; without them this test is skipped, except under CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import base64
import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import Result

from tests.conftest import Invoke, WriteFile
from tests.test_khal import CATALOG, PROFILE_FLAGS, TODAY

USER = "usce"
AUTH = {"Authorization": "Basic " + base64.b64encode(f"{USER}:secret".encode()).decode()}
CONFIG = """\
[general]
status_path = "{status}"

[pair usce_calendar]
a = "usce_local"
b = "usce_remote"
collections = null
conflict_resolution = "a wins"

[storage usce_local]
type = "filesystem"
path = "{vdir}"
fileext = ".ics"

[storage usce_remote]
type = "caldav"
url = "{url}"
username = "{user}"
password = "secret"
"""
Server = tuple[int, Path]


def program(name: str) -> str:
    """Return the path of a tool installed beside this Python, or skip (fail under CI)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {name} is not installed: pip install -e '.[test]'")
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def request(port: int, method: str, path: str, body: str = "") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body.encode(), headers=AUTH)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[Server]:
    """Start Radicale on a free port with a temporary storage folder; stop it afterwards."""
    program("radicale")
    storage = tmp_path / "radicale"
    port = free_port()
    command = [
        sys.executable, "-m", "radicale", "--hosts", f"127.0.0.1:{port}",
        "--storage-filesystem-folder", str(storage), "--auth-type", "none",
        "--rights-type", "owner_only", "--logging-level", "warning",
    ]  # fmt: skip
    log = (tmp_path / "radicale.log").open("wb")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"Radicale did not start: {(tmp_path / 'radicale.log').read_text()}"
                    )
                time.sleep(0.1)
        yield port, storage
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def server_uids(port: int) -> set[str]:
    """Return the UIDs in the server's calendar, fetched over HTTP."""
    status, body = request(port, "GET", f"/{USER}/usce/")
    assert status == 200, body
    return {str(c["UID"]) for c in Calendar.from_ical(body).subcomponents if "UID" in c}


def test_vdirsyncer_carries_a_removed_rotation_off_the_server(
    radicale: Server, invoke: Invoke, write_catalog: WriteFile, tmp_path: Path
) -> None:
    port, _ = radicale
    vdirsyncer = program("vdirsyncer")
    status, body = request(port, "MKCOL", f"/{USER}/", "")
    assert status in (201, 405), body  # the user's home: made now, or there already
    mkcalendar = (
        '<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" '
        'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>'
        "<D:displayname>USCE plan</D:displayname></D:prop></D:set></C:mkcalendar>"
    )
    status, body = request(port, "MKCALENDAR", f"/{USER}/usce/", mkcalendar)
    assert status == 201, body
    vdir = tmp_path / "calendars" / "usce"
    vdir.mkdir(parents=True)
    config = tmp_path / "vdirsyncer.conf"
    config.write_text(
        CONFIG.format(
            status=tmp_path / "vdirsyncer-status",
            vdir=vdir,
            url=f"http://127.0.0.1:{port}/{USER}/usce/",
            user=USER,
        ),
        encoding="utf-8",
    )
    home = tmp_path / "sync-home"
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config")}

    def sync(*args: str) -> None:
        done = subprocess.run(
            [vdirsyncer, "--config", str(config), *args],
            capture_output=True, text=True, env=env, timeout=120, check=False, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert done.returncode == 0, f"vdirsyncer {' '.join(args)}: {done.stdout}{done.stderr}"

    catalog = write_catalog(CATALOG)

    def usce(*args: str, today: str = TODAY) -> Result:
        result = invoke([*args, "--today", today, "--only-catalog", "--catalog", str(catalog)])
        assert result.exit_code in (0, 3), result.output
        return result

    usce("profile", "init", *PROFILE_FLAGS)
    usce("plan", "add", "mon", "--start", "2027-03-01")
    usce("plan", "add", "later", "--start", "2027-10-04")
    usce("export", "--vdir", str(vdir))
    sync("discover")
    sync("sync")
    local = {
        str(Calendar.from_ical(p.read_bytes()).subcomponents[0]["UID"]) for p in vdir.iterdir()
    }
    assert any(uid.startswith("later.2027-10-04.") for uid in local)
    assert server_uids(port) == local

    usce("plan", "remove", "later@2027-10-04")
    usce("export", "--vdir", str(vdir))
    sync("sync")
    remaining = server_uids(port)
    assert remaining == {uid for uid in local if not uid.startswith("later.2027-10-04.")}
    assert remaining
