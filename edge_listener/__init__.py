"""The always-on socket service meters dial: transport, framing, sessions, frames to the queue."""
