// Hub fan-out benchmark (issue 4): C clients (in W worker processes) subscribed to all users of the hub while a
// driver changes R statuses per second over U users; reports delivered messages/s, delivery latency p50/p99/max
// (driver timestamp in the message → client receipt) and the service's RSS from /proc/<pid>/status.
//
//   node fanout.mjs --url http://127.0.0.1:5099 --secret <shared secret> --pid <service pid>
//                   [--clients 200] [--workers 4] [--rate 1000] [--users 1000] [--seconds 20] [--warmup 5]
//                   [--batched true]
//
// The driver PUTs /api/v1/presence/{user}/spreed with a bearer token per user (the real API, durable history).
import { fork } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { fileURLToPath } from "node:url";

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith("--")) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const url = args.url ?? "http://127.0.0.1:5099";
const secret = args.secret;
const pid = args.pid;
const clients = Number(args.clients ?? 200);
const workers = Number(args.workers ?? 4);
const rate = Number(args.rate ?? 1000);
const users = Number(args.users ?? 1000);
const seconds = Number(args.seconds ?? 20);
const warmup = Number(args.warmup ?? 5);
const driver = "api";
const batched = args.batched === "true"; // SubscribeAllBatched: one PresenceChangedBatch per flush instead of one message per user

const token = (user) => {
  const payload = `${Math.floor(Date.now() / 1000)}:${user}`;
  return `${payload}:${createHmac("sha256", secret).update(payload).digest("base64").toUpperCase()}`;
};
const rssKb = () => {
  if (!pid) return null;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : null;
};
const cpuSeconds = () => {
  if (!pid) return null;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
};
const log = (s) => process.stderr.write(s + "\n");

// --- clients -------------------------------------------------------------------------------------------------
const workerPath = fileURLToPath(new URL("./worker.mjs", import.meta.url));
const procs = [];
const ready = [];
for (let w = 0; w < workers; w++) {
  const n = Math.floor(clients / workers) + (w < clients % workers ? 1 : 0);
  const p = fork(workerPath, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  procs.push(p);
  ready.push(new Promise((resolve, reject) => {
    p.once("message", (m) => (m.event === "ready" ? resolve(m) : reject(new Error(m.message))));
  }));
  p.send({ cmd: "connect", url: `${url}/hubs/presence`, token: token(`bench-reader-${w}@example.com`), clients: n, batched });
}
const readyInfo = await Promise.all(ready);
log(`${clients} clients connected and subscribed to all users (snapshot of ${readyInfo[0].snapshot} users)`);
const rssIdle = rssKb();

// --- driver --------------------------------------------------------------------------------------------------
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const target = new URL(url);
const userIds = Array.from({ length: users }, (_, i) => `bench-user-${i}@example.com`);
const userTokens = userIds.map(token);
let sent = 0, ok = 0, failed = 0, inFlight = 0, next = 0, lastError = null;
const statuses = ["available", "busy", "away"];

function put(index) {
  const user = userIds[index];
  const path = `/api/v1/presence/${encodeURIComponent(user)}/spreed`;
  const body = JSON.stringify({ status: statuses[sent % 3], message: String(Date.now()) });
  const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
  if (userTokens) headers.authorization = `Bearer ${userTokens[index]}`;
  inFlight++;
  sent++;
  const req = http.request({ host: target.hostname, port: target.port, path, method: "PUT", agent, headers }, (res) => {
    res.resume();
    res.on("end", () => {
      inFlight--;
      if (res.statusCode >= 200 && res.statusCode < 300) ok++; else { failed++; lastError = `HTTP ${res.statusCode}`; }
    });
  });
  req.on("error", (e) => { inFlight--; failed++; lastError = String(e); });
  req.end(body);
}

const begin = Date.now();
const rssSamples = [];
let measuringFrom = null, sentAtStart = 0;
const tick = setInterval(() => {
  const elapsed = (Date.now() - begin) / 1000;
  const due = Math.floor(elapsed * rate);
  while (sent < due && inFlight < 256) { put(next); next = (next + 1) % users; }
}, 5);
const sampler = setInterval(() => { const r = rssKb(); if (r) rssSamples.push(r); }, 1000);

await new Promise((r) => setTimeout(r, warmup * 1000));
measuringFrom = Date.now();
procs.forEach((p) => p.send({ cmd: "start", until: measuringFrom + seconds * 1000 }));
sentAtStart = sent;
const cpuAtStart = cpuSeconds();
const driverCpuAtStart = process.cpuUsage();
await new Promise((r) => setTimeout(r, seconds * 1000));
const measuredSeconds = seconds; // workers count receipts up to measuringFrom + seconds only
const sentInWindow = sent - sentAtStart;
const serviceCpu = pid ? (cpuSeconds() - cpuAtStart) / measuredSeconds : null;
const driverCpu = process.cpuUsage(driverCpuAtStart);
const stats = await Promise.all(procs.map((p) => new Promise((resolve) => {
  p.once("message", resolve);
  p.send({ cmd: "stop" });
})));
clearInterval(tick);
clearInterval(sampler);

// --- results -------------------------------------------------------------------------------------------------
const hist = new Array(stats[0].hist.length).fill(0);
let received = 0, maxLatency = 0, clientCpuMicros = 0;
for (const s of stats) {
  clientCpuMicros += s.cpuMicros;
  received += s.received;
  maxLatency = Math.max(maxLatency, s.maxLatency);
  s.hist.forEach((v, i) => { hist[i] += v; });
}
const percentile = (q) => {
  const total = hist.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < hist.length; i++) { acc += hist[i]; if (acc >= q * total) return i; }
  return null;
};
const result = {
  driver, mode: batched ? "SubscribeAllBatched" : "SubscribeAll", clients, workers, users, rateOffered: rate, seconds: Number(measuredSeconds.toFixed(1)),
  changesPerSecond: Number((sentInWindow / measuredSeconds).toFixed(0)),
  putOk: ok, putFailed: failed, lastPutError: lastError,
  // one delivered message = one user's presence received by one client (a batch of 50 users counts 50)
  deliveredPerSecond: Number((received / measuredSeconds).toFixed(0)),
  deliveredPerClientPerSecond: Number((received / measuredSeconds / clients).toFixed(1)),
  latencyMs: { p50: percentile(0.5), p90: percentile(0.9), p99: percentile(0.99), max: maxLatency },
  cpuCores: {
    service: serviceCpu === null ? null : Number(serviceCpu.toFixed(2)),
    clients: Number((clientCpuMicros / 1e6 / measuredSeconds).toFixed(2)),
    driver: Number(((driverCpu.user + driverCpu.system) / 1e6 / measuredSeconds).toFixed(2)),
  },
  loadAverage: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" "),
  serviceRssMb: {
    idleWithClients: rssIdle ? Number((rssIdle / 1024).toFixed(1)) : null,
    max: rssSamples.length ? Number((Math.max(...rssSamples) / 1024).toFixed(1)) : null,
    end: rssSamples.length ? Number((rssSamples[rssSamples.length - 1] / 1024).toFixed(1)) : null,
  },
};
process.stdout.write(JSON.stringify(result) + "\n");
procs.forEach((p) => p.send({ cmd: "quit" }));
agent.destroy();
