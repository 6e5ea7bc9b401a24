"""A TCP proxy that can hold back the upstream's answers (a slow service, on demand)."""

from __future__ import annotations

import asyncio
import contextlib


class DelayProxy:
    """Forwards connections to `target_port`; answers wait `delay` seconds per chunk.

    Requests pass at once, so the upstream does its work (and commits) on time; only its
    answer arrives late, which is what a caller's timeout cannot tell from a lost request.
    """

    def __init__(self, listen_port: int, target_port: int, host: str = "127.0.0.1") -> None:
        self.host = host
        self.listen_port = listen_port
        self.target_port = target_port
        self.delay = 0.0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Listen on `listen_port`."""
        self._server = await asyncio.start_server(self._accept, self.host, self.listen_port)

    async def stop(self) -> None:
        """Stop listening and cut every open connection."""
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(self.host, self.target_port)
        except OSError:
            writer.transport.abort()  # the upstream is down: reset, as a dead host would
            return
        pipes = [
            asyncio.create_task(self._pipe(reader, up_writer, delayed=False)),
            asyncio.create_task(self._pipe(up_reader, writer, delayed=True)),
        ]
        self._tasks.update(pipes)
        try:
            await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in pipes:
                task.cancel()
                self._tasks.discard(task)
            for w in (writer, up_writer):
                w.transport.abort()

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, delayed: bool
    ) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while chunk := await reader.read(65536):
                if delayed and self.delay > 0:
                    await asyncio.sleep(self.delay)
                writer.write(chunk)
                await writer.drain()
