using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Presence.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Presence.Web.Tests;

/// <summary>Liveness and readiness for orchestrators, from the framework's health checks (issue 8 §3).</summary>
public sealed class HealthCheckTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ARunningServiceIsLiveAndReady()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db);
        var client = app.CreateClient();

        var live = await client.GetAsync("/healthz/live");
        var ready = await client.GetAsync("/healthz/ready");

        Assert.Equal(200, (int)live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        Assert.Equal(200, (int)ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TokenHoldersSeeEveryCheck()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db);
        var json = await PresenceApp.JsonAsync(await HealthWithXmppLinkTests.GetHealthAsync(app.CreateClient(), PresenceApp.Token("alice@example.com")));
        var checks = json["checks"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["status"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, string> { ["database"] = "Healthy", ["history"] = "Healthy", ["xmpp"] = "Healthy", ["feeds"] = "Healthy", ["changeLog"] = "Healthy" }, checks);
    }

    [Fact]
    public async Task ReadinessFailsWhilePostgresIsStoppedAndRecoversWhenItIsBack()
    {
        using var server = new PostgresServer();
        if (server.SkipReason is not null)
        {
            output.WriteLine(server.SkipReason);
            Assert.Fail(server.SkipReason);
        }
        using var db = TempDatabase.Postgres(server.ConnectionString("ready_" + Guid.NewGuid().ToString("N")));
        await using var app = new PresenceApp(db);
        var client = app.CreateClient();
        Assert.Equal(200, (int)(await client.GetAsync("/healthz/ready")).StatusCode);

        server.Stop();
        Npgsql.NpgsqlConnection.ClearAllPools();
        var down = await client.GetAsync("/healthz/ready");
        Assert.Equal(503, (int)down.StatusCode);
        Assert.Equal("Unhealthy", await down.Content.ReadAsStringAsync());
        Assert.Equal(200, (int)(await client.GetAsync("/healthz/live")).StatusCode);
        var summary = JsonNode.Parse(await (await client.GetAsync("/healthz")).Content.ReadAsStringAsync())!;
        Assert.Equal("failing", summary["database"]!.GetValue<string>());

        server.Start();
        Assert.Equal(200, (int)(await client.GetAsync("/healthz/ready")).StatusCode);
    }

    [Fact]
    public async Task ReadinessFailsWhileHistoryCommitsFailAndRecoversOnceTheyAreCommitted()
    {
        using var server = new PostgresServer();
        if (server.SkipReason is not null) Assert.Fail(server.SkipReason);
        using var db = TempDatabase.Postgres(server.ConnectionString("commits_" + Guid.NewGuid().ToString("N")));
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Api:CommitTimeout"] = "00:00:01" });
        var client = app.CreateClient();
        var token = PresenceApp.Token("nina@example.com");
        Assert.Equal(200, (int)(await client.GetAsync("/healthz/ready")).StatusCode);

        server.Stop();
        Npgsql.NpgsqlConnection.ClearAllPools();
        var put = await app.Bearer(token).PutAsync("/api/v1/presence/nina@example.com/spreed",
            new StringContent("{\"status\": \"busy\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(503, (int)put.StatusCode); // not committed: the database is unavailable
        var details = await PresenceApp.JsonAsync(await HealthWithXmppLinkTests.GetHealthAsync(client, token));
        var history = details["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "history")!;
        Assert.Equal("Unhealthy", history["status"]!.GetValue<string>());

        server.Start();
        await app.CommittedAsync();
        Assert.Equal(200, (int)(await client.GetAsync("/healthz/ready")).StatusCode);
    }
}
