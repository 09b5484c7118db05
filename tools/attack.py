#!/usr/bin/env python3
"""Courier attack run: plays the hostile and broken clients of issue 8 against the fat jar.

Each attack starts its own broker (java -jar target/courier.jar broker --port 0, the JVM options
of src/main/resources/dev/courier/bench/broker-jvm.options, a fresh temporary data_dir unless the
attack needs a shared one), talks to it over 127.0.0.1 only, prints what the broker did, and stops
every process it started. It changes nothing in the project.

    python3 tools/attack.py                 # every attack
    python3 tools/attack.py names order     # some of them
    python3 tools/attack.py --list

It reports figures, not verdicts: read them against docs/PROTOCOL.md and docs/STORAGE.md.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "target", "courier.jar")
JVM_OPTIONS = os.path.join(ROOT, "src/main/resources/dev/courier/bench/broker-jvm.options")
LISTENING = re.compile(r"listening on 127\.0\.0\.1:(\d+)")


def say(text):
    print(text, flush=True)


# ---- the broker process ----

class Broker:
    def __init__(self, settings=None, data_dir=None, nofile=None, wait=True):
        self.own_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="courier-attack-")
        opts = open(JVM_OPTIONS).read().split()
        command = ["java", *opts, "-jar", JAR, "broker", "--port", "0", "--set", "data_dir=" + self.data_dir]
        for key, value in (settings or {}).items():
            command += ["--set", "%s=%s" % (key, value)]
        if nofile:
            command = ["prlimit", "--nofile=%d:%d" % (nofile, nofile), "--"] + command
        self.lines = []
        self.port = None
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        errors="replace")
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if wait and not self.ready.wait(60):
            raise RuntimeError("broker did not start: " + "\n".join(self.lines[-20:]))

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            match = LISTENING.search(line)
            if match and self.port is None:
                self.port = int(match.group(1))
                self.ready.set()
        self.ready.set()

    def exit_code(self, timeout=30):
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def rss_mib(self):
        try:
            with open("/proc/%d/status" % self.java_pid()) as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def java_pid(self):
        # Under prlimit the java process replaces prlimit (exec), so the pid is the same.
        return self.process.pid

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
        code = self.exit_code(60)
        if code is None:
            self.process.kill()
            code = self.exit_code(10)
        return code

    def kill9(self):
        self.process.kill()
        return self.exit_code(10)

    def grep(self, pattern):
        regex = re.compile(pattern)
        return [line for line in self.lines if regex.search(line)]

    def cleanup(self):
        if self.alive():
            self.stop()
        if self.own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)


# ---- frames ----

def frame(obj):
    return body_frame(json.dumps(obj, separators=(",", ":")).encode())


def body_frame(body):
    return struct.pack(">I", len(body)) + body


class Client:
    def __init__(self, port, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""
        self.frame_sizes = []

    def send(self, data):
        self.sock.sendall(data)

    def register(self, role, **fields):
        self.send(frame(dict(type="register", role=role, **fields)))

    def _fill(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                return False
            self.buffer += chunk
        return True

    def read(self, timeout=10):
        """The next frame as a dict; None when the broker closed the connection."""
        self.sock.settimeout(timeout)
        try:
            if not self._fill(4):
                return None
            length = struct.unpack(">I", self.buffer[:4])[0]
            if not self._fill(4 + length):
                return None
        except (ConnectionResetError, BrokenPipeError):
            return None
        body = self.buffer[4:4 + length]
        self.buffer = self.buffer[4 + length:]
        self.frame_sizes.append(length)
        return json.loads(body)

    def read_until(self, predicate, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            reply = self.read(max(0.1, deadline - time.time()))
            if reply is None or predicate(reply):
                return reply
        return None

    def closed(self, timeout=5):
        """True if the broker closes the connection within timeout (frames before it are skipped)."""
        deadline = time.time() + timeout
        try:
            while time.time() < deadline:
                if self.read(max(0.1, deadline - time.time())) is None:
                    return True
        except socket.timeout:
            return False
        return False

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def healthy_pair(port, topic="healthy"):
    """A producer publishes, a consumer gets and acks it: seconds taken, or an error text."""
    started = time.time()
    try:
        consumer = Client(port)
        consumer.register("consumer", topic=topic, group="g-" + str(int(started * 1000)), start="latest")
        producer = Client(port)
        producer.register("producer", topic=topic)
        # The consumer's register has no reply: prove it is in with a stats round trip.
        consumer.send(frame({"type": "stats"}))
        consumer.read_until(lambda f: f.get("type") == "stats_reply", 20)
        producer.send(frame({"type": "publish", "payload": "ping"}))
        ok = producer.read(20)
        message = consumer.read_until(lambda f: f.get("type") == "message", 20)
        if not ok or ok.get("type") != "ok" or not message:
            return "FAILED (ok=%s, message=%s)" % (ok, message)
        consumer.send(frame({"type": "ack", "id": message["id"]}))
        producer.close()
        consumer.close()
        return "works (%.2f s)" % (time.time() - started)
    except (OSError, ValueError) as e:
        return "FAILED (%s)" % e


def stats(port, **request):
    client = Client(port)
    topics = []
    reply = None
    after = None
    while True:
        ask = dict(type="stats", **request)
        if after:
            ask["after"] = after
        client.send(frame(ask))
        reply = client.read_until(lambda f: f.get("type") == "stats_reply", 20)
        if reply is None:
            break
        topics += reply.get("topics", [])
        after = reply.get("next")
        if not after:
            break
    client.close()
    return reply, topics


def topic_stats(port, name):
    for topic in stats(port)[1]:
        if topic["name"] == name:
            return topic
    return None


def dir_bytes(path):
    total = 0
    for base, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(base, f))
            except OSError:
                pass
    return total


# ---- the attacks, one per item of issue 8 ----

def attack_names():
    """1. Topic names . and .. must not pass the name rule nor escape their folder."""
    broker = Broker()
    try:
        producer = Client(broker.port)
        producer.register("producer")
        for name in [".", "..", ".hidden", "checkpoint", "messages", "groups"]:
            producer.send(frame({"type": "publish", "topic": name, "payload": "x"}))
            reply = producer.read()
            say("  publish to %-12r -> %s" % (name, reply.get("code", reply.get("type"))))
        say("  data_dir holds: %s" % sorted(os.listdir(broker.data_dir)))
        say("  healthy pair: " + healthy_pair(broker.port))
    finally:
        broker.cleanup()


def attack_unfinished_frames(connections=2000):
    """2. Connections that each hold an unfinished 1 MiB frame; a dribbler."""
    # Every attacker is 127.0.0.1 here: lift the per-address quota (1000 by default, which alone
    # stops one address) so that the frame budget is what is tried.
    broker = Broker({"frame_timeout_ms": 15000, "max_connections_per_address": connections + 100})
    held = []
    try:
        say("  broker RSS before: %.0f MiB" % broker.rss_mib())
        body = b"x" * (1 << 20)
        started = time.time()
        for i in range(connections):
            try:
                c = Client(broker.port)
                c.register("producer", topic="t")
                c.sock.setblocking(False)
                data = struct.pack(">I", len(body)) + body[:-1]
                try:
                    sent = c.sock.send(data)
                    while sent < len(data):
                        sent += c.sock.send(data[sent:])
                except BlockingIOError:
                    pass
                held.append(c)
            except OSError as e:
                say("  connection %d refused: %s" % (i, e))
                break
        say("  %d connections hold an unfinished 1 MiB frame (%.1f s to open)" % (len(held), time.time() - started))
        time.sleep(3)  # let the broker read what it will read; this is a measurement, not a test
        say("  broker RSS while held: %.0f MiB, alive: %s" % (broker.rss_mib(), broker.alive()))
        say("  healthy pair while held: " + healthy_pair(broker.port))
        dribbler = Client(broker.port)
        dribbler.register("producer")
        dribbler.send(struct.pack(">I", 100))
        dribble_start = time.time()
        closed = False
        while time.time() - dribble_start < 40:
            try:
                dribbler.sock.send(b"y")
            except OSError:
                closed = True
                break
            dribbler.sock.settimeout(1)
            try:
                data = dribbler.sock.recv(4096)
                if data == b"":
                    closed = True
                    break
                dribbler.buffer += data
            except socket.timeout:
                pass
        reply = dribbler.buffer[4:].decode(errors="replace") if dribbler.buffer else ""
        say("  dribbler (1 byte/s): closed=%s after %.0f s; broker said %s" % (closed, time.time() - dribble_start, reply))
        say("  broker RSS after the deadline: %.0f MiB" % broker.rss_mib())
        say("  " + "; ".join(broker.grep("frame_timeout|OutOfMemory")[:2]))
    finally:
        for c in held:
            c.close()
        broker.cleanup()


def attack_unread_replies():
    """3. Stats and history replies that are never read."""
    broker = Broker()
    try:
        producer = Client(broker.port)
        producer.register("producer")
        batch = b"".join(frame({"type": "publish", "topic": "t%d" % i, "payload": "x"}) for i in range(2000))
        producer.send(batch)
        for _ in range(2000):
            producer.read()
        reader = Client(broker.port)
        reader.send(frame({"type": "stats"}))
        reply = reader.read_until(lambda f: f.get("type") == "stats_reply")
        say("  2,000 topics: one stats reply is %d bytes, %d topics, next=%s" % (
            reader.frame_sizes[-1], len(reply.get("topics", [])), reply.get("next")))
        reader.close()
        rss = broker.rss_mib()
        hog = Client(broker.port)
        hog.sock.setblocking(False)
        request = frame({"type": "stats"}) * 20000
        sent = 0
        t0 = time.time()
        while sent < len(request) and time.time() - t0 < 10:
            try:
                sent += hog.sock.send(request[sent:])
            except BlockingIOError:
                time.sleep(0.05)
        time.sleep(2)
        say("  20,000 unread stats requests: %d of %d bytes taken by the broker in 10 s; RSS %.0f -> %.0f MiB" % (
            sent, len(request), rss, broker.rss_mib()))
        say("  healthy pair meanwhile: " + healthy_pair(broker.port))
        hog.close()
        big = Client(broker.port)
        big.register("producer", topic="big")
        payload = "p" * (512 * 1024)
        for _ in range(40):
            big.send(frame({"type": "publish", "payload": payload}))
        for _ in range(40):
            big.read(30)
        reader = Client(broker.port)
        reader.send(frame({"type": "history", "topic": "big", "limit": 1000}))
        reply = reader.read_until(lambda f: f.get("type") == "history_reply", 30)
        say("  history of 40 x 512 KiB: reply %d bytes (max_frame_bytes 1048576), %d messages, next_id=%s" % (
            reader.frame_sizes[-1], len(reply.get("messages", [])), reply.get("next_id")))
        reader.close()
        hogs = []
        for _ in range(3):
            h = Client(broker.port)
            h.sock.setblocking(False)
            try:
                h.sock.send(frame({"type": "history", "topic": "big", "limit": 1000}) * 100)
            except BlockingIOError:
                pass
            hogs.append(h)
        time.sleep(3)
        say("  300 unread history requests (3 unregistered connections): RSS %.0f MiB, alive %s" % (
            broker.rss_mib(), broker.alive()))
        say("  healthy pair after: " + healthy_pair(broker.port))
        say("  " + "; ".join(broker.grep("OutOfMemory|storage writer")[:2]))
        for h in hogs:
            h.close()
    finally:
        broker.cleanup()


def attack_descriptors(topics=6000, nofile=4096):
    """4. Every topic holding open files; creation cost; group memory."""
    broker = Broker(nofile=nofile)
    data_dir = broker.data_dir
    try:
        producer = Client(broker.port)
        producer.register("producer")
        t0 = time.time()
        mark = t0
        refused = {}
        for i in range(topics):
            producer.send(frame({"type": "publish", "topic": "t%d" % i, "payload": "x"}))
            reply = producer.read(30)
            if reply is None:
                say("  connection closed at topic %d" % i)
                break
            if reply.get("type") != "ok":
                refused[reply.get("code")] = refused.get(reply.get("code"), 0) + 1
            if (i + 1) % 1000 == 0:
                now = time.time()
                say("  topics %5d: %.2f s for the last thousand" % (i + 1, now - mark))
                mark = now
        say("  %d topics created in %.1f s with nofile=%d; refusals: %s" % (topics, time.time() - t0, nofile, refused))
        say("  open descriptors of the broker: %d" % len(os.listdir("/proc/%d/fd" % broker.java_pid())))
        say("  healthy pair: " + healthy_pair(broker.port))
        say("  stop exit code: %s" % broker.stop())
        again = Broker(data_dir=data_dir, nofile=nofile, wait=True)
        say("  restart with nofile=%d: %s" % (nofile, "listening" if again.port else "FAILED: " + " | ".join(again.lines[-3:])))
        if again.port:
            say("  healthy pair after restart: " + healthy_pair(again.port))
        again.stop()
    finally:
        broker.cleanup()
        shutil.rmtree(data_dir, ignore_errors=True)


def attack_order():
    """5. Pipelined good x3, bad, good: replies in publish order."""
    bads = {
        "invalid_name": {"type": "publish", "topic": "no spaces", "payload": "x"},
        "bad base64": {"type": "publish", "payload": "***", "encoding": "base64"},
        "payload not a string": {"type": "publish", "payload": 5},
        "missing payload": {"type": "publish"},
        "headers as an array": {"type": "publish", "payload": "x", "headers": []},
    }
    for storage in ["durable", "memory"]:
        broker = Broker({"storage": storage})
        try:
            for label, bad in bads.items():
                c = Client(broker.port)
                c.register("producer")
                good = frame({"type": "publish", "payload": "g"})
                c.send(good * 3 + frame(bad) + good)
                replies = [c.read() for _ in range(5)]
                say("  %-7s %-21s -> %s" % (storage, label, [r.get("code", r.get("type")) if r else None for r in replies]))
                c.close()
        finally:
            broker.cleanup()


def attack_pause_overshoot():
    """6. overflow=pause with max_topic_messages=1000 and pipelining producers."""
    broker = Broker({"max_topic_messages": 1000, "overflow": "pause"})
    try:
        producers = []
        for _ in range(3):
            p = Client(broker.port)
            p.register("producer", topic="full")
            p.sock.setblocking(False)
            data = frame({"type": "publish", "payload": "m"}) * 2000
            try:
                p.sock.send(data)
            except BlockingIOError:
                pass
            producers.append(p)
        time.sleep(3)
        topic = topic_stats(broker.port, "full")
        say("  3 producers x 2,000 pipelined, limit 1,000: retained %s" % (topic and topic["retained_messages"]))
    finally:
        broker.cleanup()


def attack_disk_limit(limit=1_000_000):
    """7. max_disk_bytes under pipelining."""
    broker = Broker({"max_disk_bytes": limit})
    try:
        c = Client(broker.port)
        c.register("producer", topic="disk")
        payload = "d" * 1000
        count = 2000
        c.send(frame({"type": "publish", "payload": payload}) * count)
        replies = [c.read(30) for _ in range(count)]
        kinds = [r.get("type") if r else None for r in replies]
        first_refusal = kinds.index("error") if "error" in kinds else None
        oks_after = kinds[first_refusal:].count("ok") if first_refusal is not None else 0
        on_disk = dir_bytes(broker.data_dir)
        say("  limit %d B: %d ok, first refusal at publish %s, %d ok after it; data_dir %d B (%.1f %% of the limit)" % (
            limit, kinds.count("ok"), first_refusal, oks_after, on_disk, 100.0 * on_disk / limit))
    finally:
        broker.cleanup()


def publish_many(port, topic, count, payload="m"):
    c = Client(port)
    c.register("producer", topic=topic)
    c.send(b"".join(frame({"type": "publish", "payload": "%s-%d" % (payload, i)}) for i in range(count)))
    replies = [c.read(30) for _ in range(count)]
    c.close()
    return sum(1 for r in replies if r and r.get("type") == "ok")


def consume_all(port, topic, group, expect, timeout=10):
    c = Client(port)
    c.register("consumer", topic=topic, group=group)
    got = {}
    deadline = time.time() + timeout
    while len(got) < expect and time.time() < deadline:
        try:
            m = c.read_until(lambda f: f.get("type") == "message", max(0.1, deadline - time.time()))
        except socket.timeout:
            break
        if m is None:
            break
        got[m["id"]] = m["payload"]
        c.send(frame({"type": "ack", "id": m["id"]}))
    c.close()
    return got


def attack_damaged_files():
    """8. Empty checkpoint, deleted middle segment, deleted last segment."""
    settings = {"segment_bytes": 4096, "checkpoint_interval_ms": 200}
    data_dir = tempfile.mkdtemp(prefix="courier-attack-")
    started = []

    def broker(wait=True):
        b = Broker(settings, data_dir=data_dir, wait=wait)
        started.append(b)
        return b
    try:
        first = broker()
        publish_many(first.port, "orders", 200, "first")
        # A group that acked some: its position is what the checkpoint holds.
        consume_all(first.port, "orders", "billing", 20)
        time.sleep(0.5)
        first.stop()
        topic_dir = os.path.join(data_dir, "topics", "orders")
        checkpoint = [os.path.join(base, f) for base, _, files in os.walk(topic_dir) for f in files if f == "checkpoint"]
        if checkpoint:
            open(checkpoint[0], "w").close()
            b = broker(wait=True)
            code = b.exit_code(20) if not b.port else "running"
            say("  empty checkpoint: start %s; exit %s; says: %s" % (
                "listening" if b.port else "refused", code, " | ".join(b.grep("checkpoint")[-2:])))
            b.cleanup()
            os.remove(checkpoint[0])
        segments = sorted(os.path.join(base, f) for base, _, files in os.walk(topic_dir) for f in files
                          if f.endswith(".seg") and "messages" in base)
        say("  %d message segments" % len(segments))
        os.remove(segments[len(segments) // 2])
        b = broker()
        say("  deleted middle segment %s: broker says: %s" % (os.path.basename(segments[len(segments) // 2]),
                                                             " | ".join(b.grep("WARN|ERROR")[:3])))
        b.stop()
        segments = sorted(os.path.join(base, f) for base, _, files in os.walk(topic_dir) for f in files
                          if f.endswith(".seg") and "messages" in base)
        os.remove(segments[-1])
        b = broker()
        say("  deleted last segment %s: broker says: %s" % (os.path.basename(segments[-1]),
                                                           " | ".join(b.grep("WARN|ERROR")[:3])))
        publish_many(b.port, "orders", 50, "second")
        got = consume_all(b.port, "orders", "audit", 10_000, timeout=8)
        second = sorted(i for i, p in got.items() if p.startswith("second"))
        first = sorted(i for i, p in got.items() if p.startswith("first"))
        say("  after it: first-run ids %s..%s, second-run ids %s..%s, overlap %d" % (
            first[0] if first else None, first[-1] if first else None, second[0] if second else None,
            second[-1] if second else None, len(set(first) & set(second))))
        b.stop()
    finally:
        for b in started:
            if b.alive():
                b.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


def attack_lenient_decoding():
    """9. Overlong UTF-8, UTF-16, BOM, unpaired surrogate, duplicate keys, client message frame, big ack ids."""
    broker = Broker()
    cases = {
        "overlong C0 AF": b'{"type":"publish","payload":"a\xc0\xafb"}',
        "UTF-16LE": '{"type":"publish","payload":"x"}'.encode("utf-16-le"),
        "UTF-8 BOM": b'\xef\xbb\xbf{"type":"publish","payload":"x"}',
        "unpaired surrogate": b'{"type":"publish","payload":"\\ud800"}',
        "duplicate type": b'{"type":"ack","type":"publish","payload":"x"}',
        "client message frame": b'{"type":"message","id":1,"payload":"x"}',
    }
    try:
        for label, body in cases.items():
            c = Client(broker.port)
            c.register("producer")
            c.send(body_frame(body))
            reply = c.read()
            closed = c.closed(3) if reply and reply.get("code") in ("bad_json",) else None
            say("  %-21s -> %s%s" % (label, (reply.get("code") or reply.get("type")) if reply else "closed",
                                     " (then closed)" if closed else ""))
            c.close()
        c = Client(broker.port)
        c.register("consumer", topic="acks")
        c.send(body_frame(b'{"type":"ack","id":9223372036854775809}'))
        reply = c.read()
        say("  ack 9223372036854775809 -> %s" % (reply.get("message") if reply else "closed"))
        c.close()
    finally:
        broker.cleanup()


def attack_storage_log_flood():
    """10. Storage errors (a full disk) logged once per publish."""
    mount_point = tempfile.mkdtemp(prefix="courier-attack-disk-")
    mounted = os.geteuid() == 0 and subprocess.call(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount_point]) == 0
    if not mounted:
        say("  needs root to mount a 2 MiB tmpfs as a full disk; skipped")
        return
    try:
        broker = Broker(data_dir=mount_point)
        try:
            c = Client(broker.port)
            c.register("producer", topic="flood")
            refused = 0
            for i in range(600):
                c.send(frame({"type": "publish", "payload": "f" * 8000}))
                r = c.read()
                refused += r is None or r.get("type") == "error"
            time.sleep(1)
            say("  600 window-1 publishes of 8 KB onto a 2 MiB disk: %d refused; broker WARN/ERROR lines: %d" % (
                refused, len(broker.grep("WARN|ERROR"))))
            say("  first of them: %s" % " | ".join(broker.grep("WARN|ERROR")[:2]))
        finally:
            broker.stop()
    finally:
        subprocess.call(["umount", mount_point])
        os.rmdir(mount_point)


def attack_shared_data_dir():
    """11. Two brokers on one data_dir."""
    first = Broker()
    try:
        publish_many(first.port, "shared", 10)
        second = Broker(data_dir=first.data_dir, wait=True)
        code = second.exit_code(20) if not second.port else "running"
        say("  second broker on the same data_dir: %s, exit %s; says: %s" % (
            "listening" if second.port else "refused", code, " | ".join(second.lines[-2:])))
        if second.port:
            second.stop()
        say("  first broker still serves: " + healthy_pair(first.port))
        first.kill9()
        third = Broker(data_dir=first.data_dir)
        say("  after kill -9 of the first, a new broker: %s" % ("listening" if third.port else "FAILED"))
        got = consume_all(third.port, "shared", "after", 10)
        say("  its consumer gets %d of the 10 confirmed messages" % len(got))
        third.stop()
    finally:
        first.cleanup()


ATTACKS = {
    "names": attack_names,
    "frames": attack_unfinished_frames,
    "replies": attack_unread_replies,
    "descriptors": attack_descriptors,
    "order": attack_order,
    "pause": attack_pause_overshoot,
    "disk": attack_disk_limit,
    "damage": attack_damaged_files,
    "decoding": attack_lenient_decoding,
    "logflood": attack_storage_log_flood,
    "datadir": attack_shared_data_dir,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("attacks", nargs="*", help="names (default: all)")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    if args.list:
        for name, fn in ATTACKS.items():
            say("%-12s %s" % (name, fn.__doc__.strip()))
        return 0
    if not os.path.exists(JAR):
        say("no %s: run `make build` first" % JAR)
        return 2
    for name in args.attacks or ATTACKS:
        fn = ATTACKS.get(name)
        if fn is None:
            say("unknown attack %r; --list shows them" % name)
            return 2
        say("== %s: %s" % (name, fn.__doc__.strip()))
        started = time.time()
        try:
            fn()
        except Exception as e:  # report and go on with the next attack
            say("  attack failed: %r" % e)
        say("  (%.1f s)" % (time.time() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
