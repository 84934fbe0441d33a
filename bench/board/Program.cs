// Board benchmark (issues 4 and 7; figures in docs/PERFORMANCE.md): the whole service on a real port with N users in the tracker, Debian's
// Chromium signed in on the (virtualised) board; measures
//   1. time from submitting the sign-in form to the board's first rows (and to the circuit being interactive);
//   2. with R presence changes/s applied to the tracker (spreed status, the message carrying "bench <seq> <unix ms>"),
//      the delay from a change to its row showing it, measured in the browser by a MutationObserver (Date.now() minus
//      the embedded time; browser and service share the clock): sorted by user (1 in 10 changes to a row in view,
//      those timed), sorted by last change (every change moves to the top), and at R/10 changes/s (none may be lost:
//      the users are changed in a shuffled order, each once before any again, so no row is changed twice within one
//      render interval and an unseen change is a real loss; the report lists the unseen ones);
//   3. CPU of the service (this process, with the load driver) and of Chromium while the changes flow.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Presence.Domain.Model;
using Presence.Domain.Tracking;

namespace BoardBench;

internal static class Bench
{
    /// <summary>Shortest time before the low-rate phase changes a user again for its "every change seen" to be unambiguous.</summary>
    private static readonly TimeSpan MinimumRepeat = TimeSpan.FromSeconds(2);

    public static async Task<int> Main(string[] args)
    {
        var users = Arg("--users", 10_000);
        var rate = Arg("--rate", 1_000);
        var seconds = Arg("--seconds", 20);
        var root = FindRoot();
        var work = Path.Combine(Path.GetTempPath(), "presence-board-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);

        await using var factory = new BenchFactory(Path.Combine(work, "presence.db"));
        factory.UseKestrel(0);
        factory.StartServer();
        var baseUrl = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
        var tracker = factory.Services.GetRequiredService<PresenceTracker>();
        var now = DateTimeOffset.UtcNow;
        var states = new[] { PresenceState.Available, PresenceState.Busy, PresenceState.Away, PresenceState.Unavailable };
        var ids = Enumerable.Range(0, users).Select(i => UserId.Parse($"user{i:00000}@example.com")).ToArray();
        tracker.Restore(ids.Select((id, i) => UserPresence.Empty(id, now)
            .With(new ProtocolStatus(Protocols.Spreed, states[i % 4], "initial", now), now)));
        Console.WriteLine($"{tracker.Count} users in the tracker; service at {baseUrl}");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new() { Width = 1400, Height = 900 } });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();

        // 1. Sign-in to first rows.
        await page.GotoAsync("/?sort=user");
        await page.WaitForURLAsync("**/signin**");
        await page.GetByLabel("User name").FillAsync(BenchFactory.AdminUser);
        await page.GetByLabel("Password").FillAsync(BenchFactory.AdminPassword);
        var signIn = Stopwatch.StartNew();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator("tr.board-row").First.WaitForAsync();
        var firstRows = signIn.Elapsed;
        await page.Locator("[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var interactive = signIn.Elapsed;
        var total = await page.Locator(".board-counts [data-count='total'] .count-value").TextContentAsync();
        Console.WriteLine($"first rows {firstRows.TotalMilliseconds:F0} ms, interactive {interactive.TotalMilliseconds:F0} ms, board counts {total} users");

        var random = new Random(42);
        var sequence = 0;
        var visibleWhenSortedByUser = ids.Take(10).ToArray(); // rows in view of a board sorted by user (about 13 fit a 900 px window)

        // 2. Sorted by user at the full rate: most changes hit rows out of view; every 10th change goes to a row in
        //    view, and those are the ones timed.
        var byUser = await PhaseAsync("/?sort=user", rate, seconds,
            i => i % 10 == 0 ? visibleWhenSortedByUser[random.Next(visibleWhenSortedByUser.Length)] : ids[random.Next(ids.Length)]);
        // 3. Sorted by last change, newest first, at the full rate: every change moves its row to the top.
        var byLastChange = await PhaseAsync("/?sort=lastchange&dir=desc", rate, seconds, _ => ids[random.Next(ids.Length)]);
        // 4. Sorted by last change at 100 changes/s: every change must be seen. The users are changed in a shuffled
        //    order, each once before any again (at 10,000 users and 100/s a user changes again after 100 s), so no
        //    change is legitimately hidden by a later change of the same row within one render interval.
        var slowRate = Math.Max(1, rate / 10);
        var shuffled = ids.ToArray();
        random.Shuffle(shuffled);
        var slow = await PhaseAsync("/?sort=lastchange&dir=desc", slowRate, seconds, i => shuffled[i % shuffled.Length]);
        var repeatAfter = TimeSpan.FromSeconds((double)users / slowRate);

        var workingSet = Process.GetCurrentProcess().WorkingSet64 / (1024 * 1024);
        await page.ScreenshotAsync(new() { Path = Path.Combine(root, "bench", "results", "board.png") });

        var report = new StringBuilder()
            .AppendLine($"Board benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, Release build, Debian Chromium headless, virtualised MudBlazor board")
            .AppendLine($"users in the tracker:                   {users:N0}")
            .AppendLine($"sign-in submit -> first rows rendered:  {firstRows.TotalMilliseconds:F0} ms (pre-rendered page)")
            .AppendLine($"sign-in submit -> circuit interactive:  {interactive.TotalMilliseconds:F0} ms")
            .AppendLine($"render throttle interval:               {Presence.Web.Components.Pages.Board.RenderInterval.TotalMilliseconds:F0} ms")
            .Append(byUser.Report("sorted by user, 1 in 10 changes to a row in view (those are timed)"))
            .Append(byLastChange.Report("sorted by last change, newest first (every change moves to the top)"))
            .Append(slow.Report("sorted by last change, low rate: every change must be seen", listUnseen: true))
            .AppendLine($"   users changed in a shuffled order, each once before any again: a user changes again after {repeatAfter.TotalSeconds:F1} s"
                + (repeatAfter < MinimumRepeat ? $" — less than {MinimumRepeat.TotalSeconds:F0} s, so an unseen change may be a legitimately hidden one (use more users or a lower rate)" : ""))
            .AppendLine($"process working set (service + bench):  {workingSet} MiB")
            .AppendLine($"load average at the end (1/5/15 min):   {LoadAverage()} — figures from a loaded machine are upper bounds");
        Console.Write(report);
        File.WriteAllText(Path.Combine(root, "bench", "results", "board.txt"), report.ToString());
        try { Directory.Delete(work, true); } catch (IOException) { }
        return 0;

        async Task<PhaseResult> PhaseAsync(string address, int changesPerSecond, int phaseSeconds, Func<int, UserId> pick)
        {
            await page.GotoAsync(address);
            await page.Locator("[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.Locator("tr.board-row").First.WaitForAsync();
            // Every change carries "bench <seq> <unix ms>" in its message; a MutationObserver records when each first
            // shows in the table (browser and service share the clock).
            await page.EvaluateAsync("""
                () => {
                  window.__seen = new Set();
                  window.__delays = [];
                  window.__frames = [];
                  window.__observer?.disconnect();
                  window.__observer = new MutationObserver(records => {
                    const now = Date.now();
                    // What the table showed after this mutation batch (to explain an unseen change): time, scroll
                    // offset, the first rows' users and messages.
                    const scroller = document.querySelector('.board-table .mud-table-container');
                    const rows = [...document.querySelectorAll('.board-table tbody tr.board-row')].slice(0, 8)
                      .map(r => (r.dataset.user || '?').replace(/@.*/, '') + ' ' + ((r.textContent || '').match(/bench (\d+)/)?.[1] ?? '-'));
                    const body = document.querySelector('.board-table tbody');
                    const all = body.querySelectorAll('tr.board-row');
                    const spacers = [...body.children].filter(e => e.getAttribute('aria-hidden') === 'true').map(e => e.style.height);
                    window.__frames.push([now, scroller ? scroller.scrollTop : -1,
                      rows.join(', ') + ` | ${all.length} rows, last ${(all[all.length - 1]?.dataset.user || '?').replace(/@.*/, '')}, spacers ${spacers.join('/')}`]);
                    for (const r of records) {
                      const root = r.target.nodeType === 1 ? r.target : r.target.parentElement;
                      if (!root) continue;
                      const texts = [root.textContent || ''];
                      for (const n of r.addedNodes) texts.push(n.textContent || '');
                      for (const t of texts) {
                        for (const m of t.matchAll(/bench (\d+) (\d+)/g)) {
                          if (window.__seen.has(m[1])) continue;
                          window.__seen.add(m[1]);
                          window.__delays.push([Number(m[1]), now - Number(m[2])]);
                        }
                      }
                    }
                  });
                  window.__observer.observe(document.querySelector('.board-table tbody'), { subtree: true, childList: true, characterData: true });
                }
                """);
            var self = Process.GetCurrentProcess();
            var cpuBefore = self.TotalProcessorTime;
            var chromiumBefore = ChromiumCpu();
            var timed = new Dictionary<int, (double SentMs, UserId User)>(); // sequence -> send time from the phase start
            var sent = 0;
            var clock = Stopwatch.StartNew();
            var phaseStartUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10)))
            {
                while (clock.Elapsed < TimeSpan.FromSeconds(phaseSeconds) && await timer.WaitForNextTickAsync())
                {
                    var due = (int)(clock.Elapsed.TotalSeconds * changesPerSecond);
                    while (sent < due)
                    {
                        var id = pick(sent);
                        if (Array.IndexOf(visibleWhenSortedByUser, id) >= 0 || !address.Contains("sort=user", StringComparison.Ordinal))
                        {
                            timed[sequence] = (clock.Elapsed.TotalMilliseconds, id);
                        }
                        var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                        tracker.Apply(new ProtocolStatusUpdate(id, Protocols.Spreed, states[random.Next(3)], $"bench {sequence} {ms}"));
                        sequence++;
                        sent++;
                    }
                }
            }
            var elapsed = clock.Elapsed;
            self.Refresh();
            var serviceCores = (self.TotalProcessorTime - cpuBefore).TotalSeconds / elapsed.TotalSeconds;
            var chromiumCores = (ChromiumCpu() - chromiumBefore) / elapsed.TotalSeconds;
            await Task.Delay(1_000); // let the last render arrive
            // Only this phase's timed changes count (rows moving into view also show older messages).
            var seen = (await page.EvaluateAsync<double[][]>("() => window.__delays"))
                .Where(d => timed.ContainsKey((int)d[0])).ToDictionary(d => (int)d[0], d => d[1]);
            var delays = seen.Values.Order().ToArray();
            var unseen = timed.Where(t => !seen.ContainsKey(t.Key)).OrderBy(t => t.Key)
                .Select(t => new UnseenChange(t.Key, t.Value.SentMs, t.Value.User.ToString())).ToArray();
            var frames = unseen.Length == 0 ? [] : System.Text.Json.JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.__frames)"))
                .RootElement.EnumerateArray()
                .Select(f => (At: f[0].GetDouble() - phaseStartUnixMs, ScrollTop: f[1].GetDouble(), Rows: f[2].GetString() ?? "")).ToArray();
            unseen = [.. unseen.Select(u => u with
            {
                Frames = [.. frames.Where(f => f.At >= u.SentMs - 60 && f.At <= u.SentMs + 400).Take(10)
                    .Select(f => $"+{f.At:F0} ms scrollTop {f.ScrollTop:F0}: {f.Rows}")],
            })];
            return new PhaseResult(address, sent, elapsed, changesPerSecond, timed.Count, delays.Length, delays, unseen, serviceCores, chromiumCores);
        }

        int Arg(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }

        // CPU seconds used so far by the Chromium processes under this process (browser, renderer, GPU/utility).
        static double ChromiumCpu()
        {
            var self = Environment.ProcessId;
            var parents = new Dictionary<int, int>();
            var names = new Dictionary<int, string>();
            var ticks = new Dictionary<int, long>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var close = stat.LastIndexOf(')');
                    var fields = stat[(close + 2)..].Split(' ');
                    names[pid] = stat[(stat.IndexOf('(') + 1)..close];
                    parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                    ticks[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
                {
                }
            }
            bool Descends(int pid)
            {
                for (var p = pid; p > 1 && parents.TryGetValue(p, out var parent); p = parent)
                {
                    if (parent == self) return true;
                }
                return false;
            }
            var total = ticks.Where(t => names.GetValueOrDefault(t.Key, "").StartsWith("chrom", StringComparison.Ordinal) && Descends(t.Key)).Sum(t => t.Value);
            return total / 100.0; // USER_HZ
        }

        static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

        static string FindRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Presence.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("Presence.sln not found");
        }
    }
}

/// <summary>A timed change that never showed in the browser: its sequence number, send time from the phase start (ms), user.</summary>
internal sealed record UnseenChange(int Sequence, double SentMs, string User)
{
    /// <summary>What the table showed around the send time (mutation batches: time from the phase start, scroll offset, first rows).</summary>
    public string[] Frames { get; init; } = [];
}

internal sealed record PhaseResult(string Address, int Sent, TimeSpan Elapsed, int Target, int Timed, int SeenTimed, double[] Delays,
    UnseenChange[] Unseen, double ServiceCores, double ChromiumCores)
{
    /// <summary>Most unseen changes listed in a report (the count is always given).</summary>
    private const int MaxListed = 200;

    private double P(double q) => Delays.Length == 0 ? double.NaN : Delays[Math.Min(Delays.Length - 1, (int)Math.Ceiling(q * Delays.Length) - 1)];

    /// <summary>The phase's lines of the report; with <paramref name="listUnseen"/>, the unseen timed changes too.</summary>
    public string Report(string title, bool listUnseen = false)
    {
        var report = new StringBuilder()
            .AppendLine($"-- {title}: {Address}")
            .AppendLine($"   changes applied:                     {Sent:N0} in {Elapsed.TotalSeconds:F1} s ({Sent / Elapsed.TotalSeconds:F0}/s, target {Target}/s)")
            .AppendLine($"   timed changes seen in the browser:   {SeenTimed:N0} of {Timed:N0} ({100.0 * SeenTimed / Math.Max(1, Timed):F1} %)")
            .AppendLine($"   change -> row shown p50 / p90 / p99 / max: {P(0.50):F0} / {P(0.90):F0} / {P(0.99):F0} / {(Delays.Length == 0 ? double.NaN : Delays[^1]):F0} ms (of the timed changes seen)")
            .AppendLine($"   CPU while changes flow: service + driver {ServiceCores:F2} cores, Chromium {ChromiumCores:F2} cores");
        if (listUnseen && Unseen.Length > 0)
        {
            report.AppendLine($"   unseen timed changes ({Unseen.Length:N0}; sequence number, sent at ms after the phase start, user):");
            foreach (var u in Unseen.Take(MaxListed))
            {
                report.AppendLine($"     #{u.Sequence} at +{u.SentMs:F0} ms, {u.User}");
                if (u == Unseen[0]) foreach (var f in u.Frames) report.AppendLine($"        table after a mutation at {f}");
            }
            if (Unseen.Length > MaxListed) report.AppendLine($"     … and {Unseen.Length - MaxListed:N0} more");
        }
        return report.ToString();
    }
}

internal sealed class BenchFactory(string databasePath) : WebApplicationFactory<Program>
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "Bench-admin-Passw0rd";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSolutionRelativeContentRoot(Path.Combine("src", "Presence.Web"), "Presence.sln");
        builder.UseEnvironment("Development"); // static web assets from packages are served from the build in Development
        builder.UseSetting("ConnectionStrings:Presence", $"Data Source={databasePath}");
        builder.UseSetting("Presence:Admin:UserName", AdminUser);
        builder.UseSetting("Presence:Admin:Password", AdminPassword);
        builder.UseSetting("Presence:Tokens:SharedSecret", "bench-shared-secret-0123456789");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // The restored statuses are never refreshed: with the defaults, all users the phases did not change would be
        // annotated connection-paused 60 s in (one burst of changes that moves them all to the top when sorted by last
        // change, pushing the bench's own changes of that moment out of view). The bench measures rendering, not expiry.
        builder.UseSetting("Presence:Spreed:PausedAfter", "01:00:00");
        builder.UseSetting("Presence:Spreed:AutoUnavailable", "02:00:00");
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
    }
}
