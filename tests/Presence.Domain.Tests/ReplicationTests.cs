using Microsoft.Extensions.Time.Testing;
using Presence.Domain.Model;
using Presence.Domain.Spreed;
using Presence.Domain.Tracking;

namespace Presence.Domain.Tests;

/// <summary>The tracker's side of a cluster: statuses another node committed, refreshes made visible, local sequences.</summary>
public class ReplicationTests
{
    private static readonly UserId Alice = UserId.Parse("alice@example.com");
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void AReplicatedStatusIsTakenAsCommittedWithTheOtherNodesTimeAndMarkedReplicated()
    {
        var tracker = new PresenceTracker(_time);
        var at = _time.GetUtcNow().AddSeconds(-5);
        var status = new ProtocolStatus(Protocols.Spreed, PresenceState.Busy, "call", at);
        var change = tracker.Apply(new ReplicatedStatusUpdate(Alice, Protocols.Spreed, status, ChangeCause.Api, at))!;
        Assert.True(change.Replicated);
        Assert.Equal(at, change.At);
        Assert.Equal(at, change.After.LastChange);
        Assert.Equal(PresenceState.Busy, tracker.Get(Alice)!.Overall);
        Assert.Equal(0, new PresenceTracker(_time) { EmitRefreshes = true }.LastLocalSequence(Alice, Protocols.Spreed));
    }

    [Fact]
    public void AnEqualReplicatedStatusChangesNothing()
    {
        var tracker = new PresenceTracker(_time);
        var resource = new ResourcePresence("laptop", XmppShow.Away, 5, "", _time.GetUtcNow());
        var status = new ProtocolStatus(Protocols.Xmpp, PresenceState.Away, "", _time.GetUtcNow(), null, XmppShow.Away, [resource]);
        Assert.NotNull(tracker.Apply(new ReplicatedStatusUpdate(Alice, Protocols.Xmpp, status, ChangeCause.XmppPresence, _time.GetUtcNow())));
        var copy = status with { Resources = [resource with { }] };
        Assert.Null(tracker.Apply(new ReplicatedStatusUpdate(Alice, Protocols.Xmpp, copy, ChangeCause.XmppPresence, _time.GetUtcNow())));
    }

    [Fact]
    public void InClusterModeARefreshIsEmittedAsRefreshOnlyAndLocalChangesAreNumbered()
    {
        var tracker = new PresenceTracker(_time) { EmitRefreshes = true };
        var (feed, _) = tracker.Subscribe("test");
        var set = tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Available, ""))!;
        var refresh = tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Available, ""))!;
        Assert.True(refresh.RefreshOnly);
        Assert.Same(set.After, refresh.After);
        Assert.False(refresh.ProtocolStatusChanged);
        Assert.Equal(refresh.Sequence, tracker.LastLocalSequence(Alice, Protocols.Spreed));
        var replicated = new ProtocolStatus(Protocols.Spreed, PresenceState.Busy, "x", _time.GetUtcNow());
        tracker.Apply(new ReplicatedStatusUpdate(Alice, Protocols.Spreed, replicated, ChangeCause.Api, _time.GetUtcNow()));
        Assert.Equal(refresh.Sequence, tracker.LastLocalSequence(Alice, Protocols.Spreed)); // not a local change
        Assert.True(feed.TryRead(out _) && feed.TryRead(out var r) && r.RefreshOnly);
    }

    [Fact]
    public void OnASingleNodeARefreshStillEmitsNothing()
    {
        var tracker = new PresenceTracker(_time);
        tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Available, ""));
        Assert.Null(tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Available, "")));
        Assert.Equal(0, tracker.LastLocalSequence(Alice, Protocols.Spreed));
    }

    [Fact]
    public void AReplicatedRefreshMovesTheExpiryDeadlineButAReplicatedPauseDoesNot()
    {
        var tracker = new PresenceTracker(_time);
        using var expiry = new SpreedExpiryScheduler(tracker, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), "pubpresence.example.com");
        var busy = new ProtocolStatus(Protocols.Spreed, PresenceState.Busy, "call", _time.GetUtcNow());
        tracker.Apply(new ReplicatedStatusUpdate(Alice, Protocols.Spreed, busy, ChangeCause.Api, _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(50));
        tracker.Apply(new ReplicatedStatusUpdate(Alice, Protocols.Spreed, busy, ChangeCause.Api, _time.GetUtcNow())); // refreshed elsewhere
        _time.Advance(TimeSpan.FromSeconds(20)); // 70 s after the first, 20 s after the refresh
        Assert.Null(tracker.Get(Alice)!.Get(Protocols.Spreed)!.Annotation);
        var paused = busy with { Annotation = new StateAnnotation(AnnotationKind.ConnectionPaused, "pubpresence.example.com", null, _time.GetUtcNow()) };
        tracker.Apply(new ReplicatedStatusUpdate(Alice, Protocols.Spreed, paused, ChangeCause.Expiry, _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(101)); // 121 s after the refresh: expired, the replicated pause did not reset it
        Assert.Equal(PresenceState.Unavailable, tracker.Get(Alice)!.Get(Protocols.Spreed)!.State);
    }

    [Fact]
    public void AStatusAlreadyAnnotatedAlikeIsNotAnnotatedAgain()
    {
        var tracker = new PresenceTracker(_time);
        tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Busy, "call"));
        var first = new StateAnnotation(AnnotationKind.ConnectionPaused, "pubpresence.example.com", "a", _time.GetUtcNow());
        Assert.NotNull(tracker.Apply(new AnnotationUpdate(Alice, Protocols.Spreed, null, first, ChangeCause.Expiry)));
        _time.Advance(TimeSpan.FromSeconds(1));
        var again = first with { Since = _time.GetUtcNow(), Description = "b" };
        Assert.Null(tracker.Apply(new AnnotationUpdate(Alice, Protocols.Spreed, null, again, ChangeCause.Expiry)));
    }
}
