// Tracker throughput: presence updates applied per second with the change feed consumed.
// Run pinned to one core:  taskset -c 0 dotnet run -c Release --project bench/TrackerBench
// Figures go to bench/results/tracker.txt (and stdout).
using System.Diagnostics;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
// On a shared machine wall time includes time the core spent on other processes; "per CPU-second" divides by the
// process's own CPU time instead, which is what one dedicated core would deliver.

const int Users = 10_000;
const int UpdatesPerRun = 5_000_000;
const int Runs = 5;

var ids = Enumerable.Range(0, Users).Select(i => UserId.Parse($"user{i}@example.com")).ToArray();
var states = new[] { PresenceState.Available, PresenceState.Busy, PresenceState.Away };
var shows = new[] { XmppShow.Online, XmppShow.Dnd, XmppShow.Away, XmppShow.Chat, XmppShow.Xa };
var messages = Enumerable.Range(0, 7).Select(i => $"message {i}").ToArray();
// Pre-built updates: the benchmark measures the tracker, not the construction of inputs.
var updates = new PresenceUpdate[1 << 16];
for (var i = 0; i < updates.Length; i++)
{
    var user = ids[i % Users];
    updates[i] = (i % 2 == 0)
        ? new ProtocolStatusUpdate(user, Protocols.Spreed, states[i / 2 % 3], messages[i % 7])
        : new ResourceAvailableUpdate(user, (i % 4 < 2) ? "laptop" : "phone", shows[i % 5], i % 3, messages[i % 7]);
}

var lines = new List<string>
{
    $"# Tracker benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC",
    $"machine: {Environment.ProcessorCount} logical CPU(s) visible, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}",
    $"users: {Users}; updates per run: {UpdatesPerRun:N0}; half spreed ProtocolStatusUpdate, half XMPP ResourceAvailableUpdate (2 resources/user)",
};

foreach (var mode in new[] { "inline-consumer", "consumer-thread" })
{
    var results = new List<(double Rate, double CpuRate, double AllocPerUpdate, long Changes)>();
    for (var run = 0; run < Runs + 1; run++)
    {
        var tracker = new PresenceTracker(TimeProvider.System);
        var (sub, _) = tracker.Subscribe("bench", 1 << 20);
        long consumed = 0;
        Thread? consumer = null;
        using var stop = new CancellationTokenSource();
        if (mode == "consumer-thread")
        {
            consumer = new Thread(() =>
            {
                try
                {
                    while (sub.WaitToReadAsync(stop.Token).AsTask().GetAwaiter().GetResult())
                    {
                        if (sub.ResyncRequired) sub.Resync();
                        while (sub.TryRead(out _)) consumed++;
                    }
                }
                catch (OperationCanceledException) { }
            }) { IsBackground = true };
            consumer.Start();
        }
        var alloc0 = GC.GetTotalAllocatedBytes(true);
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < UpdatesPerRun; i++)
        {
            tracker.Apply(updates[i & (updates.Length - 1)]);
            if (consumer is null && (i & 1023) == 1023)
            {
                while (sub.TryRead(out _)) consumed++;
            }
        }
        if (consumer is null) while (sub.TryRead(out _)) consumed++;
        sw.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        var alloc = GC.GetTotalAllocatedBytes(true) - alloc0;
        if (consumer is not null)
        {
            while (sub.Pending > 0) Thread.Sleep(1);
            stop.Cancel();
            consumer.Join();
        }
        sub.Dispose();
        if (run == 0) continue; // warm-up
        results.Add((UpdatesPerRun / sw.Elapsed.TotalSeconds, UpdatesPerRun / cpu.TotalSeconds, (double)alloc / UpdatesPerRun, tracker.Sequence));
        Console.Error.WriteLine($"{mode} run {run}: {UpdatesPerRun / sw.Elapsed.TotalSeconds:N0}/s, changes {tracker.Sequence:N0}, consumed {consumed:N0}, dropped {sub.Dropped}");
    }
    var rates = results.Select(r => r.Rate).Order().ToArray();
    var cpuRates = results.Select(r => r.CpuRate).Order().ToArray();
    lines.Add($"{mode}: median {rates[rates.Length / 2]:N0} updates/s wall (min {rates[0]:N0}, max {rates[^1]:N0}); " +
              $"median {cpuRates[cpuRates.Length / 2]:N0} updates per CPU-second of the process; " +
              $"changes emitted per run {results[0].Changes:N0}; allocated {results.Average(r => r.AllocPerUpdate):N0} B/update");
}

var text = string.Join(Environment.NewLine, lines) + Environment.NewLine;
Console.Write(text);
var dir = Path.Combine(FindRepoRoot(), "bench", "results");
Directory.CreateDirectory(dir);
File.WriteAllText(Path.Combine(dir, "tracker.txt"), text);

static string FindRepoRoot()
{
    var d = new DirectoryInfo(AppContext.BaseDirectory);
    while (d is not null && !File.Exists(Path.Combine(d.FullName, "Presence.sln"))) d = d.Parent;
    return d?.FullName ?? Directory.GetCurrentDirectory();
}
