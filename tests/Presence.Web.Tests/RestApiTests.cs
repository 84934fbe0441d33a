using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using System.Net;
using System.Text;
using Presence.Web.Tests.Infrastructure;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

public sealed class RestApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly PresenceApp _app = fixture.App;

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    [Fact]
    public async Task PutThenGetReturnsTheDesignShape()
    {
        var client = _app.Bearer(Token("ivan@example.com"));
        var put = await client.PutAsync("/api/v1/presence/Ivan@Example.com/spreed", Json("""{"status": "busy", "message": "standup"}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var json = await JsonAsync(await client.GetAsync("/api/v1/presence/ivan@example.com"));
        Assert.Equal("ivan@example.com", json["user"]!.GetValue<string>());
        Assert.Equal("busy", json["overall"]!.GetValue<string>());
        Assert.EndsWith("+00:00", json["lastChange"]!.GetValue<string>());
        var spreed = json["protocols"]!["spreed"]!;
        Assert.Equal("busy", spreed["status"]!.GetValue<string>());
        Assert.Equal("standup", spreed["message"]!.GetValue<string>());
        Assert.NotNull(spreed["since"]);
        Assert.True(spreed.AsObject().ContainsKey("annotation"));
        Assert.Null(spreed["annotation"]);
    }

    [Fact]
    public async Task GetSeveralUsersAnswersUnknownOnesAsUnavailable()
    {
        var client = _app.Bearer(Token("jana@example.com"));
        await client.PutAsync("/api/v1/presence/jana@example.com/spreed", Json("""{"status": "away"}"""));
        var json = await JsonAsync(await client.GetAsync("/api/v1/presence?user=jana@example.com&user=ghost@example.com"));
        Assert.Equal("away", json[0]!["overall"]!.GetValue<string>());
        Assert.Equal("ghost@example.com", json[1]!["user"]!.GetValue<string>());
        Assert.Equal("unavailable", json[1]!["overall"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownUserIs404()
    {
        var r = await _app.Bearer(Token("kai@example.com")).GetAsync("/api/v1/presence/ghost2@example.com");
        await AssertProblemAsync(r, 404, "ghost2@example.com");
    }

    [Fact]
    public async Task HistoryIsNewestFirstWithCauseAndLimit()
    {
        var client = _app.Bearer(Token("lena@example.com"));
        foreach (var s in new[] { "available", "busy", "away" })
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/v1/presence/lena@example.com/spreed", Json($$"""{"status": "{{s}}", "message": "{{s}} now"}"""))).StatusCode);

        var all = await JsonAsync(await client.GetAsync("/api/v1/presence/lena@example.com/history"));
        var spreed = all.AsArray().Where(e => e!["protocol"]!.GetValue<string>() == "spreed").Select(e => e!["status"]!.GetValue<string>()).ToList();
        Assert.Equal(["away", "busy", "available"], spreed);
        Assert.All(all.AsArray(), e => Assert.Equal("api", e!["cause"]!.GetValue<string>()));

        var two = await JsonAsync(await client.GetAsync("/api/v1/presence/lena@example.com/history?limit=2"));
        Assert.Equal(2, two.AsArray().Count);

        var future = await JsonAsync(await client.GetAsync("/api/v1/presence/lena@example.com/history?from=2999-01-01T00:00:00Z"));
        Assert.Empty(future.AsArray());
    }

    [Fact]
    public async Task HistoryRefusesABadLimitOrTime()
    {
        var client = _app.Bearer(Token("lena@example.com"));
        await AssertProblemAsync(await client.GetAsync("/api/v1/presence/lena@example.com/history?limit=0"), 400, "limit '0'");
        await AssertProblemAsync(await client.GetAsync("/api/v1/presence/lena@example.com/history?from=yesterday"), 400, "from 'yesterday'");
    }

    [Fact]
    public async Task SettingXmppIsRefusedBecauseItComesFromTheXmppServer()
    {
        var r = await _app.Bearer(Token("mia@example.com")).PutAsync("/api/v1/presence/mia@example.com/xmpp", Json("""{"status": "busy"}"""));
        await AssertProblemAsync(r, 400, "XMPP status comes from the XMPP server");
        Assert.Null(_app.Get("mia@example.com"));
    }

    [Fact]
    public async Task OpenApiDocumentListsTheEndpoints()
    {
        var json = await JsonAsync(await _app.CreateClient().GetAsync("/openapi/v1.json"));
        var paths = json["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/presence"));
        Assert.True(paths.ContainsKey("/api/v1/presence/{user}/{protocol}"));
        Assert.True(paths.ContainsKey("/api/v1/presence/{user}/history"));
    }

    [Fact]
    public async Task HealthReportsDatabaseTrackerAndFeedsToATokenHolder()
    {
        var json = await JsonAsync(await HealthWithXmppLinkTests.GetHealthAsync(_app.CreateClient(), PresenceApp.Token("alice@example.com")));
        Assert.Equal("ok", json["status"]!.GetValue<string>());
        Assert.True(json["database"]!["ok"]!.GetValue<bool>());
        Assert.Contains(json["feeds"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "history");
        Assert.NotNull(json["tracker"]!["users"]);
    }
}

public sealed class HealthWithXmppLinkTests
{
    private sealed class FixedLink : Presence.Xmpp.Component.IXmppLinkStatus
    {
        public Presence.Xmpp.Component.XmppLinkSnapshot Current { get; } =
            new(Presence.Xmpp.Component.XmppLinkState.Backoff, DateTimeOffset.UtcNow, 3, "connection refused", 10, 20, 0, false, Presence.Xmpp.Privilege.PresenceMode.Privileged);

        public event Action<Presence.Xmpp.Component.XmppLinkSnapshot>? Changed { add { } remove { } }
    }

    [Fact]
    public async Task HealthShowsTheXmppLinkWhenTheComponentIsRegistered()
    {
        using var db = TempDatabase.Sqlite();
        using var app = new PresenceApp(db);
        using var withLink = app.WithWebHostBuilder(b => b.ConfigureServices(s =>
            Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<Presence.Xmpp.Component.IXmppLinkStatus, FixedLink>(s)));
        var json = await JsonAsync(await GetHealthAsync(withLink.CreateClient(), PresenceApp.Token("alice@example.com")));
        Assert.Equal("Backoff", json["xmpp"]!["state"]!.GetValue<string>());
        Assert.Equal("connection refused", json["xmpp"]!["lastError"]!.GetValue<string>());
        Assert.Equal(3, json["xmpp"]!["reconnects"]!.GetValue<long>());
        Assert.Equal("Privileged", json["xmpp"]!["presenceMode"]!.GetValue<string>());
    }

    private sealed class StandbyLink : Presence.Xmpp.Component.IXmppLinkStatus
    {
        public Presence.Xmpp.Component.XmppLinkSnapshot Current { get; } =
            new(Presence.Xmpp.Component.XmppLinkState.Standby, DateTimeOffset.UtcNow, 0, null, 0, 0, 0, false);

        public event Action<Presence.Xmpp.Component.XmppLinkSnapshot>? Changed { add { } remove { } }
    }

    [Fact]
    public async Task AStandbyNodeIsHealthyAndItsDetailsNameTheNodeAndItsRole()
    {
        using var db = TempDatabase.Sqlite();
        using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Cluster:NodeName"] = "node-h" });
        using var withLink = app.WithWebHostBuilder(b => b.ConfigureServices(s =>
            Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<Presence.Xmpp.Component.IXmppLinkStatus, StandbyLink>(s)));
        var client = withLink.CreateClient();

        var summary = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/healthz"))!;
        Assert.Equal("ok", summary["status"]!.GetValue<string>());
        Assert.Equal("Standby", summary["xmpp"]!.GetValue<string>());

        var json = await JsonAsync(await GetHealthAsync(client, PresenceApp.Token("alice@example.com")));
        Assert.Equal("Standby", json["xmpp"]!["state"]!.GetValue<string>());
        Assert.Equal("node-h", json["xmpp"]!["node"]!.GetValue<string>());
        Assert.Equal("standby", json["xmpp"]!["role"]!.GetValue<string>());
        Assert.Contains(json["checks"]!.AsArray(), c => c!["name"]!.GetValue<string>() == "xmpp" && c["status"]!.GetValue<string>() == "Healthy"
                                                          && c["description"]!.GetValue<string>().Contains("standby"));
    }

    [Fact]
    public async Task AnonymousHealthShowsOnlyTheSummaryWithoutErrorTextOrCounters()
    {
        using var db = TempDatabase.Sqlite();
        using var app = new PresenceApp(db);
        using var withLink = app.WithWebHostBuilder(b => b.ConfigureServices(s =>
            Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<Presence.Xmpp.Component.IXmppLinkStatus, FixedLink>(s)));

        using var response = await withLink.CreateClient().GetAsync("/healthz");
        var text = await response.Content.ReadAsStringAsync();
        var json = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(["status", "database", "xmpp"], json.Select(p => p.Key));
        Assert.Equal("degraded", json["status"]!.GetValue<string>()); // the XMPP link is in backoff
        Assert.Equal("ok", json["database"]!.GetValue<string>());
        Assert.Equal("Backoff", json["xmpp"]!.GetValue<string>());
        Assert.DoesNotContain("connection refused", text);
    }

    [Fact]
    public async Task AnInvalidTokenGetsOnlyTheHealthSummary()
    {
        using var db = TempDatabase.Sqlite();
        using var app = new PresenceApp(db);

        var json = await JsonAsync(await GetHealthAsync(app.CreateClient(), PresenceApp.Token("alice@example.com", secret: "not-the-configured-secret-0123456789")));

        Assert.Equal("ok", json["database"]!.GetValue<string>());
        Assert.Null(json["feeds"]);
    }

    /// <summary>GET /healthz with <paramref name="token"/> as bearer token.</summary>
    internal static Task<HttpResponseMessage> GetHealthAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Authorization = new("Bearer", token);
        return client.SendAsync(request);
    }
}
