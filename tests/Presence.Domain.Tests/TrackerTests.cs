using Microsoft.Extensions.Time.Testing;
using Presence.Domain.Model;
using Presence.Domain.Tracking;

namespace Presence.Domain.Tests;

public class TrackerTests
{
    private static readonly UserId Alice = UserId.Parse("alice@example.com");
    private static readonly UserId Bob = UserId.Parse("bob@example.com");
    private readonly FakeTimeProvider _time = new();
    private readonly PresenceTracker _tracker;

    public TrackerTests() => _tracker = new PresenceTracker(_time);

    [Fact]
    public void AChangeCarriesBeforeAfterCauseTimeAndSequence()
    {
        var first = _tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Busy, "meeting"))!;
        Assert.Null(first.Before);
        Assert.Equal(1, first.Sequence);
        Assert.Equal(ChangeCause.Api, first.Cause);
        Assert.Equal(_time.GetUtcNow(), first.At);
        Assert.True(first.ProtocolStatusChanged);
        Assert.True(first.OverallChanged);
        var second = _tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Busy, "still meeting"))!;
        Assert.Same(first.After, second.Before);
        Assert.Equal(2, second.Sequence);
        Assert.True(second.ProtocolStatusChanged);
        Assert.False(second.OverallChanged);
    }

    [Fact]
    public void ARefreshWithTheSameStatusEmitsNothing()
    {
        _tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Available, ""));
        Assert.Null(_tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Available, "")));
    }

    [Fact]
    public void SettingXmppAsAProtocolStatusIsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => _tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Xmpp, PresenceState.Available, "")));
        Assert.Contains("per resource", ex.Message);
    }

    [Fact]
    public void ABatchWithOneInconsistentUpdateAppliesNothing()
    {
        var updates = new PresenceUpdate[]
        {
            new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Busy, ""),
            new ProtocolStatusUpdate(Bob, "Not A Protocol", PresenceState.Busy, ""),
        };
        Assert.Throws<ArgumentException>(() => _tracker.ApplyAll(updates));
        Assert.Null(_tracker.Get(Alice));
        Assert.Equal(0, _tracker.Sequence);
    }

    [Fact]
    public async Task EverySubscriberReceivesEveryChangeInOrder()
    {
        var (a, snapA) = _tracker.Subscribe("a", 16);
        var (b, _) = _tracker.Subscribe("b", 16);
        Assert.Empty(snapA.Users);
        _tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Busy, ""));
        _tracker.Apply(new ProtocolStatusUpdate(Bob, Protocols.Spreed, PresenceState.Away, ""));
        foreach (var sub in new[] { a, b })
        {
            Assert.True(await sub.WaitToReadAsync());
            Assert.True(sub.TryRead(out var c1));
            Assert.True(sub.TryRead(out var c2));
            Assert.Equal((1L, Alice), (c1.Sequence, c1.User));
            Assert.Equal((2L, Bob), (c2.Sequence, c2.User));
            Assert.False(sub.TryRead(out _));
        }
    }

    [Fact]
    public void ASubscriptionStartsFromAConsistentSnapshot()
    {
        _tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Busy, ""));
        var (sub, snapshot) = _tracker.Subscribe("late", 16);
        Assert.Equal(1, snapshot.Sequence);
        Assert.Equal(Alice, Assert.Single(snapshot.Users).User);
        Assert.False(sub.TryRead(out _));
    }

    [Fact]
    public async Task ASlowConsumerDropsAndResyncsWithoutStallingTheTracker()
    {
        var (slow, _) = _tracker.Subscribe("slow", 4);
        var (fast, _) = _tracker.Subscribe("fast", 1000);
        for (var i = 0; i < 100; i++)
            _tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Busy, $"m{i}"));
        Assert.Equal(100, _tracker.Sequence);
        Assert.True(slow.ResyncRequired);
        Assert.Equal(96, slow.Dropped);
        Assert.True(await slow.WaitToReadAsync());
        Assert.False(slow.TryRead(out _)); // refuses to hand out an incomplete history
        var snapshot = slow.Resync();
        Assert.Equal(100, snapshot.Sequence);
        Assert.Equal("m99", snapshot.Users.Single().Get(Protocols.Spreed)!.Message);
        Assert.False(slow.ResyncRequired);
        _tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Away, "after"));
        Assert.True(slow.TryRead(out var next));
        Assert.Equal(101, next.Sequence);
        Assert.Equal(101, fast.Pending);
        Assert.Equal(0, fast.Dropped);
        var stats = _tracker.FeedStatistics().Single(s => s.Name == "slow");
        Assert.Equal((96L, 1L), (stats.Dropped, stats.Resyncs));
    }

    [Fact]
    public async Task DisposingASubscriptionEndsItsReader()
    {
        var (sub, _) = _tracker.Subscribe("gone", 4);
        var wait = sub.WaitToReadAsync().AsTask();
        sub.Dispose();
        Assert.False(await wait);
        _tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Busy, ""));
        Assert.Empty(_tracker.FeedStatistics());
    }

    [Fact]
    public void ApplyToAllAnnotatesEveryXmppUserAtOnce()
    {
        _tracker.Apply(new ResourceAvailableUpdate(Alice, "r", XmppShow.Online, 0, ""));
        _tracker.Apply(new ResourceAvailableUpdate(Bob, "r", XmppShow.Dnd, 0, ""));
        _tracker.Apply(new ProtocolStatusUpdate(UserId.Parse("carol@example.com"), Protocols.Spreed, PresenceState.Busy, ""));
        var annotation = new StateAnnotation(AnnotationKind.ServerUnavailable, "pubpresence.example.com", "link lost", _time.GetUtcNow());
        var changes = _tracker.ApplyToAll(u => u.Get(Protocols.Xmpp) is null ? null
            : new AnnotationUpdate(u.User, Protocols.Xmpp, null, annotation, ChangeCause.LinkLoss));
        Assert.Equal(2, changes.Count);
        Assert.All(changes, c => Assert.Equal(annotation, c.After.Get(Protocols.Xmpp)!.Annotation));
        Assert.True(_tracker.Get(Alice)!.IsAnnotated);
    }

    [Fact]
    public void AnnotatingAnUnavailableSpreedStatusIsNotAChange()
    {
        _tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Unavailable, ""));
        var a = new StateAnnotation(AnnotationKind.ConnectionPaused, "c", null, _time.GetUtcNow());
        Assert.Null(_tracker.Apply(new AnnotationUpdate(Alice, Protocols.Spreed, null, a, ChangeCause.Expiry)));
    }

    [Fact]
    public void RestoreLoadsStateWithoutEmittingChanges()
    {
        var (sub, _) = _tracker.Subscribe("s", 4);
        var at = _time.GetUtcNow();
        _tracker.Restore([new UserPresence(Alice, [new ProtocolStatus(Protocols.Spreed, PresenceState.Busy, "m", at)], at)]);
        Assert.Equal(PresenceState.Busy, _tracker.Get(Alice)!.Overall);
        Assert.False(sub.TryRead(out _));
        Assert.Equal(0, _tracker.Sequence);
    }

    [Fact]
    public void ApplyIfAppliesNothingWhenTheDecisionIsNoLongerWanted()
    {
        _tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Busy, "meeting"));
        var seq = _tracker.Sequence;
        Assert.Null(_tracker.ApplyIf(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Unavailable, "", ChangeCause.Expiry), () => false));
        Assert.Equal(seq, _tracker.Sequence);
        Assert.Equal(PresenceState.Busy, _tracker.Get(Alice)!.Overall);
        Assert.NotNull(_tracker.ApplyIf(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Unavailable, "", ChangeCause.Expiry), () => true));
        Assert.Equal(PresenceState.Unavailable, _tracker.Get(Alice)!.Overall);
    }
}
