"""Errors a channel raises when it cannot start, turned into a clear message and exit status by the command line."""


class ChannelSetupError(RuntimeError):
    """A channel cannot start: a missing or rejected token, or settings it needs are absent."""
