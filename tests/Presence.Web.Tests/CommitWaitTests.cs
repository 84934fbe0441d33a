using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Api;
using Presence.Web.Configuration;
using Presence.Web.History;

namespace Presence.Web.Tests;

/// <summary>Waits for a history commit that never comes are forgotten when they time out or are cancelled.</summary>
public sealed class CommitWaitTests
{
    // A writer that is never started: nothing is ever committed, every wait must end by timeout or cancellation.
    private static (PresenceTracker Tracker, HistoryWriter History) StalledWriter()
    {
        var tracker = new PresenceTracker(TimeProvider.System);
        var history = new HistoryWriter(tracker, null!, Options.Create(new HistoryOptions()), NullLogger<HistoryWriter>.Instance);
        return (tracker, history);
    }

    [Fact]
    public async Task ManyWritesWhoseCommitTimesOutLeaveNoWaiterBehind()
    {
        var (tracker, history) = StalledWriter();
        var writer = new PresenceWriter(tracker, history, Options.Create(new ApiOptions { CommitTimeout = TimeSpan.FromMilliseconds(20) }));

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => writer.ApplyAsync(
            [new ProtocolStatusUpdate(UserId.Parse($"u{i}@example.com"), "spreed", PresenceState.Busy, "")], CancellationToken.None)));

        Assert.All(results, r => Assert.False(r.Committed));
        Assert.Equal(0, history.PendingWaiters);
    }

    [Fact]
    public async Task ACancelledWaitIsRemovedAndAPendingOneStays()
    {
        var (_, history) = StalledWriter();
        using var cts = new CancellationTokenSource();
        var cancelled = history.WaitForCommitAsync(5, cts.Token);
        var pending = history.WaitForCommitAsync(5, CancellationToken.None);
        Assert.Equal(2, history.PendingWaiters);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(1, history.PendingWaiters);
        Assert.False(pending.IsCompleted);
    }

    [Fact]
    public async Task ATokenAlreadyCancelledAddsNoWaiter()
    {
        var (_, history) = StalledWriter();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => history.WaitForCommitAsync(5, new CancellationToken(canceled: true)));

        Assert.Equal(0, history.PendingWaiters);
    }
}
