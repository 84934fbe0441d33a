using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Presence.Bench.LongRuns;

// Long runs (issue 9 item 7), not in CI:
//   long-runs soak     [--duration 3600] [--rate 500] [--sessions 1000] [--xmpp-rate 100] [--interval 60] [--api-users 1000]
//   long-runs restarts [--count 20] [--rate 100] [--sessions 200] [--xmpp-rate 50]
// Each starts a private Prosody and the Release build of the service with the XMPP component, and writes its figures
// to bench/results/soak.txt or bench/results/prosody-restarts.txt. Exit code 1 when a check fails.

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var mode = args.Length > 0 ? args[0] : "";
var repo = FindRepoRoot();
var results = Path.Combine(repo, "bench", "results");
Directory.CreateDirectory(results);
var report = new StringBuilder();
void Report(string line) { Console.WriteLine(line); report.AppendLine(line); }
string[] shows = ["away", "dnd", "xa", "chat", "online"];

return mode switch
{
    "soak" => await SoakAsync(),
    "restarts" => await RestartsAsync(),
    _ => Usage(),
};

int Usage()
{
    Console.Error.WriteLine("usage: long-runs soak [--duration S] [--rate N] [--sessions N] [--xmpp-rate N] [--interval S] [--api-users N]");
    Console.Error.WriteLine("       long-runs restarts [--count N] [--rate N] [--sessions N] [--xmpp-rate N]");
    return 2;
}

async Task<int> SoakAsync()
{
    var duration = IntArg("--duration", 3600);
    var rate = IntArg("--rate", 500);
    var sessions = IntArg("--sessions", 1000);
    var xmppRate = IntArg("--xmpp-rate", 100);
    var interval = IntArg("--interval", 60);
    var apiUsers = IntArg("--api-users", 1000);
    await using var lab = new Lab(repo, sessions);
    Report($"# Soak — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {Load()}: " +
           $"{rate} API changes/s over {apiUsers} users + {sessions} XMPP sessions changing {xmppRate}/s in total, {duration} s, Release build, SQLite");
    await lab.StartAsync();
    var login = Stopwatch.StartNew();
    await lab.ConnectSessionsAsync();
    Report($"{sessions} XMPP sessions logged in after {login.Elapsed.TotalSeconds:0.0} s; service RSS {lab.ServiceRssKb() / 1024.0:0.0} MB");

    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(duration));
    var api = new ApiLoad(lab.Http, rate, apiUsers);
    var apiRun = api.RunAsync(stop.Token);
    var xmppChanges = 0L;
    var xmppRun = Task.Run(async () =>
    {
        var rng = new Random(7);
        var clock = Stopwatch.StartNew();
        long n = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
                for (var due = (long)(clock.Elapsed.TotalSeconds * xmppRate); n < due; n++)
                {
                    var show = shows[rng.Next(shows.Length)];
                    await lab.ChangePresenceAsync(rng.Next(sessions), show == "online" ? null : show, $"soak {n}");
                    Interlocked.Increment(ref xmppChanges);
                }
        }
        catch (OperationCanceledException) { }
    });

    Report("| t (s) | service RSS (MB) | API sent | 200 | 503 | other/failed | p50 (ms) | p99 (ms) | max (ms) | XMPP changes | history committed seq | XMPP link |");
    Report("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    var rss = new List<double>();
    var p99s = new List<double>();
    var started = Stopwatch.StartNew();
    long lastSent = 0, lastOk = 0, lastUnavailable = 0, lastBad = 0, lastXmpp = 0;
    while (!stop.IsCancellationRequested)
    {
        try { await Task.Delay(TimeSpan.FromSeconds(interval), stop.Token); } catch (OperationCanceledException) { }
        var lat = api.TakeLatencies();
        var health = await lab.HealthAsync();
        var mb = lab.ServiceRssKb() / 1024.0;
        rss.Add(mb);
        var p99 = ApiLoad.Percentile(lat, 0.99);
        p99s.Add(p99);
        var bad = api.Other + api.Failed;
        Report($"| {started.Elapsed.TotalSeconds:0} | {mb:0.0} | {api.Sent - lastSent} | {api.Ok - lastOk} | {api.Unavailable - lastUnavailable} | {bad - lastBad} | " +
               $"{ApiLoad.Percentile(lat, 0.50):0.0} | {p99:0.0} | {(lat.Count > 0 ? lat[^1] : double.NaN):0.0} | {Interlocked.Read(ref xmppChanges) - lastXmpp} | " +
               $"{health?["history"]?["committedSequence"]} | {health?["xmpp"]?["state"]} |");
        (lastSent, lastOk, lastUnavailable, lastBad, lastXmpp) = (api.Sent, api.Ok, api.Unavailable, bad, Interlocked.Read(ref xmppChanges));
    }
    await Task.WhenAll(apiRun, xmppRun);

    // Writes lost: stop the service gracefully, then every acknowledged message must be a history row.
    await lab.StopServiceAsync();
    var stored = new HashSet<string>();
    await using (var db = new SqliteConnection($"Data Source={lab.DatabasePath};Mode=ReadOnly;Pooling=False"))
    {
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT Message FROM History WHERE Protocol = 'spreed' AND Message LIKE 'soak %'";
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) stored.Add(r.GetString(0));
    }
    var lost = api.Acknowledged.Count(m => !stored.Contains(m));
    var settled = rss.Skip(Math.Min(1, rss.Count - 1)).ToList(); // the first interval includes warm-up
    Report("");
    Report($"API: {api.Sent} PUTs sent, {api.Ok} acknowledged (200), {api.Unavailable} answered 503, {api.Other} other answers, {api.Failed} failed or not sent; XMPP changes sent: {Interlocked.Read(ref xmppChanges)}");
    Report($"writes lost: {lost} of {api.Acknowledged.Count} acknowledged (each acknowledged message looked up in the History table after a graceful stop)");
    Report($"service RSS after the first interval: min {settled.Min():0.0} MB, max {settled.Max():0.0} MB, last {rss[^1]:0.0} MB");
    Report($"p99 per interval: min {p99s.Where(double.IsFinite).DefaultIfEmpty().Min():0.0} ms, max {p99s.Where(double.IsFinite).DefaultIfEmpty().Max():0.0} ms; load average at the end {Load()}");
    Report(lost == 0 ? "check: writes lost = 0 — PASS" : $"check: writes lost = {lost} — FAIL");
    await File.WriteAllTextAsync(Path.Combine(results, "soak.txt"), report.ToString());
    Console.WriteLine("written bench/results/soak.txt");
    return lost == 0 ? 0 : 1;
}

async Task<int> RestartsAsync()
{
    var count = IntArg("--count", 20);
    var rate = IntArg("--rate", 100);
    var sessions = IntArg("--sessions", 200);
    var xmppRate = IntArg("--xmpp-rate", 50);
    await using var lab = new Lab(repo, sessions);
    Report($"# Prosody restarts under load — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {Load()}: " +
           $"{count} restarts, {rate} API changes/s, {sessions} XMPP sessions changing {xmppRate}/s in total");
    await lab.StartAsync();
    await lab.ConnectSessionsAsync();
    await using var consumer = new NodeConsumer();
    await consumer.ConnectAsync(lab.C2sPort, TimeSpan.FromSeconds(120));

    using var stop = new CancellationTokenSource();
    var api = new ApiLoad(lab.Http, rate, 100);
    var apiRun = api.RunAsync(stop.Token);
    var xmppPaused = true;
    var xmppRun = Task.Run(async () =>
    {
        var rng = new Random(11);
        long n = 0;
        var tick = TimeSpan.FromSeconds(1.0 / xmppRate);
        while (!stop.IsCancellationRequested)
        {
            try { await Task.Delay(tick, stop.Token); } catch (OperationCanceledException) { break; }
            if (Volatile.Read(ref xmppPaused)) continue;
            var show = shows[rng.Next(shows.Length)];
            await lab.ChangePresenceAsync(rng.Next(sessions), show == "online" ? null : show, $"restart {n++}");
        }
    });

    Report("| restart | Prosody start (s) | component online after (s) | node repopulated after (s) | consumer's node = truth after (s) | mismatches |");
    Report("| ---: | ---: | ---: | ---: | ---: | ---: |");
    var failures = 0;
    var online = new List<double>();
    for (var i = 1; i <= count; i++)
    {
        Volatile.Write(ref xmppPaused, false);
        await Task.Delay(TimeSpan.FromSeconds(3)); // under load before the restart
        await lab.ProsodyAsync("stop");
        var restart = Stopwatch.StartNew();
        await lab.ProsodyAsync("start");
        var prosodyUp = restart.Elapsed.TotalSeconds;
        var t0 = restart.Elapsed;
        double backOnline = double.NaN, repopulated = double.NaN, equal = double.NaN;
        var mismatches = -1;
        try
        {
            await Lab.WaitAsync(async () => (await lab.HealthAsync())?["xmpp"]?["state"]?.GetValue<string>() == "Online", TimeSpan.FromSeconds(60), "component online");
            backOnline = (restart.Elapsed - t0).TotalSeconds;
            // Sessions were cut by the restart: they log in again (with their last show) while the API load goes on.
            Volatile.Write(ref xmppPaused, true);
            await lab.ConnectSessionsAsync();
            Volatile.Write(ref xmppPaused, false);
            await Lab.WaitAsync(async () => (await lab.HealthAsync())?["xmpp"] is { } x && x["state"]?.GetValue<string>() == "Online" && x["repopulating"]?.GetValue<bool>() == false,
                TimeSpan.FromSeconds(120), "repopulation");
            repopulated = (restart.Elapsed - t0).TotalSeconds;
            await Task.Delay(TimeSpan.FromSeconds(2)); // some changes after the repopulation
            Volatile.Write(ref xmppPaused, true);
            await consumer.ConnectAsync(lab.C2sPort, TimeSpan.FromSeconds(120));
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                mismatches = Mismatches(lab, consumer);
                if (mismatches == 0) { equal = (restart.Elapsed - t0).TotalSeconds; break; }
                if (deadline.Elapsed > TimeSpan.FromSeconds(60)) { failures++; break; }
                await Task.Delay(100);
            }
        }
        catch (TimeoutException e)
        {
            failures++;
            Console.Error.WriteLine($"restart {i}: {e.Message}");
        }
        online.Add(backOnline);
        Report($"| {i} | {prosodyUp:0.00} | {backOnline:0.00} | {repopulated:0.00} | {equal:0.00} | {mismatches} |");
    }
    stop.Cancel();
    await Task.WhenAll(apiRun, xmppRun);
    Report("");
    Report($"component back online after a restart: max {online.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max():0.00} s, median {Median(online):0.00} s (goal: within 5 s)");
    Report($"API during the run: {api.Sent} PUTs, {api.Ok} acknowledged, {api.Unavailable} answered 503, {api.Other + api.Failed} other/failed");
    Report(failures == 0 ? $"check: the node equalled the truth after each of {count} restarts — PASS" : $"check: {failures} of {count} restarts failed — FAIL");
    await File.WriteAllTextAsync(Path.Combine(results, "prosody-restarts.txt"), report.ToString());
    Console.WriteLine("written bench/results/prosody-restarts.txt");
    return failures == 0 ? 0 : 1;
}

// Items that differ from what each session last sent (status = show, or online), plus missing or extra items.
static int Mismatches(Lab lab, NodeConsumer consumer)
{
    var node = consumer.Snapshot();
    node.Remove(consumer.BareJid);
    Dictionary<string, string?> truth;
    lock (lab.Truth) truth = new(lab.Truth);
    var wrong = truth.Count(t => !node.TryGetValue(t.Key, out var s) || s != (t.Value ?? "online"));
    return wrong + node.Keys.Count(k => !truth.ContainsKey(k));
}

static double Median(List<double> values)
{
    var v = values.Where(double.IsFinite).Order().ToList();
    return v.Count == 0 ? double.NaN : v[v.Count / 2];
}

static string Load() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

int IntArg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    if (i < 0) return fallback;
    if (i + 1 < args.Length && int.TryParse(args[i + 1], out var v) && v > 0) return v;
    throw new ArgumentException($"{name} needs a positive whole number");
}

static string FindRepoRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "Presence.sln"))) return d.FullName;
    throw new InvalidOperationException("Presence.sln not found");
}
