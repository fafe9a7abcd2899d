"""File events for `mkdocs serve` on a big archive, instead of polling it.

MkDocs' dev server polls every watched folder twice a second (watchdog's PollingObserver,
one `stat` per file per poll, in the server's own process). At 10,000 briefings, docs/ and
raw/ hold ~28,000 files: ~0.45 s of every 0.5 s interval spent holding the interpreter, which
slows the very rebuild the reader is waiting for (edit-to-visible 4.8 s, 3.7 s without raw/).

`EventRelay` watches those folders with the operating system's file events (watchdog's
native observer: inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows) and
answers each event by bumping a marker file in a folder of its own, the only thing MkDocs
still polls; its poll of one file costs nothing. Only MkDocs' public `watch` / `unwatch` are
used. A folder the native observer cannot watch (inotify's watch limit, a network mount)
stays with MkDocs' polling, as before. No MkDocs import here.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
import time

from watchdog.events import EVENT_TYPE_CLOSED_NO_WRITE, EVENT_TYPE_OPENED, FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

log = logging.getLogger("mkdocs.plugins.briefings")

MARKER = "changed"


class EventRelay(FileSystemEventHandler):
    """Native watches of some folders, relayed to a marker file that MkDocs polls."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="briefings-serve-")
        self.marker = os.path.join(self.folder, MARKER)
        with open(self.marker, "w", encoding="utf-8") as handle:
            handle.write("0\n")
        self._observer = Observer()
        self._lock = threading.Lock()
        self._last_ns = 0

    def watch(self, paths: list[str]) -> list[str]:
        """Watch these folders natively; returns those it could not (leave them to polling)."""
        refused = []
        for path in paths:
            try:
                self._observer.schedule(self, path, recursive=True)
            except OSError as error:  # e.g. inotify's max_user_watches reached
                log.info("watching %s by polling (%s)", path, error)
                refused.append(path)
        return refused

    def start(self) -> None:
        self._observer.start()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type in (EVENT_TYPE_OPENED, EVENT_TYPE_CLOSED_NO_WRITE):
            return  # reading a file (the build itself does) changes nothing
        with self._lock:
            # A strictly newer mtime on each bump: the poller compares mtimes, and two bumps in
            # one tick of the file system's clock would otherwise look like one unchanged file.
            self._last_ns = max(time.time_ns(), self._last_ns + 1_000)
            try:
                os.utime(self.marker, ns=(self._last_ns, self._last_ns))
            except OSError:
                pass  # the marker folder went away (shutdown)

    def stop(self) -> None:
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout=5)
        shutil.rmtree(self.folder, ignore_errors=True)


def relay_big_folders(server, folders: list[str], *, already_watched: list[str]) -> EventRelay | None:
    """Move `folders` from MkDocs' polling to native events on `server` (a LiveReloadServer).

    `already_watched` are the folders MkDocs itself watches among them (docs_dir): unwatched
    once their native watch is in place. Returns the running relay, or None when no folder
    could be watched natively (everything then stays polled, as MkDocs does by default).
    """
    relay = EventRelay()
    refused = set(relay.watch(folders))
    native = [path for path in folders if path not in refused]
    if not native:
        relay.stop()
        for path in folders:
            if path not in already_watched:
                server.watch(path)
        return None
    relay.start()
    server.watch(relay.folder)
    for path in folders:
        if path in refused and path not in already_watched:
            server.watch(path)
        elif path in native and path in already_watched:
            server.unwatch(path)
    return relay
