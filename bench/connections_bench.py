"""Concurrent meter sockets one edge listener process holds, and its memory (target: 10,000 under 1 GB RSS).

Run: .venv/bin/python -m bench.connections_bench [--steps 1000,5000,10000] [--clients 2]

Starts moto (SQS) and `python -m edge_listener` on free 127.0.0.1 ports, then client processes open
sockets in steps; each socket sends one real push frame (simulator encoding, its own serial number) and
stays idle. After each step: sockets the edge process holds (its open fds), meters it identified (the
`online` records it put on the FRAMES queue), and its RSS read from /proc/<pid>/status.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import select
import socket
import tempfile
import time
from contextlib import ExitStack
from multiprocessing.connection import Connection
from pathlib import Path

from bench.harness import (
    PushFrames,
    cpu_seconds,
    free_port,
    open_fds,
    raise_nofile,
    rss_mib,
    start_edge,
    start_moto,
    stop,
)
from chalicelib.adapters.queues import ensure_queue, queue_url, sqs_client
from local.aws import point_boto3_at

FRAMES, COMMANDS = "bench-frames", "bench-commands"


def client(pipe: Connection, port: int, first: int) -> None:
    """A client process: opens sockets on request, each sends one push; answers how many are still open."""
    raise_nofile()
    frames, failed = PushFrames(), 0
    socks: list[socket.socket] = []
    while True:
        command, target = pipe.recv()
        if command == "open":
            started = time.monotonic()
            while len(socks) < target:
                try:
                    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
                    sock.sendall(frames.frame(f"{first + len(socks):011d}"))
                    socks.append(sock)
                except OSError:
                    failed += 1
                    if failed > 100:
                        break
            pipe.send((len(socks), failed, time.monotonic() - started))
        elif command == "check":  # a socket the edge closed turns readable (EOF)
            poller = select.poll()
            for sock in socks:
                poller.register(sock, select.POLLIN | select.POLLHUP | select.POLLERR)
            pipe.send(len(socks) - len(poller.poll(0)))
        else:
            for sock in socks:
                sock.close()
            pipe.send(0)
            return


def close_client(pipe: Connection) -> None:
    pipe.send(("close", 0))
    pipe.recv()


def drain_online(counts: dict[str, int]) -> None:
    """Take every FRAMES message off the queue, counting records by type."""
    url = queue_url(FRAMES)
    while messages := sqs_client().receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                                   WaitTimeSeconds=1).get("Messages", []):
        for message in messages:
            for record in json.loads(message["Body"])["frames"]:
                counts[record["type"]] = counts.get(record["type"], 0) + 1
        sqs_client().delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default="1000,5000,10000", help="connection counts to measure at")
    parser.add_argument("--clients", type=int, default=2, help="client processes sharing the sockets")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds to wait before each measurement")
    args = parser.parse_args()
    steps = [int(s) for s in args.steps.split(",")]
    limit = raise_nofile()
    if max(steps) // args.clients + 100 > limit or max(steps) + 100 > limit:
        raise SystemExit(f"open-files limit {limit} is too low for {max(steps)} sockets; raise the hard limit")
    ctx = mp.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="hes-bench-") as tmp, ExitStack() as running:
        aws_port, edge_port = free_port(), free_port()
        running.callback(stop, start_moto(aws_port, Path(tmp) / "moto.log"))
        point_boto3_at(aws_port)
        for name in (FRAMES, COMMANDS):
            ensure_queue(name)
        edge = start_edge(edge_port, aws_port, FRAMES, COMMANDS, Path(tmp) / "edge.log")
        running.callback(stop, edge)
        time.sleep(1)
        base_fds, base_rss = open_fds(edge.pid), rss_mib(edge.pid)
        pipes = []
        for n in range(args.clients):
            ours, theirs = ctx.Pipe()
            proc = ctx.Process(target=client, args=(theirs, edge_port, 4_390_000_000 + n * 1_000_000), daemon=True)
            proc.start()
            running.callback(proc.join, 10)
            running.callback(close_client, ours)
            pipes.append(ours)
        print(f"edge listener pid {edge.pid}: {base_rss:.0f} MiB RSS with no meters; open-files limit {limit}; "
              f"{args.clients} client processes; {os.cpu_count()}-core machine, "
              f"load average {os.getloadavg()[0]:.1f}\n")
        print(f"{'sockets':>8} {'held':>7} {'identified':>10} {'open s':>7} {'RSS MiB':>8} {'peak MiB':>9} "
              f"{'KiB/socket':>10} {'edge CPU s':>10}")
        counts: dict[str, int] = {}
        for target in steps:
            for pipe in pipes:
                pipe.send(("open", target // args.clients))
            replies = [pipe.recv() for pipe in pipes]
            deadline = time.monotonic() + 30
            while open_fds(edge.pid) - base_fds < target and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(args.settle)
            drain_online(counts)
            held, rss = open_fds(edge.pid) - base_fds, rss_mib(edge.pid)
            print(f"{target:>8,} {held:>7,} {counts.get('online', 0):>10,} {max(r[2] for r in replies):>7.1f} "
                  f"{rss:>8.0f} {rss_mib(edge.pid, 'VmHWM'):>9.0f} {(rss - base_rss) * 1024 / max(held, 1):>10.1f} "
                  f"{cpu_seconds(edge.pid):>10.1f}", flush=True)
            if any(r[1] for r in replies):
                print(f"         failed connects: {sum(r[1] for r in replies)}")
        for pipe in pipes:
            pipe.send(("check", 0))
        still = sum(pipe.recv() for pipe in pipes)
        print(f"\nstill open after the last step: {still:,} of {sum(r[0] for r in replies):,} sockets; "
              f"records on FRAMES: {counts}")
        rss = rss_mib(edge.pid)
        verdict = "met" if held >= 10_000 and rss < 1024 else "NOT met (or not measured at 10,000)"
        print(f"target 10,000 sockets under 1 GB RSS: {verdict} ({held:,} held at {rss:.0f} MiB)")


if __name__ == "__main__":
    main()
