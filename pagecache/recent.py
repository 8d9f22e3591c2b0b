"""The cache entries a process read or wrote lately, kept in its own memory."""

import pickle
import threading
from collections import OrderedDict
from typing import Any


class RecentEntries:
    """The entries this process read or wrote lately, so that a request need not ask the shared
    cache again for what it already holds: a request still reads the versions from the shared
    cache, and an entry here counts only when fresh under them, so it can never be more
    current here than there. Entries are kept pickled, so no two requests share an object,
    and the least recently used go first once they take more than ``max_bytes``.

    ``shared()`` is for readers that never change what they get (the WSGI fast path sends a
    stored page's bytes): one object per stored version, unpickled once, its memory counted
    within ``max_bytes`` too."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._shared: dict[str, tuple[bytes, Any]] = {}
        self._size = 0
        self._lock = threading.Lock()

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        with self._lock:
            found = {}
            for key in keys:
                data = self._entries.get(key)
                if data is not None:
                    self._entries.move_to_end(key)
                    found[key] = data
        return {key: pickle.loads(data) for key, data in found.items()}

    def shared(self, key: str) -> Any:
        """The entry under ``key`` as one object every caller shares: not to be changed."""
        with self._lock:
            data = self._entries.get(key)
            if data is None:
                return None
            self._entries.move_to_end(key)
            kept = self._shared.get(key)
            if kept is not None and kept[0] is data:
                return kept[1]
        value = pickle.loads(data)
        with self._lock:
            if self._entries.get(key) is data and key not in self._shared:
                self._shared[key] = (data, value)
                self._size += len(data)
                self._evict()
        return value

    def set_many(self, entries: dict[str, Any]) -> None:
        pickled = {
            key: pickle.dumps(entry, pickle.HIGHEST_PROTOCOL) for key, entry in entries.items()
        }
        with self._lock:
            for key, data in pickled.items():
                self._forget(key)  # even when the new version is too big to keep
                if self._cost(key, data) > self.max_bytes:
                    continue
                self._size += self._cost(key, data)
                self._entries[key] = data
            self._evict()

    def _evict(self) -> None:
        while self._size > self.max_bytes and self._entries:
            self._forget(next(iter(self._entries)))

    def _forget(self, key: str) -> None:
        data = self._entries.pop(key, None)
        if data is not None:
            self._size -= self._cost(key, data)
        if (kept := self._shared.pop(key, None)) is not None:
            self._size -= len(kept[0])

    @staticmethod
    def _cost(key: str, data: bytes) -> int:
        """The memory an entry takes: its bytes, its key and about 200 bytes of bookkeeping."""
        return len(data) + len(key) + 200

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._shared.clear()
            self._size = 0
