using Microsoft.AspNetCore.Hosting;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Presence.Web.Authentication;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests.Components;

/// <summary>The dashboard's pages and sign-in endpoints over HTTP, without a browser (the browser flows are in e2e/).</summary>
public sealed class DashboardEndpointTests
{
    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false };

    [Fact]
    public async Task TheBoardRedirectsToSignInWithoutACookie()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db);

        using var response = await app.CreateClient(NoRedirects).GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/signin", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task AdminLeadsToTheApiClientsPageWhichAsksAnonymousCallersToSignIn()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db);
        var client = app.CreateClient(NoRedirects);

        using var admin = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        Assert.Equal("/admin/clients", admin.Headers.Location!.ToString());
        using var clients = await client.GetAsync(admin.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, clients.StatusCode);
        Assert.StartsWith("http://localhost/signin", clients.Headers.Location!.ToString());
    }

    [Fact]
    public async Task TheBoardIsShownWithoutSignInWhenAnonymousAccessIsAllowed()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Board:AllowAnonymous"] = "true" });

        using var response = await app.CreateClient(NoRedirects).GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Presence board</h1>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ThePreRenderedBoardAlreadyShowsTheFirstRowsBeforeTheCircuitStarts()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Board:AllowAnonymous"] = "true" });
        for (var i = 0; i < 60; i++)
        {
            app.Tracker.Apply(new Presence.Domain.Tracking.ProtocolStatusUpdate(Presence.Domain.Model.UserId.Parse($"u{i:00}@example.com"),
                Presence.Domain.Model.Protocols.Spreed, Presence.Domain.Model.PresenceState.Busy, "call"));
        }

        var html = await app.CreateClient(NoRedirects).GetStringAsync("/");

        var rows = Regex.Matches(html, "<tr class=\"board-row[^\"]*\" data-user=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(Presence.Web.Components.Controls.BoardTable.PrerenderedRows, rows.Count);
        Assert.Equal("u00@example.com", rows[0]);
        Assert.Contains("<span class=\"count-value\">60</span>", html);
    }

    [Fact]
    public async Task AdminPagesStayClosedEvenWhenTheBoardIsAnonymous()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Board:AllowAnonymous"] = "true" });

        using var response = await app.CreateClient(NoRedirects).GetAsync("/admin/clients");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/signin", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task ASignOutPostWithoutTheAntiforgeryTokenIsRefusedWithOneLineAndKeepsTheSession()
    {
        using var db = TempDatabase.Sqlite();
        var logs = new LogCapture();
        await using var app = new PresenceApp(db, new Dictionary<string, string?>
        {
            ["Presence:Admin:Password"] = "Configured-Passw0rd",
            ["Logging:LogLevel:Default"] = "Debug",
        }) { Logs = logs };
        var client = app.CreateClient(NoRedirects);
        using var signIn = await DashboardForms.SignInAsync(client, "admin", "Configured-Passw0rd");

        using var response = await client.PostAsync(SignInEndpoints.SignOutPath, new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("The request could not be read (a form that expired", await response.Content.ReadAsStringAsync());
        Assert.Single(logs.Entries, e => e.Contains("Refused a request to /account/signout that could not be read (400)"));
        Assert.DoesNotContain(logs.Entries, e => e.StartsWith("Error"));
        using var board = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, board.StatusCode); // still signed in: nothing was done
    }

    [Fact]
    public async Task ASignInPostWithoutTheAntiforgeryTokenIsRefusedBackToTheForm()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Admin:Password"] = "Configured-Passw0rd" });
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "admin", ["Password"] = "Configured-Passw0rd" });

        var client = app.CreateClient(NoRedirects);
        using var response = await client.PostAsync(SignInEndpoints.SignInPath, form);

        // Refused, and the person is sent back to the form with a sentence (a stale form is an everyday mistake).
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?error=form", response.Headers.Location!.ToString());
        Assert.DoesNotContain("Set-Cookie", response.Headers.Select(h => h.Key));
        Assert.Contains("The form expired or could not be read: try again.", await client.GetStringAsync(response.Headers.Location));
        using var board = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, board.StatusCode); // still signed out
    }

    [Fact]
    public async Task SigningInWithTheConfiguredAdminSetsTheCookieAndOpensTheBoard()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Admin:Password"] = "Configured-Passw0rd" });
        var client = app.CreateClient(NoRedirects);

        using var response = await DashboardForms.SignInAsync(client, "admin", "Configured-Passw0rd", "/admin/clients", page: "/signin?returnUrl=%2Fadmin%2Fclients");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/clients", response.Headers.Location!.ToString());
        using var admin = await client.GetAsync("/admin/clients");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("API clients</h1>", await admin.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ASignedInAdminGetsTheHealthDetailsThatAnonymousCallersDoNot()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Admin:Password"] = "Configured-Passw0rd" });
        var client = app.CreateClient(NoRedirects);
        var anonymous = await PresenceApp.JsonAsync(await client.GetAsync("/healthz"));
        Assert.Null(anonymous["feeds"]);
        using var signIn = await DashboardForms.SignInAsync(client, "admin", "Configured-Passw0rd");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        var json = await PresenceApp.JsonAsync(await client.GetAsync("/healthz"));

        Assert.True(json["database"]!["ok"]!.GetValue<bool>());
        Assert.Contains(json["feeds"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "history");
    }

    [Fact]
    public async Task AWrongPasswordReturnsToTheSignInPageWithAnError()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Admin:Password"] = "Configured-Passw0rd" });
        var client = app.CreateClient(NoRedirects);

        using var response = await DashboardForms.SignInAsync(client, "admin", "wrong", "https://evil.example.com/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?error=invalid&returnUrl=%2F", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task WithoutAConfiguredPasswordTheFirstAdminGetsAOneTimePasswordInAnOwnerOnlyFileNamedByTheLog()
    {
        using var db = TempDatabase.Sqlite();
        var logs = new CapturingLogs();
        var file = Path.Combine(Path.GetTempPath(), $"presence-first-admin-{Guid.NewGuid():N}.txt");
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Admin:Password"] = "", ["Presence:Admin:PasswordFile"] = file });
        await using var configured = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(logs)));
        _ = configured.Services; // starts the host, which runs the seeder

        try
        {
            var line = Assert.Single(logs.Lines, l => l.Contains("Created the first admin"));
            Assert.Contains(file, line);
            var password = File.ReadAllText(file).Trim();
            Assert.DoesNotContain(password, string.Join("\n", logs.Lines));
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            await using var scope = configured.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var admin = await users.FindByNameAsync("admin");
            Assert.NotNull(admin);
            Assert.True(await users.CheckPasswordAsync(admin!, password));
            Assert.True(await users.IsInRoleAsync(admin!, DashboardRoles.Admin));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AnUnknownPageSaysNotFoundAndTheErrorPageShowsNoStackTrace()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Board:AllowAnonymous"] = "true" });
        var client = app.CreateClient(NoRedirects);

        using var missing = await client.GetAsync("/no/such/page");
        var error = await client.GetStringAsync("/Error");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("Page not found", await missing.Content.ReadAsStringAsync());
        Assert.Contains("Something went wrong", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task TheFrameworksBlazorScriptMudBlazorAndTheReconnectScriptAreServedInProduction()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Board:AllowAnonymous"] = "true" });
        var client = app.WithWebHostBuilder(b => b.UseEnvironment("Production")).CreateClient();

        var page = await client.GetStringAsync("/");
        var assets = Regex.Matches(page, "(?:src|href)=\"([^\"]+\\.(?:js|css))\"").Select(m => m.Groups[1].Value).ToList();
        using var script = await client.GetAsync("/_framework/blazor.web.js");

        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000);
        Assert.Contains(assets, a => a.StartsWith("_framework/blazor.web.", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("_content/MudBlazor/MudBlazor.min.", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("Components/Layout/ReconnectModal.", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            using var response = await client.GetAsync(asset);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {(int)response.StatusCode}");
        }
    }

    private sealed class CapturingLogs : ILoggerProvider
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose() { }

        private sealed class Logger(CapturingLogs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner._lines) owner._lines.Add(formatter(state, exception));
            }
        }
    }
}
