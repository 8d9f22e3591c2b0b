"""A TCP proxy for fault tests, in front of PostgreSQL or Redis.

``close()`` refuses new connections and drops the open ones (a crashed or restarted server);
``stall()`` keeps every connection open and accepts new ones but forwards nothing, in either
direction (a frozen server or a partition); ``restore()`` ends either fault."""

import socket
import threading
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FaultProxy:
    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = free_port()
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener = None
        self.stalled = threading.Event()
        self.restore()

    def restore(self):
        self.stalled.clear()
        if self.listener is None:
            listener = socket.socket()
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", self.port))
            listener.listen(64)
            self.listener = listener
            threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stall(self):
        self.stalled.set()

    def close(self):
        self.stalled.clear()
        if self.listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone leaves it open.
            try:
                self.listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.listener.close()
            self.listener = None
        with self.lock:
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self.sockets.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client):
        while self.stalled.is_set():
            time.sleep(0.05)
        try:
            server = socket.create_connection(self.upstream)
        except OSError:
            client.close()
            return
        with self.lock:
            self.sockets += [client, server]
        for source, target in [(client, server), (server, client)]:
            threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source, target):
        try:
            while data := source.recv(65536):
                while self.stalled.is_set():
                    time.sleep(0.05)
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
