"""Run the synchronous engine off a channel's event loop, on a small bounded worker pool the adapters share, so one
user's slow turn (or a wait on the database lock) never stalls the others."""
from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor

ENGINE_WORKERS = 4
ENGINE_POOL = ThreadPoolExecutor(max_workers=ENGINE_WORKERS, thread_name_prefix="engine")


def thread_bound(store) -> bool:
    """True for a store whose SQLite connection only works on the thread that made it (an in-memory test store):
    the engine is then called on the event loop's thread instead of the worker pool."""
    db = getattr(store, "db", None)
    return bool(getattr(db, "memory", False)) and not getattr(db, "memory_name", None)


class EngineRunner:
    """Mixed into an adapter: `await self.engine(fn, ...)` runs one call into the assistant on the worker pool."""

    inline_engine = False

    async def engine(self, fn, *args, **kwargs):
        """Run one synchronous call into the assistant (or its store) in the bounded worker pool."""
        if self.inline_engine:
            return fn(*args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(ENGINE_POOL, functools.partial(fn, *args, **kwargs))
