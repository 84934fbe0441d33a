using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using ComponentPipeline;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;
using Presence.Xmpp.Roster;

// Component pipeline benchmark (issue 3): a loopback server speaking XEP-0114 writes presence stanzas as fast as the
// socket takes them; the component parses them, applies them to the tracker and publishes coalesced pubsub items,
// which the server acknowledges. Measures stanzas/s end to end (until every stanza is applied and every publish
// acknowledged) and allocated bytes per stanza. Writes bench/results/component.txt.
// With the first argument `stall`: the stalled-server bench (StalledServerBench.cs), bench/results/stalled-server.txt.
if (args.Length > 0 && args[0] == "stall")
{
    // Stalled XMPP server (issue 9): stall [cycles=24] [OutboundQueueCapacity=20000] [output]
    await StalledServerBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 24,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20_000,
        args.Length > 3 ? args[3] : Path.Combine(FindRepoRoot(), "bench", "results", "stalled-server.txt"));
    return;
}
var stanzas = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var users = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
var output = args.Length > 3 ? args[3] : Path.Combine(FindRepoRoot(), "bench", "results", "component.txt");

var report = new StringBuilder();
report.AppendLine($"Component pipeline benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
report.AppendLine($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, GC {(GCSettings.IsServerGC ? "server" : "workstation")}");
report.AppendLine($"Workload: {stanzas:N0} presence stanzas over {users:N0} users × 2 resources, every stanza a change (show/status/priority cycle); server acknowledges every iq at once; publish window 64");
report.AppendLine($"Load average at start: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a")} (the machine is shared; stanzas per CPU-second is the steadier figure)");
report.AppendLine();
for (var round = 1; round <= rounds; round++)
{
    var line = await RunAsync(stanzas, users);
    Console.WriteLine($"round {round}: {line}");
    report.AppendLine($"round {round}: {line}");
}
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
await File.WriteAllTextAsync(output, report.ToString());
Console.WriteLine($"written to {output}");

static async Task<string> RunAsync(int stanzaCount, int userCount)
{
    await using var server = new LoopbackComponentServer("bench-secret");
    var tracker = new PresenceTracker(TimeProvider.System);
    var options = new XmppOptions
    {
        Enabled = true, Port = server.Port, Secret = "bench-secret", SessionDetails = false,
        PingInterval = TimeSpan.FromHours(1), KeepaliveInterval = TimeSpan.FromSeconds(5), KeepaliveTimeout = TimeSpan.FromSeconds(30),
        RepopulationQuietPeriod = TimeSpan.FromMilliseconds(100), PublishWindow = 64,
    };
    var component = new XmppComponent(options, tracker, new NoSubscribers());
    using var stop = new CancellationTokenSource();
    var accept = server.AcceptAsync();
    var run = Task.Run(() => component.RunAsync(stop.Token));
    await accept;
    await component.Monitor.WaitUntilAsync(s => s.State == XmppLinkState.Online && !s.Repopulating);

    // Pre-rendered stanzas: user i's resources alternate; show, status and priority cycle so every stanza changes state.
    string[] shows = ["", "<show>away</show>", "<show>dnd</show>", "<show>xa</show>", "<show>chat</show>"];
    var block = new List<byte[]>();
    var chunk = new StringBuilder();
    for (var i = 0; i < stanzaCount; i++)
    {
        var user = i % userCount;
        var cycle = i / userCount;
        var resource = cycle % 2 == 0 ? "laptop" : "phone";
        chunk.Append("<presence from='user").Append(user).Append("@localhost/").Append(resource).Append("' to='pubpresence.localhost'>")
            .Append(shows[cycle % shows.Length]).Append("<status>status ").Append(cycle).Append(" &amp; ümlaut 😀</status><priority>")
            .Append(cycle % 7).Append("</priority></presence>");
        if (chunk.Length > 60_000) { block.Add(Encoding.UTF8.GetBytes(chunk.ToString())); chunk.Clear(); }
    }
    chunk.Append("<presence from='end@localhost/marker' to='pubpresence.localhost'/>");
    block.Add(Encoding.UTF8.GetBytes(chunk.ToString()));
    var bytes = block.Sum(b => (long)b.Length);

    var end = UserId.Parse("end@localhost");
    var (feed, _) = tracker.Subscribe("bench-end", 1_000_000);
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var changesBefore = tracker.Sequence;
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var send = Task.Run(async () => { foreach (var b in block) await server.WriteAsync(b); });
    // Wait for the marker: the stream is processed in order, so every stanza before it was applied.
    while (tracker.Get(end) is null)
    {
        await feed.WaitToReadAsync();
        while (feed.TryRead(out _)) { }
        if (feed.ResyncRequired) feed.Resync();
    }
    var applied = clock.Elapsed;
    await send;
    await component.WaitPublishedAsync(CancellationToken.None);
    var drained = clock.Elapsed;
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    var gcAfter = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    var changes = tracker.Sequence - changesBefore;
    var counters = component.PubSubCounters;
    feed.Dispose();
    stop.Cancel();
    await run;

    return string.Create(CultureInfo.InvariantCulture,
        $"{stanzaCount / applied.TotalSeconds:N0} stanzas/s parsed+applied ({applied.TotalMilliseconds:N0} ms, {bytes / applied.TotalSeconds / 1e6:N1} MB/s), " +
        $"{stanzaCount / drained.TotalSeconds:N0} stanzas/s with every publish acknowledged ({drained.TotalMilliseconds:N0} ms); " +
        $"{changes:N0} tracker changes, {server.Publishes:N0} publishes + {server.Retracts:N0} retracts sent ({counters.Publishes:N0} acknowledged, {counters.Coalesced:N0} states coalesced), " +
        $"{(double)allocated / stanzaCount:N0} B allocated per stanza (whole process, incl. the server side), " +
        $"{stanzaCount / cpu.TotalSeconds:N0} stanzas per CPU-second (process CPU {cpu.TotalSeconds:N2} s = {cpu.TotalMilliseconds / drained.TotalMilliseconds * 100:N0}% of one core), GC gen0/1/2 {gcAfter.Item1 - gcBefore.Item1}/{gcAfter.Item2 - gcBefore.Item2}/{gcAfter.Item3 - gcBefore.Item3}");
}

static string FindRepoRoot()
{
    var dir = AppContext.BaseDirectory;
    while (dir is not null && !File.Exists(Path.Combine(dir, "Presence.sln"))) dir = Path.GetDirectoryName(dir);
    return dir ?? Directory.GetCurrentDirectory();
}

internal sealed class NoSubscribers : ISubscriberStore
{
    public Task<IReadOnlyList<string>> GetAllAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
    public Task AddAsync(string bareJid, CancellationToken cancellationToken) => Task.CompletedTask;
    public Task RemoveAsync(string bareJid, CancellationToken cancellationToken) => Task.CompletedTask;
}
