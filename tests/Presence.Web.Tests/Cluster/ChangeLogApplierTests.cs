using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Cluster;
using Presence.Web.Data.Entities;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests.Cluster;

/// <summary>
/// Change log entries another node wrote are data from outside this process: an entry this node cannot read is
/// skipped with one warning, nothing of it is applied, and the entries after it still are.
/// </summary>
public sealed class ChangeLogApplierTests
{
    private static readonly UserId Alice = UserId.Parse("alice@example.com");
    private readonly FakeTimeProvider _time = new();

    private static PresenceLogRow Row(long sequence, string user, string protocol, string status) => new()
    {
        Sequence = sequence, Node = "node-b", UserId = user, Protocol = protocol, Status = status, Cause = "api", At = DateTimeOffset.UnixEpoch,
    };

    private const string Busy = "{\"State\":\"Busy\",\"M\":\"call\",\"Since\":\"2026-12-08T10:00:00Z\"}";

    [Theory]
    [InlineData("alice@example.com", "spreed", "{\"State\":\"Busy\"")]                         // malformed JSON
    [InlineData("alice@example.com", "spreed", "{\"State\":\"Sleeping\",\"Since\":\"2026-12-08T10:00:00Z\"}")] // unknown state
    [InlineData("alice@example.com", "spreed", "{\"State\":99,\"Since\":\"2026-12-08T10:00:00Z\"}")]           // a number is no state
    [InlineData("alice@example.com", "spreed", "[1,2]")]                                        // not an object
    [InlineData("alice@@example.com", "spreed", Busy)]                                          // invalid JID
    [InlineData("alice@example.com", "no such protocol!", Busy)]                                // unknown protocol
    public void AnEntryThisNodeCannotReadIsSkippedWithOneWarningAndTheNextIsApplied(string user, string protocol, string status)
    {
        var tracker = new PresenceTracker(_time);
        using var logs = new LogCapture();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var applier = new ChangeLogApplier(tracker, new ChangeLogPositions(), new ClusterMode("node-a", null), factory.CreateLogger<ChangeLogApplier>());

        Assert.False(applier.Apply(Row(1, user, protocol, status), () => 0));
        Assert.Equal(0, tracker.Count);
        var warning = Assert.Single(logs.Entries);
        Assert.Contains("Change log entry 1 from node node-b skipped", warning);

        Assert.True(applier.Apply(Row(2, "alice@example.com", "spreed", Busy), () => 0));
        Assert.Equal(PresenceState.Busy, tracker.Get(Alice)!.Overall);
    }
}
