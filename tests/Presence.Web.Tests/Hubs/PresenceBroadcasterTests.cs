using Presence.Web.Api;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Hubs;

namespace Presence.Web.Tests.Hubs;

/// <summary>The broadcaster's rules (coalescing, resync) with a recording hub context in place of connections.</summary>
public sealed class PresenceBroadcasterTests
{
    private readonly PresenceTracker _tracker = new(TimeProvider.System);

    [Fact]
    public async Task ABurstBehindASlowSendBecomesOneMessageWithTheLatestState()
    {
        var hub = new RecordingHubContext { HoldFirstSend = true };
        var broadcaster = await StartAsync(hub, feedCapacity: 4096);
        var jan = UserId.Parse("jan@example.com");

        Set(jan, "first");
        await hub.FirstSendStarted;
        for (var i = 1; i <= 1000; i++) Set(jan, $"burst {i}");
        hub.Release();
        await hub.WhenAsync(m => m.Any(x => SpreedMessage(x) == "burst 1000"));

        Assert.Equal(["first", "burst 1000"], hub.Messages.Select(SpreedMessage));
        Assert.Equal(1001, broadcaster.ChangesRead);
        await broadcaster.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task EachMessageGoesToTheAllUsersGroupAndTheUsersOwnGroup()
    {
        var hub = new RecordingHubContext();
        var broadcaster = await StartAsync(hub, feedCapacity: 4096);

        Set(UserId.Parse("kim@example.com"), "hello");
        await hub.WhenAsync(m => m.Count == 1);

        Assert.Equal([PresenceGroups.All, "presence:user:kim@example.com"], Assert.Single(hub.SentGroups));
        await broadcaster.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task WhenTheFeedOverflowsEveryUserIsResentWithTheLatestState()
    {
        var hub = new RecordingHubContext { HoldFirstSend = true };
        var broadcaster = await StartAsync(hub, feedCapacity: 16);

        Set(UserId.Parse("user0@example.com"), "first");
        await hub.FirstSendStarted;
        for (var i = 1; i <= 100; i++) Set(UserId.Parse($"user{i}@example.com"), $"state {i}");
        Set(UserId.Parse("user0@example.com"), "latest");
        hub.Release();
        await hub.WhenAsync(m => m.Count >= 102);

        Assert.Equal(1, broadcaster.Resyncs);
        var after = hub.Messages.Skip(1).ToList();
        Assert.Equal(101, after.Count);
        Assert.Equal(101, after.Select(m => m.User).Distinct().Count());
        Assert.Equal("latest", SpreedMessage(after.Single(m => m.User == "user0@example.com")));
        Assert.Equal("state 42", SpreedMessage(after.Single(m => m.User == "user42@example.com")));
        await broadcaster.StopAsync(CancellationToken.None);
    }

    private async Task<PresenceBroadcaster> StartAsync(RecordingHubContext hub, int feedCapacity)
    {
        var options = Options.Create(new PresenceHubOptions { FlushInterval = TimeSpan.Zero, FeedCapacity = feedCapacity });
        var broadcaster = new PresenceBroadcaster(_tracker, hub, options, NullLogger<PresenceBroadcaster>.Instance);
        await broadcaster.StartAsync(CancellationToken.None);
        return broadcaster;
    }

    private void Set(UserId user, string message) =>
        _tracker.Apply(new ProtocolStatusUpdate(user, Protocols.Spreed, PresenceState.Available, message));

    private static string? SpreedMessage(UserPresenceDto m) => m.Protocols.TryGetValue("spreed", out var s) ? s.Message : null;
}
