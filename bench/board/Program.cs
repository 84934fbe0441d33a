// Board benchmark (issue 4, DESIGN §10): the whole service on a real port with N users in the tracker, Debian's
// Chromium signed in on the board; measures
//   1. time from submitting the sign-in form to the board's rows being rendered (and to the circuit being interactive);
//   2. with R presence changes/s applied to the tracker (random users, spreed status, the message carrying
//      "bench <seq> <unix ms>"), the delay from each change to its row showing it, measured in the browser by a
//      MutationObserver (Date.now() minus the embedded time; browser and service share the clock).
// The board is sorted by last change, newest first, 200 rows per page, so every change lands on the visible page.
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

        // 1. Sign-in to first render.
        const string boardQuery = "/?sort=lastchange&dir=desc&size=200";
        await page.GotoAsync(boardQuery);
        await page.WaitForURLAsync("**/signin**");
        await page.GetByLabel("User name").FillAsync(BenchFactory.AdminUser);
        await page.GetByLabel("Password").FillAsync(BenchFactory.AdminPassword);
        var signIn = Stopwatch.StartNew();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator("tr.board-row").First.WaitForAsync();
        var firstRender = signIn.Elapsed;
        await page.Locator("[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var interactive = signIn.Elapsed;
        var total = await page.Locator(".board-counts [data-count='total'] .count-value").TextContentAsync();
        Console.WriteLine($"first render {firstRender.TotalMilliseconds:F0} ms, interactive {interactive.TotalMilliseconds:F0} ms, board counts {total} users");

        // 2. Change-to-row delay under load.
        await page.EvaluateAsync("""
            () => {
              window.__seen = new Set();
              window.__delays = [];
              const observer = new MutationObserver(records => {
                const now = Date.now();
                for (const r of records) {
                  const root = r.target.nodeType === 1 ? r.target : r.target.parentElement;
                  if (!root) continue;
                  const texts = [root.textContent || ''];
                  for (const n of r.addedNodes) texts.push(n.textContent || '');
                  for (const t of texts) {
                    for (const m of t.matchAll(/bench (\d+) (\d+)/g)) {
                      if (window.__seen.has(m[1])) continue;
                      window.__seen.add(m[1]);
                      window.__delays.push(now - Number(m[2]));
                    }
                  }
                }
              });
              observer.observe(document.querySelector('.board-table tbody'), { subtree: true, childList: true, characterData: true });
            }
            """);

        var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var random = new Random(42);
        var sent = 0;
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(seconds);
        using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10)))
        {
            while (clock.Elapsed < duration && await timer.WaitForNextTickAsync())
            {
                var due = (int)(clock.Elapsed.TotalSeconds * rate);
                while (sent < due)
                {
                    var id = ids[random.Next(ids.Length)];
                    var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    tracker.Apply(new ProtocolStatusUpdate(id, Protocols.Spreed, states[random.Next(3)], $"bench {sent} {ms}"));
                    sent++;
                }
            }
        }
        var achieved = sent / clock.Elapsed.TotalSeconds;
        self.Refresh();
        var cpuCores = (self.TotalProcessorTime - cpuBefore).TotalSeconds / clock.Elapsed.TotalSeconds;
        // Let the last render arrive.
        await Task.Delay(1_000);
        var delays = (await page.EvaluateAsync<double[]>("() => window.__delays")).Order().ToArray();
        var workingSet = Process.GetCurrentProcess().WorkingSet64 / (1024 * 1024);
        await page.ScreenshotAsync(new() { Path = Path.Combine(root, "bench", "results", "board.png") });

        double P(double q) => delays.Length == 0 ? double.NaN : delays[Math.Min(delays.Length - 1, (int)Math.Ceiling(q * delays.Length) - 1)];
        var report = new StringBuilder()
            .AppendLine($"Board benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, Release build, Debian Chromium headless")
            .AppendLine($"users in the tracker:                 {users:N0}")
            .AppendLine($"sign-in submit -> board rows rendered: {firstRender.TotalMilliseconds:F0} ms (pre-rendered page)")
            .AppendLine($"sign-in submit -> circuit interactive: {interactive.TotalMilliseconds:F0} ms")
            .AppendLine($"changes applied:                      {sent:N0} in {clock.Elapsed.TotalSeconds:F1} s ({achieved:F0}/s, target {rate}/s), random users, spreed status")
            .AppendLine($"changes seen in the browser:          {delays.Length:N0} ({100.0 * delays.Length / Math.Max(1, sent):F1} %; board sorted by last change, 200 rows per page)")
            .AppendLine($"change -> row shown, p50:             {P(0.50):F0} ms")
            .AppendLine($"change -> row shown, p90:             {P(0.90):F0} ms")
            .AppendLine($"change -> row shown, p99:             {P(0.99):F0} ms")
            .AppendLine($"change -> row shown, max:             {(delays.Length == 0 ? double.NaN : delays[^1]):F0} ms")
            .AppendLine($"render throttle interval:             {Presence.Web.Components.Pages.Board.RenderInterval.TotalMilliseconds:F0} ms")
            .AppendLine($"service + driver CPU while changes flow: {cpuCores:F2} cores (of {Environment.ProcessorCount})")
            .AppendLine($"process working set (service + bench): {workingSet} MiB")
    .AppendLine($"load average at the end (1/5/15 min): {LoadAverage()} — the machine is shared; figures under load are upper bounds");
        Console.Write(report);
        File.WriteAllText(Path.Combine(root, "bench", "results", "board.txt"), report.ToString());
        try { Directory.Delete(work, true); } catch (IOException) { }
        return 0;

        int Arg(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
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
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
    }
}
