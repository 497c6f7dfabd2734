"""Django's cached_db sessions, read in the same cache round trip as the request's stamps.

Every signed-in request reads its session and, soon after, the stamps
(`redbridge_portal.stamps`); asking the cache for both at once saves a round trip on each
page. Writing, expiry and the database copy are cached_db's own.
"""

from django.contrib.sessions.backends import cached_db

from redbridge_portal import stamps


class SessionStore(cached_db.SessionStore):
    def load(self):
        if not stamps.wanted():
            return super().load()
        key = self.cache_key
        try:
            found = self._cache.get_many([key, *stamps.KEYS])
        except Exception:  # as cached_db: a key the cache refuses is a missing session
            return super().load()
        stamps.prime(found)
        data = found.get(key)
        # Not in the cache: cached_db reads it from the database (and asks the cache once more).
        return super().load() if data is None else data
