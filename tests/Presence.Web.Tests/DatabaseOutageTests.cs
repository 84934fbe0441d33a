using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Presence.Web.History;
using Presence.Web.Tests.Hubs;
using Presence.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

/// <summary>
/// The database fails while the service runs (a full disk or read-only files under SQLite, the PostgreSQL server
/// stopped): presence keeps flowing, writes answer 503 with Retry-After and the cause, health reports the database
/// failing, and everything held in memory is committed once the database is back — checked by restarting on the same
/// database.
/// </summary>
public sealed class DatabaseOutageTests(PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private static readonly string Long = new('x', 1000);

    [Fact]
    public async Task WhenTheSqliteDiskFillsUpWritesAnswer503AndEverythingIsCommittedOnceSpaceIsFree()
    {
        using var disk = new SmallDisk();
        if (disk.SkipReason is { } why)
        {
            output.WriteLine("SKIPPED: " + why);
            return;
        }
        await RunOutageAsync(disk.Database, "disk is full", breakDatabase: disk.Fill, repairDatabase: disk.Free);
    }

    [Fact]
    public async Task WhenTheSqliteFilesBecomeReadOnlyWritesAnswer503AndEverythingIsCommittedOnceTheyAreWritable()
    {
        using var files = new ImmutableDirectory();
        if (files.SkipReason is { } why)
        {
            output.WriteLine("SKIPPED: " + why);
            return;
        }
        await RunOutageAsync(files.Database, "cannot be written", breakDatabase: files.MakeReadOnly, repairDatabase: files.MakeWritable);
    }

    [Fact]
    public async Task WhenThePostgresServerStopsWritesAnswer503AndEverythingIsCommittedOnceItIsBack()
    {
        if (postgres.SkipReason is { } why)
        {
            output.WriteLine("SKIPPED: " + why);
            return;
        }
        using var db = TempDatabase.Postgres(postgres.ConnectionString("presence_outage"));
        await RunOutageAsync(db, "database server", breakDatabase: postgres.Stop, repairDatabase: postgres.Start);
    }

    [Fact]
    public async Task WhileTheDiskIsFullTheHubStillPushesEveryChangeToItsSubscribers()
    {
        using var disk = new SmallDisk();
        if (disk.SkipReason is { } why)
        {
            output.WriteLine("SKIPPED: " + why);
            return;
        }
        using var app = new HubApp(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Presence"] = disk.Database.ConnectionString,
            ["Presence:Api:MaxMessageLength"] = "1000",
        });
        await using var client = NodeSignalRClient.Start(app.HubUrl, HubApp.TokenFor("watcher@example.com"));
        await client.NextAsync("connected");
        await client.SendAsync(new { cmd = "subscribe", users = new[] { "erin@example.com" } });
        await client.NextAsync("snapshot");
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", HubApp.TokenFor("erin@example.com"));

        disk.Fill();
        HttpResponseMessage answer;
        string message;
        var n = 0;
        do
        {
            message = $"{n++} {Long}"[..1000];
            answer = await http.PutAsync("/api/v1/presence/erin@example.com/spreed",
                new StringContent(StatusBody(message), System.Text.Encoding.UTF8, "application/json"));
            Assert.True(n < 5000, "the database never refused a write");
        }
        while (answer.IsSuccessStatusCode);
        await AssertProblemAsync(answer, 503, "disk is full");

        var pushed = await client.NextAsync("changed", e =>
            e.GetProperty("presence").GetProperty("protocols").GetProperty("spreed").GetProperty("message").GetString() == message);
        Assert.Equal("erin@example.com", pushed.GetProperty("presence").GetProperty("user").GetString());

        disk.Free();
        await app.CommittedAsync();
    }

    private static string StatusBody(string message) =>
        System.Text.Json.JsonSerializer.Serialize(new { status = "away", message });

    private static async Task RunOutageAsync(TempDatabase db, string cause, Action breakDatabase, Action repairDatabase)
    {
        var token = Token("writer@example.com");
        string lastRefused;
        using (var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Api:MaxMessageLength"] = "1000" }))
        {
            using var api = app.Bearer(Token("alice@example.com"));
            Assert.Equal(200, (int)(await app.CompatAsync(HttpMethod.Put, Envelope(Token("alice@example.com"), Entry("alice@example.com", "spreed", "busy", "acknowledged before")))).StatusCode);

            breakDatabase();

            // Writes go on until the database refuses one (a full disk may still take a few into space it holds).
            HttpResponseMessage refused;
            var n = 0;
            do
            {
                lastRefused = $"{n++} {Long}"[..1000];
                refused = await app.CompatAsync(HttpMethod.Put, Envelope(Token("bob@example.com"), Entry("bob@example.com", "spreed", "away", lastRefused)));
                Assert.True(n < 5000, "the database never refused a write");
            }
            while (refused.IsSuccessStatusCode);
            await AssertProblemAsync(refused, 503, "database is unavailable", cause, "held in memory");
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {refused.Headers.RetryAfter}");

            // While it is down: REST writes are refused at once, reads show the change (presence keeps flowing).
            var started = DateTime.UtcNow;
            using var carol = await app.Bearer(Token("carol@example.com")).PutAsync("/api/v1/presence/carol@example.com/spreed",
                new StringContent("""{"status": "busy", "message": "during the outage"}""", System.Text.Encoding.UTF8, "application/json"));
            await AssertProblemAsync(carol, 503, cause);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "the refusal waited for the commit timeout");
            var read = await JsonAsync(await api.GetAsync("/api/v1/presence/carol@example.com"));
            Assert.Equal("during the outage", read["protocols"]!["spreed"]!["message"]!.GetValue<string>());

            using var anonymous = await app.CreateClient().GetAsync("/healthz");
            Assert.Equal(503, (int)anonymous.StatusCode);
            Assert.Equal("failing", (await JsonAsync(anonymous))["database"]!.GetValue<string>());
            var details = await JsonAsync(await HealthWithXmppLinkTests.GetHealthAsync(app.CreateClient(), token));
            Assert.False(details["database"]!["ok"]!.GetValue<bool>());

            repairDatabase();

            await app.CommittedAsync();
            Assert.Equal(200, (int)(await app.CompatAsync(HttpMethod.Put, Envelope(Token("dave@example.com"), Entry("dave@example.com", "spreed", "available", "after")))).StatusCode);
            using var healthy = await app.CreateClient().GetAsync("/healthz");
            Assert.Equal(200, (int)healthy.StatusCode);
        }

        // Everything acknowledged, and everything refused but held in memory, is in the database.
        using var restarted = new PresenceApp(db);
        _ = restarted.Server;
        Assert.Equal("acknowledged before", restarted.Get("alice@example.com")!.Get("spreed")!.Message);
        Assert.Equal(lastRefused, restarted.Get("bob@example.com")!.Get("spreed")!.Message);
        Assert.Equal("during the outage", restarted.Get("carol@example.com")!.Get("spreed")!.Message);
        Assert.Equal("after", restarted.Get("dave@example.com")!.Get("spreed")!.Message);
        var history = (await JsonAsync(await restarted.Bearer(token).GetAsync("/api/v1/presence/carol@example.com/history"))).AsArray();
        Assert.Contains(history, e => e!["protocol"]!.GetValue<string>() == "spreed" && e["message"]!.GetValue<string>() == "during the outage");
    }
}
