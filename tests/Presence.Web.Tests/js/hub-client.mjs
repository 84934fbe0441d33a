// A real @microsoft/signalr client for the hub tests, driven through stdin/stdout with one JSON object per line.
//
//   node hub-client.mjs <hub url> [token] [--query-only] [--cookie "<name>=<value>"]
//
// Prints {"event":"connected"} or {"event":"error","phase":"start","statusCode":401,"message":"..."} first.
// Then reads commands, one JSON object per line on stdin:
//   {"cmd":"subscribeAll"}            -> {"event":"snapshot","users":[...]}
//   {"cmd":"subscribeAllBatched"}     -> {"event":"snapshot","users":[...]}, then pushes as {"event":"batch","presences":[...]}
//   {"cmd":"subscribe","users":[...]} -> {"event":"snapshot","users":[...]} or {"event":"error","phase":"subscribe","message":"..."}
//   {"cmd":"unsubscribeAll"}          -> {"event":"unsubscribed"}
//   {"cmd":"quit"}                    -> stops the connection and exits
// and prints every push as {"event":"changed","presence":{...}}.
import * as signalR from "@microsoft/signalr";
import * as readline from "node:readline";

const [url, token, ...rest] = process.argv.slice(2);
const queryOnly = rest.includes("--query-only");
const cookieIndex = rest.indexOf("--cookie");
const cookie = cookieIndex >= 0 ? rest[cookieIndex + 1] : undefined;

const print = (o) => process.stdout.write(JSON.stringify(o) + "\n");

const options = {};
if (token) options.accessTokenFactory = () => token;
if (queryOnly) {
  // Without negotiate the token travels only as the access_token query parameter of the WebSocket request.
  options.skipNegotiation = true;
  options.transport = signalR.HttpTransportType.WebSockets;
}
if (cookie) options.headers = { Cookie: cookie };

const connection = new signalR.HubConnectionBuilder()
  .withUrl(url, options)
  .configureLogging(signalR.LogLevel.None)
  .build();

connection.on("PresenceChanged", (presence) => print({ event: "changed", presence }));
connection.on("PresenceChangedBatch", (presences) => print({ event: "batch", presences }));
connection.onclose((error) => print({ event: "closed", message: error ? String(error) : null }));

const statusOf = (error) => {
  if (typeof error?.statusCode === "number") return error.statusCode;
  const m = /Status code '(\d+)'|status code '(\d+)'|\b(\d{3})\b/.exec(String(error?.message ?? error));
  return m ? Number(m[1] ?? m[2] ?? m[3]) : null;
};

try {
  await connection.start();
  print({ event: "connected" });
} catch (error) {
  print({ event: "error", phase: "start", statusCode: statusOf(error), message: String(error?.message ?? error) });
  process.exit(0);
}

const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  if (!line.trim()) continue;
  const command = JSON.parse(line);
  try {
    switch (command.cmd) {
      case "subscribeAll":
        print({ event: "snapshot", users: await connection.invoke("SubscribeAll") });
        break;
      case "subscribeAllBatched":
        print({ event: "snapshot", users: await connection.invoke("SubscribeAllBatched") });
        break;
      case "subscribe":
        print({ event: "snapshot", users: await connection.invoke("Subscribe", command.users) });
        break;
      case "unsubscribeAll":
        await connection.invoke("UnsubscribeAll");
        print({ event: "unsubscribed" });
        break;
      case "quit":
        await connection.stop();
        process.exit(0);
    }
  } catch (error) {
    print({ event: "error", phase: command.cmd, message: String(error?.message ?? error) });
  }
}
await connection.stop();
