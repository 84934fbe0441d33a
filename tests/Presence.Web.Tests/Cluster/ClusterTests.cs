using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Presence.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Presence.Web.Tests.Cluster;

/// <summary>
/// Three nodes as separate processes on one real PostgreSQL (docs/ARCHITECTURE.md, "Several nodes"): the change log
/// carries every node's writes to the others, and an expiry is committed once whichever nodes are up.
/// </summary>
public sealed class ClusterTests(PostgresServer server, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task AWriteOnOneNodeShowsOnAnotherNodesApiAndReachesAHubClientOnAThird()
    {
        Assert.Null(server.SkipReason);
        await using var cluster = new ClusterNodes(server, "cluster_feed");
        await cluster.StartAsync("node-a");
        await cluster.StartAsync("node-b");
        await cluster.StartAsync("node-c");

        var seen = new ConcurrentQueue<JsonElement>();
        var busy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(cluster.Url("node-c", "/hubs/presence"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.AccessTokenProvider = () => Task.FromResult<string?>(PresenceApp.Token("watcher@example.com"));
            })
            .Build();
        hub.On<JsonElement>("PresenceChanged", p =>
        {
            seen.Enqueue(p);
            if (p.GetProperty("user").GetString() == "alice@example.com" && p.GetProperty("overall").GetString() == "busy") busy.TrySetResult();
        });
        await hub.StartAsync();
        await hub.InvokeAsync<JsonElement>("SubscribeAll");

        var watch = Stopwatch.StartNew();
        await cluster.PutAsync("node-a", "alice@example.com", "busy", "in a meeting");
        var onB = await cluster.WaitForSpreedAsync("node-b", "alice@example.com", (s, m) => s == "busy" && m == "in a meeting", TimeSpan.FromSeconds(10));
        await busy.Task.WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"write on A visible on B's API after {onB.TotalMilliseconds:0} ms, at C's hub client after {watch.ElapsedMilliseconds} ms");

        // The later commit wins, whichever node took it: B and C end equal to the database after interleaved writes.
        for (var i = 0; i < 30; i++) await cluster.PutAsync(i % 2 == 0 ? "node-b" : "node-c", "alice@example.com", "available", $"write {i}");
        foreach (var node in new[] { "node-a", "node-b", "node-c" })
            await cluster.WaitForSpreedAsync(node, "alice@example.com", (s, m) => s == "available" && m == "write 29", TimeSpan.FromSeconds(10));

        // Every node lists the three, with its role and lag, in /healthz details.
        var health = await cluster.HealthAsync("node-b");
        var watchHealth = Stopwatch.StartNew();
        while (health.GetProperty("cluster").GetProperty("nodes").EnumerateArray().Count(n => n.GetProperty("alive").GetBoolean()) < 3 && watchHealth.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(200); // heartbeats come every 2 s
            health = await cluster.HealthAsync("node-b");
        }
        output.WriteLine(health.GetProperty("cluster").ToString());
        Assert.Equal("node-b", health.GetProperty("cluster").GetProperty("node").GetString());
        Assert.Equal(["node-a", "node-b", "node-c"], health.GetProperty("cluster").GetProperty("nodes").EnumerateArray()
            .Where(n => n.GetProperty("alive").GetBoolean()).Select(n => n.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task ASpreedExpiryIsCommittedOnceByThreeNodesEvenWhenTheNodeThatTookTheWriteIsKilled()
    {
        Assert.Null(server.SkipReason);
        await using var cluster = new ClusterNodes(server, "cluster_expiry", new Dictionary<string, string?>
        {
            ["Presence__Spreed__PausedAfter"] = "00:00:02",
            ["Presence__Spreed__AutoUnavailable"] = "00:00:04",
        });
        await cluster.StartAsync("node-a");
        await cluster.StartAsync("node-b");
        await cluster.StartAsync("node-c");

        await cluster.PutAsync("node-a", "bob@example.com", "busy", "call");
        await cluster.WaitForSpreedAsync("node-b", "bob@example.com", (s, _) => s == "busy", TimeSpan.FromSeconds(10));
        await cluster.WaitForSpreedAsync("node-c", "bob@example.com", (s, _) => s == "busy", TimeSpan.FromSeconds(10));
        await cluster.KillAsync("node-a"); // the node that took the write dies before the deadline

        await cluster.WaitForSpreedAsync("node-b", "bob@example.com", (s, _) => s == "unavailable", TimeSpan.FromSeconds(20));
        await cluster.WaitForSpreedAsync("node-c", "bob@example.com", (s, _) => s == "unavailable", TimeSpan.FromSeconds(20));
        var history = await cluster.HistoryAsync("node-c", "bob@example.com");
        var spreed = history.EnumerateArray().Where(e => e.GetProperty("protocol").GetString() == "spreed").ToList();
        output.WriteLine(string.Join("\n", spreed.Select(e => e.ToString())));
        Assert.Single(spreed, e => e.GetProperty("cause").GetString() == "expiry" && e.GetProperty("status").GetString() == "unavailable");
        Assert.Single(spreed, e => e.GetProperty("cause").GetString() == "expiry" && e.GetProperty("status").GetString() == "busy");
    }

    [Fact]
    public async Task APreferredPresenceAndStatusMessageReachTheOtherNodeAndThePreferredExpiryIsCommittedOnce()
    {
        Assert.Null(server.SkipReason);
        await using var cluster = new ClusterNodes(server, "cluster_preferred");
        await cluster.StartAsync("node-a");
        await cluster.StartAsync("node-b");
        const string user = "carol@example.com";

        await cluster.PutAsync("node-a", user, "available", "");
        var until = DateTimeOffset.UtcNow.AddSeconds(4);
        await cluster.SendAsync("node-a", HttpMethod.Put, $"/api/v1/presence/{user}/preferred", user, new { status = "busy", message = "focus", until = until.ToString("O") });
        await cluster.SendAsync("node-a", HttpMethod.Put, $"/api/v1/presence/{user}/status-message", user, new { message = "release day" });
        var onB = await cluster.WaitForDocumentAsync("node-b", user, d => d.TryGetProperty("statusMessage", out var m) && m.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(10));
        Assert.Equal("busy", onB.GetProperty("overall").GetString());
        Assert.Equal("focus", onB.GetProperty("preferred").GetProperty("message").GetString());
        Assert.Equal(until.ToUnixTimeSeconds(), onB.GetProperty("availableAgainAt").GetDateTimeOffset().ToUnixTimeSeconds());

        await cluster.SendAsync("node-b", HttpMethod.Delete, $"/api/v1/presence/{user}/status-message", user);
        await cluster.WaitForDocumentAsync("node-a", user, d => d.GetProperty("statusMessage").ValueKind == JsonValueKind.Null, TimeSpan.FromSeconds(10));

        foreach (var node in new[] { "node-a", "node-b" })
        {
            var doc = await cluster.WaitForDocumentAsync(node, user, d => d.GetProperty("preferred").ValueKind == JsonValueKind.Null, TimeSpan.FromSeconds(20));
            Assert.Equal("available", doc.GetProperty("overall").GetString());
        }
        var history = await cluster.HistoryAsync("node-b", user);
        var preferred = history.EnumerateArray().Where(e => e.GetProperty("protocol").GetString() == "preferred").ToList();
        output.WriteLine(string.Join("\n", preferred.Select(e => e.ToString())));
        Assert.Single(preferred, e => e.GetProperty("cause").GetString() == "expiry" && e.GetProperty("status").GetString() == "cleared");
    }

    [Fact]
    public async Task ANodeWhoseDatabaseSessionsAreTerminatedCatchesUpWithEveryWriteMadeMeanwhile()
    {
        Assert.Null(server.SkipReason);
        await using var cluster = new ClusterNodes(server, "cluster_catchup");
        await cluster.StartAsync("node-a");
        await cluster.StartAsync("node-b");
        var writes = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++) await cluster.PutAsync("node-a", $"user{i % 20}@example.com", "away", $"write {i}");
        });
        long terminated = 0;
        for (var k = 0; k < 3; k++)
        {
            await Task.Delay(100); // cut the connections while the writes go on
            await using var admin = new Npgsql.NpgsqlConnection(server.ConnectionString("postgres"));
            await admin.OpenAsync();
            await using var terminate = new Npgsql.NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'node-b'", admin);
            terminated += (long)(await terminate.ExecuteScalarAsync())!;
        }
        Assert.True(terminated > 0, "no session of node-b was terminated");
        await writes;
        for (var u = 0; u < 20; u++)
        {
            var last = 180 + u;
            await cluster.WaitForSpreedAsync("node-b", $"user{u}@example.com", (s, m) => m == $"write {last}", TimeSpan.FromSeconds(20));
        }
    }
}
