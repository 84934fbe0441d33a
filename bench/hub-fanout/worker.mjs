// One process of hub clients for fanout.mjs: opens N @microsoft/signalr connections, each calls SubscribeAll, and
// (or SubscribeAllBatched), and measures the delay from the timestamp the driver put in the spreed status message (Date.now() in ms) to receipt.
// Talks to the coordinator over the fork IPC channel.
import * as signalR from "@microsoft/signalr";

const HIST_MS = 60_000; // 1-ms buckets up to 60 s
const hist = new Uint32Array(HIST_MS + 1);
let counting = false;
let until = 0; // end of the measured window (ms since epoch): receipts processed later are backlog, not counted
let received = 0;
let receivedTotal = 0;
let maxLatency = 0;
let cpuAtStart = process.cpuUsage();

function onChanged(presence) {
  receivedTotal++;
  if (!counting) return;
  const now = Date.now();
  if (now > until) return;
  received++;
  const sent = Number(presence?.protocols?.spreed?.message);
  if (!Number.isFinite(sent)) return;
  const latency = Math.max(0, now - sent);
  if (latency > maxLatency) maxLatency = latency;
  hist[Math.min(HIST_MS, Math.round(latency))]++;
}

async function connect(url, token, batched) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(url, { accessTokenFactory: () => token, transport: signalR.HttpTransportType.WebSockets })
    .configureLogging(signalR.LogLevel.Error)
    .build();
  connection.on("PresenceChanged", onChanged);
  connection.on("PresenceChangedBatch", (presences) => presences.forEach(onChanged));
  await connection.start();
  const snapshot = await connection.invoke(batched ? "SubscribeAllBatched" : "SubscribeAll");
  return { connection, snapshot: snapshot.length };
}

const connections = [];
process.on("message", async (msg) => {
  switch (msg.cmd) {
    case "connect": {
      try {
        for (let i = 0; i < msg.clients; i++) connections.push(await connect(msg.url, msg.token, msg.batched));
        process.send({ event: "ready", clients: connections.length, snapshot: connections[0]?.snapshot ?? 0 });
      } catch (error) {
        process.send({ event: "error", message: String(error?.message ?? error) });
      }
      break;
    }
    case "start":
      counting = true;
      until = msg.until;
      cpuAtStart = process.cpuUsage();
      break;
    case "stop":
      counting = false;
      const cpu = process.cpuUsage(cpuAtStart);
      process.send({ event: "stats", cpuMicros: cpu.user + cpu.system, received, receivedTotal, maxLatency, hist: Array.from(hist) });
      break;
    case "quit":
      await Promise.all(connections.map((c) => c.connection.stop()));
      process.exit(0);
  }
});
