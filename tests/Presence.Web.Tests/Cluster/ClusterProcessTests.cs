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
        if (server.SkipReason is { } why)
        {
            output.WriteLine("SKIPPED: " + why);
            return;
        }
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
}
