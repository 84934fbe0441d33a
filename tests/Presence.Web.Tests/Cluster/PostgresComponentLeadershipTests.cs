using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Presence.Web.Cluster;
using Presence.Web.Tests.Infrastructure;
using Presence.Xmpp.Hosting;
using Xunit.Abstractions;

namespace Presence.Web.Tests.Cluster;

/// <summary>
/// Two nodes' <see cref="PostgresComponentLeadership"/> on one real PostgreSQL database: one holds the lock, the other
/// waits and takes over when the holder releases it or its connection is terminated, and the old holder is told.
/// </summary>
public sealed class PostgresComponentLeadershipTests(PostgresServer server, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private const string Jid = "pubpresence.cluster.test";
    private static readonly TimeSpan Takeover = TimeSpan.FromSeconds(5);

    private string ConnectionString => server.ConnectionString("postgres");

    private PostgresComponentLeadership Node(string name, string jid = Jid) =>
        new(ConnectionString, jid, name, LoggerFactory.Create(b => b.AddProvider(new OutputLoggerProvider(output))).CreateLogger<PostgresComponentLeadership>(),
            checkInterval: TimeSpan.FromSeconds(1));

    private static CancellationToken Timeout(int seconds = 20) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    /// <summary>Waits until the node's lock connection is blocked on the advisory lock in PostgreSQL.</summary>
    private async Task WaitUntilWaitingAsync(string node)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = @node AND wait_event_type = 'Lock' AND wait_event = 'advisory'", connection);
            command.Parameters.AddWithValue("node", node);
            if ((long)(await command.ExecuteScalarAsync())! > 0) return;
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"{node} never waited for the advisory lock");
            await Task.Delay(50); // PostgreSQL has nothing to await: polled
        }
    }

    private async Task<string?> HolderAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'node-%'", connection);
        return (string?)await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task OnlyOneNodeHoldsTheLockAndTheOtherTakesOverWithinSecondsOfItsRelease()
    {
        if (Skip()) return;
        var a = Node("node-a1");
        var b = Node("node-b1");
        var leaseA = await a.AcquireAsync(Timeout());
        var acquiringB = b.AcquireAsync(Timeout(60)).AsTask();
        await WaitUntilWaitingAsync("node-b1");
        Assert.False(acquiringB.IsCompleted, "the second node took the lock while the first held it");
        Assert.Equal("node-a1", await HolderAsync());

        var watch = Stopwatch.StartNew();
        await leaseA.DisposeAsync();
        await using var leaseB = await acquiringB.WaitAsync(Takeover);
        output.WriteLine($"takeover after release: {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal("node-b1", await HolderAsync());
        Assert.False(leaseA.Lost.IsCancellationRequested, "a released lease is not lost");
    }

    [Fact]
    public async Task WhenTheHoldersConnectionIsTerminatedTheOtherNodeTakesOverAndTheHolderIsToldItLostTheLock()
    {
        if (Skip()) return;
        var a = Node("node-a2");
        var b = Node("node-b2");
        var leaseA = await a.AcquireAsync(Timeout());
        Assert.True(leaseA.Lost.CanBeCanceled, "the lease cannot report its loss");
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        leaseA.Lost.Register(() => lost.TrySetResult());
        var acquiringB = b.AcquireAsync(Timeout(60)).AsTask();
        await WaitUntilWaitingAsync("node-b2");

        var watch = Stopwatch.StartNew();
        await using (var admin = new NpgsqlConnection(ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'node-a2'", admin);
            Assert.Equal(1L, await kill.ExecuteScalarAsync());
        }
        await using var leaseB = await acquiringB.WaitAsync(Takeover);
        var takeover = watch.Elapsed;
        await lost.Task.WaitAsync(Takeover);
        output.WriteLine($"takeover after terminate: {takeover.TotalMilliseconds:0} ms; old holder told after {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal("node-b2", await HolderAsync());
        Assert.False(leaseB.Lost.IsCancellationRequested);
        await leaseA.DisposeAsync(); // releasing a lost lease does not throw
    }

    [Fact]
    public async Task ComponentsWithDifferentJidsOnOneDatabaseDoNotShareTheLock()
    {
        if (Skip()) return;
        await using var first = await Node("node-a3").AcquireAsync(Timeout());
        await using var second = await Node("node-b3", "pubpresence.other.test").AcquireAsync(Timeout(10));
        Assert.False(first.Lost.IsCancellationRequested || second.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task StoppingAWaitingNodeEndsItsWait()
    {
        if (Skip()) return;
        await using var held = await Node("node-a4").AcquireAsync(Timeout());
        using var stop = new CancellationTokenSource();
        var waiting = Node("node-b4").AcquireAsync(stop.Token).AsTask();
        await WaitUntilWaitingAsync("node-b4");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Takeover));
    }

    [Fact]
    public void ThePostgresProviderRegistersTheLockWithTheConfiguredNodeNameAndSqliteASingleNode()
    {
        using (var db = TempDatabase.Sqlite())
        using (var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Cluster:NodeName"] = "node-sqlite" }))
        {
            var leadership = app.Services.GetRequiredService<IComponentLeadership>();
            Assert.IsType<SingleNodeLeadership>(leadership);
            Assert.Equal("node-sqlite", leadership.NodeName);
        }
        if (Skip()) return;
        using var pg = TempDatabase.Postgres(server.ConnectionString("presence_cluster_registration"));
        using var pgApp = new PresenceApp(pg, new Dictionary<string, string?> { ["Presence:Cluster:NodeName"] = "node-pg" });
        var lease = Assert.IsType<PostgresComponentLeadership>(pgApp.Services.GetRequiredService<IComponentLeadership>());
        Assert.Equal("node-pg", lease.NodeName);
        Assert.Equal("presence:xmpp-component:pubpresence.localhost", lease.LockName);
    }

    private bool Skip()
    {
        if (server.SkipReason is not { } why) return false;
        output.WriteLine("SKIPPED: " + why);
        return true;
    }
}
