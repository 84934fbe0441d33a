using System.Diagnostics;
using System.Text.Json.Nodes;
using Presence.Web.Tests.Infrastructure;
using Presence.Xmpp.Tests.Support;
using Xunit.Abstractions;

namespace Presence.Web.Tests.Cluster;

/// <summary>
/// Real service processes as cluster nodes on one private PostgreSQL database, against a scripted XMPP server that, like
/// Prosody, accepts one connection per component JID: one node holds the link, the other is on standby; it takes over
/// when the holder gets SIGTERM and when it is killed with SIGKILL.
/// </summary>
public sealed class ClusterProcessTests(PostgresServer server, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(90);

    private sealed record Node(string Name, ServiceProcess Process, string Url);

    private Node StartNode(string name, string database, int xmppPort)
    {
        var port = ServiceProcess.FreePort();
        var process = ServiceProcess.Start(new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ConnectionStrings__Presence"] = server.ConnectionString(database),
            ["Presence__Database__Provider"] = "Postgres",
            ["Presence__Cluster__NodeName"] = name,
            ["Presence__Xmpp__Enabled"] = "true",
            ["Presence__Xmpp__Secret"] = "s3cr3t",
            ["Presence__Xmpp__Port"] = xmppPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Presence__Xmpp__SessionDetails"] = "false",
        });
        return new Node(name, process, $"http://127.0.0.1:{port}");
    }

    /// <summary>The node's link state from its public <c>/healthz</c> summary, polled (another process: nothing to await) until <paramref name="state"/>.</summary>
    private static async Task WaitForStateAsync(Node node, string state)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await node.Process.WaitForAnswerAsync(node.Url + "/healthz/live", Start);
        var watch = Stopwatch.StartNew();
        string? seen = null;
        while (watch.Elapsed < Start)
        {
            seen = JsonNode.Parse(await http.GetStringAsync(node.Url + "/healthz"))!["xmpp"]?.GetValue<string>();
            if (seen == state) return;
            await Task.Delay(100);
        }
        Assert.Fail($"{node.Name} stayed {seen}, not {state}:\n{node.Process.Output}\n{node.Process.Error}");
    }

    private static async Task<JsonNode> DetailsAsync(Node node)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", PresenceApp.Token("ops@example.com"));
        return JsonNode.Parse(await http.GetStringAsync(node.Url + "/healthz"))!;
    }

    [Fact]
    public async Task TheStandbyNodeTakesTheComponentOverWithinSecondsWhenTheHolderIsStoppedOrKilled()
    {
        Assert.Null(server.SkipReason); // scripts/test.sh installs PostgreSQL
        await using var xmpp = new ScriptedComponentServer("s3cr3t") { OneConnectionPerComponent = true };
        var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4)).Token;
        var database = "presence_cluster_" + Guid.NewGuid().ToString("N")[..8];

        var a = StartNode("node-pa", database, xmpp.Port);
        await using var aProcess = a.Process;
        await xmpp.Authenticated.Reader.ReadAsync(timeout);
        await WaitForStateAsync(a, "Online"); // also migrated the database: the next node starts on it
        var b = StartNode("node-pb", database, xmpp.Port);
        await using var bProcess = b.Process;
        await WaitForStateAsync(b, "Standby");
        var details = await DetailsAsync(b);
        Assert.Equal("node-pb", details["xmpp"]!["node"]!.GetValue<string>());
        Assert.Equal("standby", details["xmpp"]!["role"]!.GetValue<string>());
        Assert.Equal("holder", (await DetailsAsync(a))["xmpp"]!["role"]!.GetValue<string>());

        // SIGTERM: the holder closes its stream, releases the lock and exits; the standby node connects.
        var watch = Stopwatch.StartNew();
        Assert.Equal(0, await a.Process.TerminateAsync(TimeSpan.FromSeconds(30)));
        var exited = watch.Elapsed;
        await xmpp.Authenticated.Reader.ReadAsync(timeout);
        var afterTerm = watch.Elapsed;
        Assert.True(await xmpp.Ended.Reader.ReadAsync(timeout), "the stopped holder did not close its stream");
        await WaitForStateAsync(b, "Online");
        output.WriteLine($"SIGTERM: holder exited after {exited.TotalMilliseconds:0} ms; standby node connected after {afterTerm.TotalMilliseconds:0} ms");

        // A new node joins on standby; then the holder is killed outright.
        var c = StartNode("node-pc", database, xmpp.Port);
        await using var cProcess = c.Process;
        await WaitForStateAsync(c, "Standby");
        var conflictsBefore = xmpp.ConflictRefusals;
        watch.Restart();
        await b.Process.KillAsync();
        await xmpp.Authenticated.Reader.ReadAsync(timeout);
        var afterKill = watch.Elapsed;
        await WaitForStateAsync(c, "Online");
        output.WriteLine($"SIGKILL: standby node connected after {afterKill.TotalMilliseconds:0} ms ({xmpp.ConflictRefusals - conflictsBefore} conflict refusals meanwhile)");
        Assert.True(afterTerm < TimeSpan.FromSeconds(10), $"takeover after SIGTERM took {afterTerm}");
        Assert.True(afterKill < TimeSpan.FromSeconds(10), $"takeover after SIGKILL took {afterKill}");
    }

    [Fact]
    public async Task KillingTheHolderUnderWritesSpreadOverThreeNodesLosesNoAcknowledgedWriteAndAnotherNodeHoldsTheComponentWithinFifteenSeconds()
    {
        Assert.Null(server.SkipReason);
        await using var xmpp = new ScriptedComponentServer("s3cr3t") { OneConnectionPerComponent = true };
        var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4)).Token;
        var database = "presence_kill_" + Guid.NewGuid().ToString("N")[..8];
        var a = StartNode("node-ka", database, xmpp.Port);
        await using var aProcess = a.Process;
        await xmpp.Authenticated.Reader.ReadAsync(timeout);
        await WaitForStateAsync(a, "Online");
        var b = StartNode("node-kb", database, xmpp.Port);
        await using var bProcess = b.Process;
        var c = StartNode("node-kc", database, xmpp.Port);
        await using var cProcess = c.Process;
        await WaitForStateAsync(b, "Standby");
        await WaitForStateAsync(c, "Standby");

        // About 100 writes/s over 20 users, round robin over the nodes that are up; per user the message number grows.
        var nodes = new[] { a, b, c };
        var dead = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        var acked = new int[20];
        var attempts = 0;
        var stop = new CancellationTokenSource();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var writer = Task.Run(async () =>
        {
            var n = 0;
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
            while (true)
            {
                try { await tick.WaitForNextTickAsync(stop.Token); }
                catch (OperationCanceledException) { break; }
                n++;
                var user = n % 20;
                var up = nodes.Where(x => !dead.ContainsKey(x.Name)).ToArray();
                var node = up[n % up.Length];
                var message = $"m{n}";
                using var put = new HttpRequestMessage(HttpMethod.Put, $"{node.Url}/api/v1/presence/user{user}@example.com/spreed")
                {
                    Content = System.Net.Http.Json.JsonContent.Create(new { status = "available", message }),
                };
                put.Headers.Authorization = new("Bearer", PresenceApp.Token($"user{user}@example.com"));
                Interlocked.Increment(ref attempts);
                try
                {
                    if ((await http.SendAsync(put)).IsSuccessStatusCode) lock (acked) acked[user] = Math.Max(acked[user], n);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // the killed node: not acknowledged
                }
            }
        });
        await Task.Delay(TimeSpan.FromSeconds(3)); // writes flow before the kill

        var watch = Stopwatch.StartNew();
        dead[a.Name] = true;
        await a.Process.KillAsync();
        await xmpp.Authenticated.Reader.ReadAsync(timeout);
        var takeover = watch.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(3)); // writes flow after the kill
        stop.Cancel();
        await writer;
        output.WriteLine($"kill -9 of the holder: another node connected after {takeover.TotalMilliseconds:0} ms; {attempts} writes attempted");
        Assert.True(takeover < TimeSpan.FromSeconds(15), $"takeover took {takeover}");
        var holders = 0;
        foreach (var node in new[] { b, c })
            if (JsonNode.Parse(await http.GetStringAsync(node.Url + "/healthz"))!["xmpp"]?.GetValue<string>() == "Online") holders++;
        Assert.Equal(1, holders);

        // No acknowledged write is lost, and every survivor equals the database.
        await using var db = new Npgsql.NpgsqlConnection(server.ConnectionString(database));
        await db.OpenAsync();
        for (var user = 0; user < 20; user++)
        {
            await using var query = new Npgsql.NpgsqlCommand("SELECT \"Message\" FROM \"ProtocolStatuses\" WHERE \"UserId\" = @u AND \"Protocol\" = 'spreed'", db);
            query.Parameters.AddWithValue("u", $"user{user}@example.com");
            var stored = (string?)await query.ExecuteScalarAsync();
            Assert.NotNull(stored);
            Assert.True(int.Parse(stored![1..]) >= acked[user], $"user{user}: the database holds {stored}, older than the acknowledged m{acked[user]}");
            foreach (var node in new[] { b, c })
            {
                var deadline = Stopwatch.StartNew();
                while (true)
                {
                    using var get = new HttpRequestMessage(HttpMethod.Get, $"{node.Url}/api/v1/presence/user{user}@example.com");
                    get.Headers.Authorization = new("Bearer", PresenceApp.Token($"user{user}@example.com"));
                    var doc = JsonNode.Parse(await (await http.SendAsync(get)).Content.ReadAsStringAsync())!;
                    var shown = doc["protocols"]?["spreed"]?["message"]?.GetValue<string>();
                    if (shown == stored) break;
                    Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"{node.Name} shows {shown} for user{user}, the database {stored}");
                    await Task.Delay(50); // another process: nothing to await
                }
            }
        }
    }
}
