"""Drives a Courier STOMP listener with stomp.py (Debian's python3-stomp), a client written
independently of the broker: python3 stomppy_check.py PORT. Prints one "ok <step>" line per step
and exits 0, or prints "FAIL <step>: <why>" and exits 1. Every wait has a deadline."""
import os
import queue
import sys

import stomp

WAIT = 5.0
port = int(sys.argv[1])
# For the differential run against RabbitMQ, which reads CONNECT's host as its virtual host.
vhost = os.environ.get("STOMP_VHOST")


class Recorder(stomp.ConnectionListener):
    def __init__(self):
        self.messages = queue.Queue()
        self.receipts = queue.Queue()
        self.errors = queue.Queue()

    def on_message(self, frame):
        self.messages.put(frame)

    def on_receipt(self, frame):
        self.receipts.put(frame.headers["receipt-id"])

    def on_error(self, frame):
        self.errors.put(frame)


def connect():
    conn = stomp.Connection12([("127.0.0.1", port)], heartbeats=(0, 0), auto_decode=False,
                              **({"vhost": vhost} if vhost else {}))
    recorder = Recorder()
    conn.set_listener("", recorder)
    conn.connect(wait=True)
    return conn, recorder


def expect(q, step):
    try:
        return q.get(timeout=WAIT)
    except queue.Empty:
        print("FAIL %s: nothing within %.0f s" % (step, WAIT))
        sys.exit(1)


def check(condition, step, detail=""):
    if not condition:
        print("FAIL %s: %s" % (step, detail))
        sys.exit(1)
    print("ok " + step)


conn, rec = connect()
check(conn.is_connected(), "connect")

conn.subscribe(destination="/queue/py", id="s1", ack="client-individual", headers={"prefetch-count": "10"})
conn.send(destination="/queue/py", body="hello", content_type="text/plain", headers={"receipt": "r1", "trace": "t1"})
check(expect(rec.receipts, "receipt") == "r1", "receipt")
message = expect(rec.messages, "message")
check(message.body == b"hello" and message.headers.get("trace") == "t1"
      and message.headers.get("content-type") == "text/plain", "message", repr(message.headers))

conn.nack(id=message.headers["ack"])
again = expect(rec.messages, "nack")
check(again.body == b"hello" and again.headers.get("redelivered") == "true", "nack-redelivery", repr(again.headers))
conn.ack(id=again.headers["ack"], receipt="acked")
check(expect(rec.receipts, "ack") == "acked", "ack-receipt")

binary = bytes([0, 255, 0xC3, 0x28, 10, 0])
conn.send(destination="/queue/py", body=binary, headers={"receipt": "r-bin"})
check(expect(rec.receipts, "binary") == "r-bin", "binary-receipt")
message = expect(rec.messages, "binary")
check(message.body == binary, "binary-round-trip", repr(message.body))
conn.ack(id=message.headers["ack"])

tx = conn.begin()
conn.send(destination="/queue/py", body="in-tx", transaction=tx)
conn.send(destination="/queue/py", body="outside", headers={"receipt": "r-out"})
check(expect(rec.receipts, "tx") == "r-out", "send-outside-transaction")
first = expect(rec.messages, "tx")
check(first.body == b"outside", "transaction-waits-for-commit", repr(first.body))
conn.ack(id=first.headers["ack"])
conn.commit(tx)
committed = expect(rec.messages, "commit")
check(committed.body == b"in-tx", "commit", repr(committed.body))
conn.ack(id=committed.headers["ack"])

conn.subscribe(destination="/topic/py-news", id="t1", ack="auto", headers={"durable-subscription-name": "py-a"})
conn.subscribe(destination="/topic/py-news", id="t2", ack="auto", headers={"durable-subscription-name": "py-b"},
               receipt="subscribed")
check(expect(rec.receipts, "topic") == "subscribed", "topic-subscribe")
conn.send(destination="/topic/py-news", body="news")
subs = sorted([expect(rec.messages, "fan-out").headers["subscription"],
               expect(rec.messages, "fan-out").headers["subscription"]])
check(subs == ["t1", "t2"], "topic-fan-out", repr(subs))

conn.disconnect(receipt="bye")
check(not conn.is_connected(), "disconnect")

bad, bad_rec = connect()
bad.send(destination="/queue/..bad", body="x", headers={"receipt": "r-bad"})
error = expect(bad_rec.errors, "error")
check(error.headers.get("receipt-id") == "r-bad" and "destination" in error.headers.get("message", ""),
      "error-names-the-frame", repr(error.headers))
print("all ok")
