"""The preview server's front door: connections wait here, costing a file descriptor and no thread, until
their request head has arrived whole; then a bounded pool of threads answers them.

Python's ThreadingHTTPServer starts a thread per connection as it is accepted, so 300 clients that open a
connection and send nothing (or one byte now and then) hold 300 threads for as long as they like. Here one
thread reads every waiting connection's head without blocking; a head not complete within HEAD_SECONDS is
dropped, and at most WAITING connections wait at once (the oldest is dropped for a new one). A complete
request goes to one of WORKERS threads; an event stream, which stays open by design, gets a thread of its
own, at most STREAMS of them.
"""
from __future__ import annotations

import io
import logging
import queue
import selectors
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

HEAD_SECONDS = 10.0  # longest a client may take to send its request line and headers
IO_SECONDS = 30.0  # longest a read or write of an answered request may block
HEAD_BYTES = 70_000  # a head this long goes to the handler as it is (which answers 414/431)
WAITING = 512  # most connections waiting for their head at once (each holds a file descriptor)
WORKERS = 16  # threads that answer requests
STREAMS = 256  # most event streams open at once (each holds a thread while the page is open)

Answer = Callable[[socket.socket, tuple, bytes], None]  # answer(connection, address, head bytes read)


@dataclass
class _Waiting:
    sock: socket.socket
    address: tuple
    since: float
    head: bytearray = field(default_factory=bytearray)


class _Prefixed(io.RawIOBase):
    """A socket's input with the bytes already read in front of it."""

    def __init__(self, head: bytes, sock: socket.socket):
        self.head, self.sock = memoryview(head), sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.head:
            count = min(len(buffer), len(self.head))
            buffer[:count] = self.head[:count]
            self.head = self.head[count:]
            return count
        return self.sock.recv_into(buffer)


def reader(head: bytes, sock: socket.socket) -> io.BufferedReader:
    """A file to read the request from, as StreamRequestHandler makes one, with `head` in front."""
    return io.BufferedReader(_Prefixed(head, sock))


class Doorway:
    """Collects each accepted connection's request head in one thread, then has `answer` run on it in a
    bounded pool (or, for a request whose path starts with `stream_path`, in a thread of its own)."""

    def __init__(self, answer: Answer, stream_path: str):
        self.answer, self.stream_mark = answer, f" {stream_path}".encode()
        self.incoming: queue.SimpleQueue[_Waiting | None] = queue.SimpleQueue()
        self.wake_read, self.wake_write = socket.socketpair()
        self.wake_read.setblocking(False)
        self.wake_write.setblocking(False)
        self.pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="coursegen-serve")
        self.streams = threading.BoundedSemaphore(STREAMS)
        self.thread = threading.Thread(target=self._run, name="coursegen-doorway", daemon=True)
        self.thread.start()

    def admit(self, sock: socket.socket, address: tuple) -> None:
        """Take a newly accepted connection (from the server's accepting thread)."""
        self.incoming.put(_Waiting(sock, address, time.monotonic()))
        self._wake()

    def close(self) -> None:
        self.incoming.put(None)
        self._wake()
        self.thread.join(5)
        self.pool.shutdown(wait=False, cancel_futures=True)

    def _wake(self) -> None:
        try:
            self.wake_write.send(b"x")
        except OSError:  # the wake-up buffer is full: the doorway is awake anyway
            pass

    def _run(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self.wake_read, selectors.EVENT_READ)
        waiting: dict[socket.socket, _Waiting] = {}  # in the order they came
        try:
            while self._take_incoming(selector, waiting):
                for key, _ in selector.select(timeout=1.0):
                    if key.fileobj is not self.wake_read:
                        self._read(selector, waiting, waiting[key.fileobj])  # type: ignore[index]
                self._drop_late(selector, waiting)
        finally:
            for entry in list(waiting.values()):
                self._drop(selector, waiting, entry)
            selector.close()
            self.wake_read.close()
            self.wake_write.close()

    def _take_incoming(self, selector: selectors.BaseSelector, waiting: dict[socket.socket, _Waiting]) -> bool:
        """Register new connections; False once close() was called."""
        try:
            self.wake_read.recv(4096)
        except BlockingIOError:
            pass
        while True:
            try:
                entry = self.incoming.get_nowait()
            except queue.Empty:
                return True
            if entry is None:
                return False
            if len(waiting) >= WAITING:
                self._drop(selector, waiting, next(iter(waiting.values())))
            entry.sock.setblocking(False)
            selector.register(entry.sock, selectors.EVENT_READ)
            waiting[entry.sock] = entry

    def _read(self, selector: selectors.BaseSelector, waiting: dict[socket.socket, _Waiting], entry: _Waiting) -> None:
        try:
            data = entry.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the client hung up before asking anything
            self._drop(selector, waiting, entry)
            return
        entry.head += data
        if b"\r\n\r\n" in entry.head or b"\n\n" in entry.head or len(entry.head) >= HEAD_BYTES:
            selector.unregister(entry.sock)
            del waiting[entry.sock]
            self._dispatch(entry)

    def _dispatch(self, entry: _Waiting) -> None:
        entry.sock.setblocking(True)
        entry.sock.settimeout(IO_SECONDS)
        head = bytes(entry.head)
        if self.stream_mark in head.split(b"\n", 1)[0]:
            if self.streams.acquire(blocking=False):
                threading.Thread(target=self._stream, args=(entry.sock, entry.address, head), daemon=True).start()
                return
            entry.sock.sendall(b"HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 5\r\n\r\n")
            entry.sock.close()
            return
        self.pool.submit(self.answer, entry.sock, entry.address, head)

    def _stream(self, sock: socket.socket, address: tuple, head: bytes) -> None:
        try:
            self.answer(sock, address, head)
        finally:
            self.streams.release()

    def _drop_late(self, selector: selectors.BaseSelector, waiting: dict[socket.socket, _Waiting]) -> None:
        deadline = time.monotonic() - HEAD_SECONDS
        for entry in [e for e in waiting.values() if e.since < deadline]:
            self._drop(selector, waiting, entry)

    @staticmethod
    def _drop(selector: selectors.BaseSelector, waiting: dict[socket.socket, _Waiting], entry: _Waiting) -> None:
        selector.unregister(entry.sock)
        del waiting[entry.sock]
        entry.sock.close()
