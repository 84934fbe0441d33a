using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Presence.Xmpp.Tests.Integration;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Presence.E2E.Tests;

/// <summary>
/// The commands the README offers a new user, run as that user would run them: from a clean copy of the repository
/// (no build output, no database from an earlier run), in their own process group, read in a real browser (issue 10).
/// </summary>
public sealed class ScriptTests(ITestOutputHelper output)
{
    private static readonly string[] DemoUsers = ["alice", "bob", "carol", "dave", "erin"];

    private static async Task<(IPlaywright, IBrowser, IPage)> BrowserAsync(string baseUrl)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true, Args = PresenceAppFixture.ChromiumArgs,
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
        context.SetDefaultTimeout(15_000);
        return (playwright, browser, await context.NewPageAsync());
    }

    private static bool Listening(int port)
    {
        try { using var c = new TcpClient(); c.Connect("127.0.0.1", port); return true; }
        catch (SocketException) { return false; }
    }

    /// <summary>The first word after <c>label:</c> in the demo's printout.</summary>
    private static string Printed(string output, string label) =>
        Regex.Match(output, $@"^\s+{Regex.Escape(label)}:\s+(\S+)", RegexOptions.Multiline) is { Success: true } m
            ? m.Groups[1].Value
            : throw new InvalidOperationException($"the demo printed no '{label}:' line:\n{output}");

    /// <summary>The commands printed after <c>label:</c>: that line's text and the indented lines under it up to the next label.</summary>
    private static string PrintedCommands(string output, string label)
    {
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var first = lines.FindIndex(l => Regex.IsMatch(l, $@"^\s+{Regex.Escape(label)}:\s"));
        Assert.True(first >= 0, $"the demo printed no '{label}:' line");
        var commands = new List<string> { lines[first][(lines[first].IndexOf(':') + 1)..].Trim() };
        for (var i = first + 1; i < lines.Count && Regex.IsMatch(lines[i], @"^\s{6,}\S") && !Regex.IsMatch(lines[i], @"^\s+[A-Za-z ]+:\s"); i++)
            commands.Add(lines[i].Trim());
        return string.Join('\n', commands);
    }

    private static async Task<(int ExitCode, string Output, string Error)> BashAsync(string commands)
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("set -e\n" + commands);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task TheDemoFromACleanCopyShowsTheDemoUsersWithLivePresenceAndCtrlCStopsEverything()
    {
        int web = ProsodyServer.FreePort(), c2s = ProsodyServer.FreePort(), component = ProsodyServer.FreePort();
        await using var demo = await ScriptProcess.StartAsync("scripts/demo.sh", ["--web-port", web.ToString(), "--interval", "1"],
            new Dictionary<string, string> { ["PROSODY_C2S_PORT"] = c2s.ToString(), ["PROSODY_COMPONENT_PORT"] = component.ToString() });
        try
        {
            await demo.WaitForOutputAsync("Presence demo is running", TimeSpan.FromMinutes(6));
            Assert.Matches(new Regex(@"user admin, password Demo-[0-9a-f]{12}-A1"), demo.Output);

            var (playwright, browser, page) = await BrowserAsync($"http://127.0.0.1:{web}/");
            using var _ = playwright;
            try
            {
                await page.GotoAsync("/");
                foreach (var user in DemoUsers)
                    await Expect(page.Locator($"[data-user='{user}@localhost']").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
                // Live: the states on the open page change while the demo's clients change their presence (no reload).
                var before = await page.EvaluateAsync<string>("() => [...document.querySelectorAll('[data-user][data-state]')].map(e => e.dataset.user + '=' + e.dataset.state).join(',')");
                await page.WaitForFunctionAsync(
                    "before => [...document.querySelectorAll('[data-user][data-state]')].map(e => e.dataset.user + '=' + e.dataset.state).join(',') !== before",
                    before, new() { Timeout = 30_000 });
                await Expect(page.Locator("[data-user][data-state]:not([data-state='unavailable'])").First).ToBeVisibleAsync();

                // What the demo prints works as printed: the board and admin addresses, the sign-in it names, the API reference.
                Assert.Equal($"http://127.0.0.1:{web}/", Printed(demo.Output, "Board"));
                var admin = Printed(demo.Output, "Admin");
                var password = Regex.Match(demo.Output, @"user admin, password (\S+)").Groups[1].Value;
                await page.GotoAsync(admin);
                await page.GetByLabel("User name").FillAsync("admin");
                await page.GetByLabel("Password").FillAsync(password);
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API clients" })).ToBeVisibleAsync();
                foreach (Match also in Regex.Matches(demo.Output, @"also (\S+), (\S+), (\S+)\)"))
                {
                    foreach (var address in also.Groups.Values.Skip(1).Select(g => g.Value))
                    {
                        var response = await page.GotoAsync(address);
                        Assert.Equal(200, response!.Status);
                        await Expect(page.GetByText("Page not found")).ToHaveCountAsync(0);
                    }
                }
                using var http = new HttpClient();
                using var reference = await http.GetAsync(Printed(demo.Output, "API reference"));
                Assert.Equal(200, (int)reference.StatusCode);
            }
            finally
            {
                await browser.CloseAsync();
            }

            // The printed API commands, pasted into a shell as they are.
            var commands = PrintedCommands(demo.Output, "API");
            var (exit, answer, error) = await BashAsync(commands);
            Assert.True(exit == 0, $"{commands}\n{error}");
            Assert.Contains("\"user\":\"alice@localhost\"", answer);

            var webLog = await File.ReadAllTextAsync(Path.Combine(demo.Copy, ".prosody-demo", "run", "web.log"));
            Assert.Contains("Presence mode: privileged", webLog);

            var code = await demo.InterruptAsync(TimeSpan.FromSeconds(60));

            Assert.Contains("demo.sh: stopping", demo.Output);
            Assert.Empty(demo.LeftoverProcesses());
            Assert.False(Listening(web), "the web service still listens after Ctrl-C");
            Assert.False(Listening(c2s), "Prosody still listens after Ctrl-C");
            output.WriteLine($"demo.sh exited with {code}");
        }
        catch
        {
            output.WriteLine(demo.Output);
            throw;
        }
    }

    [Fact]
    public async Task RunShFromACleanCopyStartsTheServiceWithAGeneratedAdminWhoChoosesAPasswordAndSeesTheBoard()
    {
        var port = ProsodyServer.FreePort();
        await using var run = await ScriptProcess.StartAsync("run.sh", ["--urls", $"http://127.0.0.1:{port}"]);
        try
        {
            await run.WaitForOutputAsync($"listening on http://127.0.0.1:{port}", TimeSpan.FromMinutes(6));
            // The generated password never reaches the log: the log names the owner-only file that holds it.
            var file = Regex.Match(run.Output, @"written to (\S+) \(").Groups[1].Value;
            Assert.NotEmpty(file);
            var password = (await File.ReadAllTextAsync(file)).Trim();
            Assert.NotEmpty(password);
            Assert.DoesNotContain(password, run.Output);

            var (playwright, browser, page) = await BrowserAsync($"http://127.0.0.1:{port}/");
            using var _ = playwright;
            try
            {
                // The generated password works once: the first sign-in leads to choosing one's own.
                await page.GotoAsync("/");
                await page.GetByLabel("User name").FillAsync("admin");
                await page.GetByLabel("Password").FillAsync(password);
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Change password" })).ToBeVisibleAsync();
                await page.GetByLabel("Current password").FillAsync(password);
                await page.GetByLabel("New password", new() { Exact = true }).FillAsync("Own-Passw0rd-for-e2e");
                await page.GetByLabel("New password again").FillAsync("Own-Passw0rd-for-e2e");
                await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
                await Expect(page.GetByText("Your password was changed.")).ToBeVisibleAsync();
                await page.GetByRole(AriaRole.Link, new() { Name = "Continue" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Presence board" })).ToBeVisibleAsync();
                Assert.False(File.Exists(file), "the one-time password file was kept after the change");
                Assert.DoesNotContain("Own-Passw0rd-for-e2e", run.Output);
            }
            finally
            {
                await browser.CloseAsync();
            }

            await run.InterruptAsync(TimeSpan.FromSeconds(30));
            Assert.Empty(run.LeftoverProcesses());
            Assert.False(Listening(port), "the service still listens after Ctrl-C");
        }
        catch
        {
            output.WriteLine(run.Output);
            throw;
        }
    }
}
