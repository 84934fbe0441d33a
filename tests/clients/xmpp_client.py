#!/usr/bin/python3
"""A real XMPP client (slixmpp) driven line by line on stdin; prints one JSON event per line on stdout.

Run with Debian's interpreter (``/usr/bin/python3``, package python3-slixmpp)::

    xmpp_client.py --jid alice@localhost/phone --password password --port 5222

Commands (one per line; every command ends with ``{"event":"done","command":...}`` or an ``error`` event):

    presence <show|online> <priority> [status text...]   available presence (show: online chat away xa dnd)
    unavailable                                          unavailable presence (the session stays)
    subscribe <jid>                                      roster subscription request (RFC 6121 §3.1)
    approve-all                                          approve pending and future subscription requests
    probe <jid>                                          presence probe
    pubsub-subscribe <service> <node>                    XEP-0060 §6.1 subscription (full JID)
    pubsub-items <service> <node>                        XEP-0060 §6.5 all items -> "items" event
    pubsub-create <service> <node>                       XEP-0060 §8.1 (needs admin rights on Prosody 0.12)
    pubsub-publish <service> <node> <id> <status> [fulljid]   a pubpresence <user/> item
    pubsub-retract <service> <node> <id>                 XEP-0060 §7.2 with notify
    pubsub-purge <service> <node>                        XEP-0060 §8.5
    consume <service-jid> <pubsub-service> <node> [wait-s]   the pubpresence consumer protocol (below); waits at
                                                         most wait-s seconds (default 10) for the service
    state                                                prints the consumer map -> "state" event
    ping <jid>                                           XEP-0199 ping -> "pong" or "error"
    kill                                                 abort TCP without closing the stream (session hibernates)
    reconnect                                            connect again (resumes a hibernated session, XEP-0198)
    quit                                                 close the stream and exit

Pubpresence consumer protocol (``consume``): (0) probe the service and wait for its available presence (the node is
up to date), (1) subscribe to the node and buffer events, (2) fetch all items, (3) apply the buffered events, then
live ones. The result is a map bare JID -> item (``state`` events, printed after every change). A purge empties the
map (the service restarted and is repopulating).

Events: ready, presence, subscribe, subscribed, unsubscribed, published, retracted, purged, items, state, pong,
disconnected, resumed, reconnected, done, error.
"""
import argparse
import asyncio
import json
import logging
import sys
import threading
import time
import xml.etree.ElementTree as ET

from slixmpp import ClientXMPP, JID
from slixmpp.exceptions import IqError, IqTimeout

PUBSUB = "http://jabber.org/protocol/pubsub"
PUBSUB_EVENT = "http://jabber.org/protocol/pubsub#event"
USER_NS = "urn:x-pubpresence:user:0"
PSA_NS = "urn:xmpp:psa"
SHOWS = {"online", "chat", "away", "xa", "dnd"}


def emit(event, **fields):
    fields = {"event": event, **fields, "t": round(time.time(), 3)}
    sys.stdout.write(json.dumps(fields, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def parse_item(item):
    """An <item/> element -> {"id":..., "user": {attributes..., "annotation": {...}}} (XEP-0310)."""
    result = {"id": item.get("id")}
    user = item.find(f"{{{USER_NS}}}user")
    if user is None and len(item):
        user = item[0]
    if user is not None:
        data = dict(user.attrib)
        data["ns"] = user.tag.split("}")[0].lstrip("{") if user.tag.startswith("{") else ""
        annotation = user.find(f"{{{PSA_NS}}}state-annotation")
        if annotation is not None:
            data["annotation"] = {"from": annotation.get("from"),
                                  "reason": [c.tag.split("}")[-1] for c in annotation if c.tag.startswith(f"{{{PSA_NS}}}")]}
        result["user"] = data
    return result


class Consumer:
    """The pubpresence consumer: buffers node events until all items are fetched, then applies them in order."""

    def __init__(self, service, pubsub, node):
        self.service, self.pubsub, self.node = service, pubsub, node
        self.buffer = []
        self.live = False
        self.users = {}

    def on_event(self, kind, payload):
        if not self.live:
            self.buffer.append((kind, payload))
            return
        self.apply(kind, payload)
        self.print_state(kind)

    def apply(self, kind, payload):
        if kind == "published":
            self.users[payload["id"]] = payload.get("user", {})
        elif kind == "retracted":
            self.users.pop(payload["id"], None)
        elif kind == "purged":
            self.users.clear()

    def start_live(self, items):
        self.users = {i["id"]: i.get("user", {}) for i in items}
        for kind, payload in self.buffer:
            self.apply(kind, payload)
        self.buffer.clear()
        self.live = True
        self.print_state("fetched")

    def print_state(self, cause):
        emit("state", node=self.node, cause=cause, users=self.users)


class Driver(ClientXMPP):
    def __init__(self, jid, password, host, port):
        super().__init__(jid, password)
        self.host, self.port = host, port
        self.approve = False
        self.pending_subscribers = []
        self.consumers = []
        self.service_available = {}
        self.killed = False
        for plugin in ("xep_0030", "xep_0060", "xep_0199", "xep_0198"):
            self.register_plugin(plugin)
        self["xep_0198"].allow_resume = True
        self.add_event_handler("session_start", self.on_session_start)
        self.add_event_handler("session_resumed", lambda _: emit("resumed", jid=str(self.boundjid)))
        self.add_event_handler("disconnected", lambda reason: emit("disconnected", reason=str(reason) if reason else None))
        self.add_event_handler("failed_auth", lambda _: emit("error", command="connect", condition="not-authorized"))
        self.add_event_handler("presence", self.on_presence)
        self.add_event_handler("presence_subscribe", self.on_subscribe)
        self.add_event_handler("presence_subscribed", lambda p: emit("subscribed", **{"from": str(p["from"])}))
        self.add_event_handler("presence_unsubscribed", lambda p: emit("unsubscribed", **{"from": str(p["from"])}))
        self.add_event_handler("pubsub_publish", lambda m: self.on_pubsub(m, "published"))
        self.add_event_handler("pubsub_retract", lambda m: self.on_pubsub(m, "retracted"))
        self.add_event_handler("pubsub_purge", lambda m: self.on_pubsub(m, "purged"))
        self.ready = asyncio.Event()

    def open(self):
        self.connect((self.host, self.port), force_starttls=False, disable_starttls=True)

    async def on_session_start(self, _):
        # The roster is fetched and no presence is sent yet: the test decides (a client must send initial
        # presence or the server queues subscription requests).
        await self.get_roster()
        first = not self.ready.is_set()
        self.ready.set()
        emit("ready" if first else "reconnected", jid=str(self.boundjid))

    def on_presence(self, p):
        ptype = p["type"]
        if ptype in ("subscribe", "subscribed", "unsubscribe", "unsubscribed"):
            return
        sender = p["from"]
        event = {"from": str(sender), "type": ptype if ptype in ("unavailable", "error", "probe") else "available"}
        if event["type"] == "available":
            event["show"] = p["show"] or "online"
            event["priority"] = int(p["priority"] or 0)
        if p["status"]:
            event["status"] = p["status"]
        if ptype == "error":
            event["condition"] = p["error"]["condition"]
            event["text"] = p["error"]["text"] or None
        annotation = p.xml.find(f"{{{PSA_NS}}}state-annotation")
        if annotation is not None:
            event["annotation"] = [c.tag.split("}")[-1] for c in annotation]
        self.service_available[sender.bare] = event["type"] == "available"
        emit("presence", **event)

    def on_subscribe(self, p):
        sender = p["from"].bare
        emit("subscribe", **{"from": sender})
        if self.approve:
            self.send_presence(pto=sender, ptype="subscribed")
        else:
            self.pending_subscribers.append(sender)

    def on_pubsub(self, msg, kind):
        event = msg.xml.find(f"{{{PUBSUB_EVENT}}}event")
        if event is None:
            return
        service = str(msg["from"])
        if kind == "purged":
            node = event.find(f"{{{PUBSUB_EVENT}}}purge").get("node")
            payloads = [{}]
        else:
            items = event.find(f"{{{PUBSUB_EVENT}}}items")
            node = items.get("node")
            if kind == "published":
                payloads = [parse_item(i) for i in items.findall(f"{{{PUBSUB_EVENT}}}item")]
            else:
                payloads = [{"id": r.get("id")} for r in items.findall(f"{{{PUBSUB_EVENT}}}retract")]
        for payload in payloads:
            emit(kind, service=service, node=node, **payload)
            for consumer in self.consumers:
                if consumer.node == node and JID(consumer.pubsub) == JID(service):
                    consumer.on_event(kind, payload)

    async def fetch_items(self, service, node):
        iq = await self["xep_0060"].get_items(service, node, timeout=10)
        items = iq.xml.find(f"{{{PUBSUB}}}pubsub/{{{PUBSUB}}}items")
        return [parse_item(i) for i in (items if items is not None else [])]

    async def command(self, line):
        words = line.split()
        if not words:
            return
        name, args = words[0], words[1:]
        try:
            await self.run_command(name, args, line)
            emit("done", command=name)
        except IqError as e:
            emit("error", command=name, condition=e.iq["error"]["condition"], text=e.iq["error"]["text"] or None)
        except IqTimeout:
            emit("error", command=name, condition="timeout")
        except (ValueError, IndexError) as e:
            emit("error", command=name, condition="bad-command", text=str(e))

    async def run_command(self, name, args, line):
        if name == "presence":
            show, priority = args[0], int(args[1])
            if show not in SHOWS:
                raise ValueError(f"show must be one of {sorted(SHOWS)}")
            status = line.split(None, 3)[3] if len(args) > 2 else None
            self.send_presence(pshow=None if show == "online" else show, ppriority=priority, pstatus=status)
        elif name == "unavailable":
            self.send_presence(ptype="unavailable")
        elif name == "subscribe":
            self.send_presence(pto=JID(args[0]).bare, ptype="subscribe")
        elif name == "approve-all":
            self.approve = True
            for jid in self.pending_subscribers:
                self.send_presence(pto=jid, ptype="subscribed")
            self.pending_subscribers.clear()
        elif name == "probe":
            self.send_presence(pto=args[0], ptype="probe")
        elif name == "pubsub-subscribe":
            await self["xep_0060"].subscribe(args[0], args[1], bare=False, timeout=10)
        elif name == "pubsub-items":
            emit("items", service=args[0], node=args[1], items=await self.fetch_items(args[0], args[1]))
        elif name == "pubsub-create":
            await self["xep_0060"].create_node(args[0], args[1], timeout=10)
        elif name == "pubsub-publish":
            user = ET.Element(f"{{{USER_NS}}}user", {"status": args[3], "name": args[2]})
            if len(args) > 4:
                user.set("fulljid", args[4])
            await self["xep_0060"].publish(args[0], args[1], id=args[2], payload=user, timeout=10)
        elif name == "pubsub-retract":
            await self["xep_0060"].retract(args[0], args[1], args[2], notify=True, timeout=10)
        elif name == "pubsub-purge":
            await self["xep_0060"].purge(args[0], args[1], timeout=10)
        elif name == "consume":
            await self.consume(args[0], args[1], args[2], float(args[3]) if len(args) > 3 else 10.0)
        elif name == "state":
            for consumer in self.consumers:
                consumer.print_state("asked")
        elif name == "ping":
            rtt = await self["xep_0199"].ping(JID(args[0]), timeout=10)
            emit("pong", jid=args[0], rtt=rtt)
        elif name == "kill":
            # TCP closed without </stream:stream>: the server keeps the session for XEP-0198 resumption.
            self.killed = True
            self.abort()
        elif name == "reconnect":
            if self.transport:
                raise ValueError("still connected")
            self.open()
        elif name == "quit":
            if self.transport:
                self.disconnect(wait=2)
                try:
                    await asyncio.wait_for(self.wait_until("disconnected"), 3)
                except asyncio.TimeoutError:
                    pass
            emit("done", command="quit")
            sys.stdout.flush()
            os_exit()
        else:
            raise ValueError(f"unknown command '{name}'")

    async def consume(self, service, pubsub, node, wait):
        # (0) the service is up to date when it is available: probe and wait for its presence.
        service_bare = JID(service).bare
        self.send_presence(pto=service_bare, ptype="probe")
        deadline = asyncio.get_running_loop().time() + wait
        while not self.service_available.get(service_bare) and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
        emit("consumer", step=0, service=service_bare, available=bool(self.service_available.get(service_bare)))
        # (1) subscribe and buffer, (2) fetch all items, (3) apply buffered then live events.
        consumer = Consumer(service_bare, pubsub, node)
        self.consumers = [c for c in self.consumers if c.node != node or c.pubsub != pubsub] + [consumer]
        await self["xep_0060"].subscribe(pubsub, node, bare=False, timeout=10)
        consumer.start_live(await self.fetch_items(pubsub, node))


def os_exit():
    import os
    os._exit(0)


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jid", required=True, help="full or bare JID")
    parser.add_argument("--password", default="password")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5222)
    parser.add_argument("--debug", action="store_true", help="slixmpp debug log on stderr")
    options = parser.parse_args()
    logging.basicConfig(level=logging.DEBUG if options.debug else logging.ERROR, stream=sys.stderr)

    driver = Driver(options.jid, options.password, options.host, options.port)
    driver.open()
    loop = asyncio.get_running_loop()
    lines = asyncio.Queue()

    def read_stdin():
        for raw in sys.stdin:
            loop.call_soon_threadsafe(lines.put_nowait, raw.rstrip("\n"))
        loop.call_soon_threadsafe(lines.put_nowait, None)

    threading.Thread(target=read_stdin, daemon=True).start()
    try:
        await asyncio.wait_for(driver.ready.wait(), 15)
    except asyncio.TimeoutError:
        emit("error", command="connect", condition="timeout")
        sys.stdout.flush()
        import os
        os._exit(1)
    while True:
        line = await lines.get()
        if line is None:
            line = "quit"
        await driver.command(line)


if __name__ == "__main__":
    asyncio.run(main())
