using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Presence.Bench.E2eXmpp;

// End-to-end XMPP benchmark (issue 3, "Performance"; issue 10: both presence modes): a private Prosody with N online
// users (raw c2s sessions), the pubpresence component in its own process (so its memory is measured alone), and one
// subscribed client that reads the node's events. Run in subscription mode (users add the component to their roster)
// and in privileged mode (XEP-0356, mod_privilege: no roster step, no probes). Figures per mode: logins -> all items,
// presence change -> pubsub event latency (p50/p99), node repopulation time after a component restart, memory per
// online resource (component and Prosody). Writes bench/results/xmpp-e2e.txt.
// Usage: e2e-xmpp [--users 1000] [--samples 300] [--mode both|subscription|privileged]

if (args.Length > 0 && args[0] == "component")
    return await ComponentHost.RunAsync(args[1..]);

var users = IntArg("--users", 1000);
var samples = IntArg("--samples", 300);
var modeArg = Array.IndexOf(args, "--mode") is var mi and >= 0 && mi + 1 < args.Length ? args[mi + 1] : "both";
bool[] modes = modeArg switch
{
    "both" => [false, true],
    "subscription" => [false],
    "privileged" => [true],
    _ => throw new ArgumentException($"--mode must be both, subscription or privileged, got '{modeArg}'"),
};
var repoRoot = FindRepoRoot();
var results = new StringBuilder();
void Report(string line) { Console.WriteLine(line); results.AppendLine(line); }

var dir = "";
Process? component = null;
// Ctrl-C or SIGTERM: stop the component process and Prosody (by its pidfile) before exiting.
AppDomain.CurrentDomain.ProcessExit += (_, _) => CleanupProcesses();
Console.CancelKeyPress += (_, _) => CleanupProcesses();
var c2sPort = 0;
var componentPort = 0;
var privileged = false;
const string secret = "bench-secret";
const string domain = "localhost";
const string componentJid = "pubpresence." + domain;
const string pubsubJid = "pubsub." + domain;
const string password = "password";

foreach (var mode in modes)
{
    privileged = mode;
    dir = Path.Combine(Path.GetTempPath(), "presence-bench-" + Guid.NewGuid().ToString("N")[..8]);
    c2sPort = FreePort();
    componentPort = FreePort();
    component = null;
    // Accounts written directly (internal_plain): registering 1,000 users with prosodyctl takes minutes.
    var accounts = Path.Combine(dir, "data", domain, "accounts");
    Directory.CreateDirectory(accounts);
    for (var i = 0; i <= users; i++)
        File.WriteAllText(Path.Combine(accounts, UserName(i) + ".dat"), $"return {{\n\t[\"password\"] = \"{password}\";\n}};\n");
    await Script("start");
    var prosodyPid = int.Parse(File.ReadAllText(Path.Combine(dir, "prosody.pid")).Trim());
    var clients = new List<C2sClient>();
    try
    {
        Report($"# XMPP end to end, {(privileged ? "privileged mode (XEP-0356, no roster step, no probes)" : "subscription mode (roster)")} — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, Prosody 0.12 (pubsub on SQLite), {users} users");
        var prosodyBase = RssKb(prosodyPid);

        component = StartComponent();
        var online = await WaitLineAsync(component, "online", TimeSpan.FromSeconds(30));
        if (!online.EndsWith(privileged ? "Privileged" : "Subscription", StringComparison.Ordinal))
            throw new InvalidOperationException($"the component is not in {(privileged ? "privileged" : "subscription")} mode: '{online}'");
        var componentBase = await ComponentMemoryAsync(component);

        // The watcher: subscribed to the component (roster) and to the node (XEP-0060 §6.1), then fetches nothing —
        // the node is empty at this point and every later change arrives as an event.
        var watcher = new Watcher(componentJid);
        var watch = new C2sClient(UserName(0), domain) { ApproveFrom = componentJid, OnText = watcher.OnText };
        await watch.ConnectAsync("127.0.0.1", c2sPort, password, "watch", CancellationToken.None);
        watch.StartReading();
        clients.Add(watch);
        await watch.SendAsync($"<presence/><presence type='subscribe' to='{componentJid}'/>");
        await watch.SendAsync($"<iq type='set' to='{pubsubJid}' id='sub1'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='pubpresence' jid='{watch.FullJid}'/></pubsub></iq>");
        await watcher.WaitAsync(w => w.ItemCount >= 1, TimeSpan.FromSeconds(20), "watcher's own item");

        // N users log in, add the component to their roster and go online.
        var connect = Stopwatch.StartNew();
        var gate = new SemaphoreSlim(16);
        var logins = Enumerable.Range(1, users).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var client = new C2sClient(UserName(i), domain) { ApproveFrom = componentJid };
                await client.ConnectAsync("127.0.0.1", c2sPort, password, "bench", CancellationToken.None);
                client.StartReading();
                await client.SendAsync(privileged
                    ? "<presence><priority>1</priority></presence>"
                    : $"<presence><priority>1</priority></presence><presence type='subscribe' to='{componentJid}'/>");
                lock (clients) clients.Add(client);
            }
            finally { gate.Release(); }
        }).ToList();
        await Task.WhenAll(logins);
        var loggedIn = connect.Elapsed;
        // A subscribe sent while the component's link is down is bounced by the server: ask again for users without an item.
        var resent = 0;
        for (var round = 0; ; round++)
        {
            try
            {
                await watcher.WaitAsync(w => w.ItemCount >= users + 1, TimeSpan.FromSeconds(20), $"{users + 1} items");
                break;
            }
            catch (TimeoutException) when (round < 15)
            {
                foreach (var client in clients.Skip(1).Where(c => !watcher.HasItem(c.BareJid)))
                {
                    await client.SendAsync(privileged
                        ? "<presence><priority>1</priority></presence>"
                        : $"<presence type='subscribe' to='{componentJid}'/><presence><priority>1</priority></presence>");
                    resent++;
                }
            }
        }
        if (resent > 0) Report($"{(privileged ? "presences" : "subscriptions")} sent again after a bounce: {resent}");
        Report($"logins: {users} sessions in {loggedIn.TotalSeconds:0.0} s; all {users + 1} items in the node after {connect.Elapsed.TotalSeconds:0.0} s ({(privileged ? "forwarded presence" : "subscription handshake")} + first publish)");

        // Memory per online resource.
        await Task.Delay(2000); // let the component settle (ad-hoc session details, reverse DNS) before measuring
        var componentOnline = await ComponentMemoryAsync(component);
        var prosodyOnline = RssKb(prosodyPid);
        Report($"memory, component: managed heap {componentBase.Heap / 1024.0:0.0} -> {componentOnline.Heap / 1024.0:0.0} MB = {(componentOnline.Heap - componentBase.Heap) * 1024.0 / users:0} bytes per online resource; " +
               $"RSS {componentBase.Rss / 1024.0:0.0} -> {componentOnline.Rss / 1024.0:0.0} MB = {(componentOnline.Rss - componentBase.Rss) * 1024.0 / users:0} bytes per resource");
        Report($"component link reconnects during the logins: {componentOnline.Reconnects} (keepalive 5 s, timeout 15 s)");
        Report($"memory, Prosody: RSS {prosodyBase / 1024.0:0.0} -> {prosodyOnline / 1024.0:0.0} MB = {(prosodyOnline - prosodyBase) * 1024.0 / users:0} bytes per c2s session");

        // Latency: one change at a time, to a different user each time, each awaited at the watcher.
        string[] shows = ["away", "dnd", "xa", "chat"];
        var latencies = new List<double>();
        var rng = new Random(42);
        for (var s = 0; s < samples; s++)
        {
            var client = clients[1 + rng.Next(users)];
            var show = shows[s % shows.Length];
            var t0 = Stopwatch.GetTimestamp();
            await client.SendPresenceAsync(show, 1, "sample " + s);
            long? at = null;
            await watcher.WaitAsync(w => (at = w.PublishedAt(client.BareJid, show, t0)) is not null, TimeSpan.FromSeconds(10), $"event for {client.BareJid} {show}");
            latencies.Add((at!.Value - t0) * 1000.0 / Stopwatch.Frequency);
        }
        latencies.Sort();
        Report($"latency presence -> pubsub event at a subscribed client ({samples} sequential changes): p50 {Percentile(latencies, 0.50):0.0} ms, p90 {Percentile(latencies, 0.90):0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms, max {latencies[^1]:0.0} ms");

        // Burst: every user changes at once; time until the node shows every change.
        var burst = Stopwatch.GetTimestamp();
        foreach (var client in clients.Skip(1)) await client.SendPresenceAsync("dnd", 1, "burst");
        await watcher.WaitAsync(w => clients.Skip(1).All(c => w.PublishedAt(c.BareJid, "dnd", burst) is not null), TimeSpan.FromSeconds(120), "burst applied");
        Report($"burst: {users} users change at once -> all visible at the subscriber after {(Stopwatch.GetTimestamp() - burst) * 1000.0 / Stopwatch.Frequency:0} ms");

        // Component restart: stop (SIGKILL: nothing flushed) and start; purge, repopulation, service presence.
        component.Kill();
        await component.WaitForExitAsync();
        var restart = Stopwatch.GetTimestamp();
        component = StartComponent();
        await watcher.WaitAsync(w => w.LastPurgeAt > restart, TimeSpan.FromSeconds(60), "purge");
        var purgedAt = watcher.LastPurgeAt;
        await watcher.WaitAsync(w => w.DistinctPublishedSince(purgedAt) >= users + 1, TimeSpan.FromSeconds(300), "repopulation");
        var repopulated = Stopwatch.GetTimestamp();
        await watcher.WaitAsync(w => w.LastServiceAvailableAt > purgedAt, TimeSpan.FromSeconds(60), "service available");
        double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
        var probes = await ComponentProbesAsync(component);
        Report($"restart: process start -> purge {Ms(restart, purgedAt):0} ms; -> {users + 1} items republished {Ms(restart, repopulated):0} ms " +
               $"(repopulation itself {Ms(purgedAt, repopulated):0} ms); -> service presence available {Ms(restart, watcher.LastServiceAvailableAt):0} ms; probes sent {probes}");
    }
    finally
    {
        foreach (var client in clients) await client.DisposeAsync();
        if (component is { HasExited: false }) component.Kill();
        await Script("stop");
        try { Directory.Delete(dir, true); } catch (IOException) { }
    }
    Report("");
}

var resultsDir = Path.Combine(repoRoot, "bench", "results");
Directory.CreateDirectory(resultsDir);
await File.WriteAllTextAsync(Path.Combine(resultsDir, "xmpp-e2e.txt"), results.ToString());
Console.WriteLine("written bench/results/xmpp-e2e.txt");
return 0;

void CleanupProcesses()
{
    try { if (component is { HasExited: false }) component.Kill(); } catch (InvalidOperationException) { }
    if (!File.Exists(Path.Combine(dir, "prosody.pid"))) return;
    using var stop = Process.Start(new ProcessStartInfo("bash", $"\"{Path.Combine(repoRoot, "scripts", "prosody.sh")}\" stop --dir \"{dir}\"") { UseShellExecute = false })!;
    stop.WaitForExit(10_000);
}

Process StartComponent()
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var a in new[] { typeof(Watcher).Assembly.Location, "component", "--port", componentPort.ToString(CultureInfo.InvariantCulture),
                 "--secret", secret, "--store", Path.Combine(dir, "subscribers.txt") })
        start.ArgumentList.Add(a);
    return Process.Start(start)!;
}

async Task<long> ComponentProbesAsync(Process p)
{
    await p.StandardInput.WriteLineAsync("probes");
    var line = await WaitLineAsync(p, "probes ", TimeSpan.FromSeconds(30));
    return long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
}

async Task<(long Heap, long Rss, long Reconnects)> ComponentMemoryAsync(Process p)
{
    await p.StandardInput.WriteLineAsync("mem");
    var line = await WaitLineAsync(p, "mem ", TimeSpan.FromSeconds(30));
    var parts = line.Split(' ');
    return (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture));
}

static async Task<string> WaitLineAsync(Process p, string prefix, TimeSpan timeout)
{
    using var cts = new CancellationTokenSource(timeout);
    while (true)
    {
        var line = await p.StandardOutput.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("component exited");
        if (line.StartsWith(prefix, StringComparison.Ordinal)) return line;
        if (line.StartsWith("error", StringComparison.Ordinal)) throw new InvalidOperationException(line);
    }
}

async Task Script(string command)
{
    var start = new ProcessStartInfo("bash") { UseShellExecute = false };
    foreach (var a in new[] { Path.Combine(repoRoot, "scripts", "prosody.sh"), command, "--dir", dir }) start.ArgumentList.Add(a);
    start.Environment["PROSODY_C2S_PORT"] = c2sPort.ToString(CultureInfo.InvariantCulture);
    start.Environment["PROSODY_COMPONENT_PORT"] = componentPort.ToString(CultureInfo.InvariantCulture);
    start.Environment["PROSODY_COMPONENT_SECRET"] = secret;
    start.Environment["PROSODY_AUTH"] = "internal_plain";
    start.Environment["PROSODY_PRIVILEGE"] = privileged ? "1" : "0";
    start.Environment["PROSODY_USERS"] = UserName(0);
    start.Environment["PROSODY_PASSWORD"] = password;
    using var p = Process.Start(start)!;
    await p.WaitForExitAsync();
    if (p.ExitCode != 0) throw new InvalidOperationException($"prosody.sh {command} failed");
}

static long RssKb(int pid) =>
    long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static string UserName(int i) => i == 0 ? "watcher" : $"user{i:0000}";

static int FreePort()
{
    using var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    return ((IPEndPoint)l.LocalEndpoint).Port;
}

int IntArg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) && v > 0 ? v
        : i >= 0 ? throw new ArgumentException($"{name} needs a positive whole number") : fallback;
}

static string FindRepoRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "Presence.sln"))) return d.FullName;
    throw new InvalidOperationException("Presence.sln not found");
}
