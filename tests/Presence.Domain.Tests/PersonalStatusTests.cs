using Microsoft.Extensions.Time.Testing;
using Presence.Domain.Model;
using Presence.Domain.Tracking;

namespace Presence.Domain.Tests;

public sealed class PersonalStatusTests : IDisposable
{
    private static readonly UserId Alice = UserId.Parse("alice@example.com");
    private static readonly UserId Bob = UserId.Parse("bob@example.com");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 8, 9, 0, 0, TimeSpan.Zero));
    private readonly PresenceTracker _tracker;
    private readonly StatusDeadlineScheduler _scheduler;

    public PersonalStatusTests()
    {
        _tracker = new PresenceTracker(_time);
        _scheduler = new StatusDeadlineScheduler(_tracker);
    }

    public void Dispose() => _scheduler.Dispose();

    private DateTimeOffset In(TimeSpan span) => _time.GetUtcNow() + span;

    private PresenceChange? Spreed(UserId user, PresenceState state) => _tracker.Apply(new ProtocolStatusUpdate(user, Protocols.Spreed, state, ""));

    private PresenceChange? Prefer(UserId user, PresenceState state, DateTimeOffset? until, string message = "") =>
        _tracker.Apply(new PersonalStatusUpdate(user, Protocols.Preferred, state, message, until));

    private UserPresence Presence(UserId user) => _tracker.Get(user)!;

    [Fact]
    public void ThePreferredPresenceIsTheOverallStateWhateverTheProtocolsSay()
    {
        Spreed(Alice, PresenceState.Busy);
        Prefer(Alice, PresenceState.Away, In(TimeSpan.FromHours(1)));
        Assert.Equal(PresenceState.Away, Presence(Alice).Overall);

        Prefer(Alice, PresenceState.Unavailable, In(TimeSpan.FromHours(1)));
        Assert.Equal(PresenceState.Unavailable, Presence(Alice).Overall); // appear offline
        Assert.DoesNotContain(Presence(Alice).UserProtocols, p => Protocols.IsReserved(p.Protocol));
    }

    [Fact]
    public void AtItsEndThePreferredPresenceIsClearedAndTheProtocolsDecideAgain()
    {
        Spreed(Alice, PresenceState.Available);
        Prefer(Alice, PresenceState.Busy, In(TimeSpan.FromMinutes(30)), "focus");
        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(PresenceState.Busy, Presence(Alice).Overall);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(Presence(Alice).Preferred);
        Assert.Equal(PresenceState.Available, Presence(Alice).Overall);
        Assert.Equal(0, _scheduler.Scheduled);
    }

    [Fact]
    public void TheExpiryIsAChangeWithCauseExpiryThatRemovesTheStatus()
    {
        var (feed, _) = _tracker.Subscribe("test");
        Prefer(Alice, PresenceState.Busy, In(TimeSpan.FromMinutes(5)));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(feed.TryRead(out _));
        Assert.True(feed.TryRead(out var expired));
        Assert.Equal(ChangeCause.Expiry, expired.Cause);
        Assert.Equal(Protocols.Preferred, expired.Protocol);
        Assert.True(expired.Cleared);
        Assert.True(expired.ProtocolStatusChanged);
        Assert.True(expired.OverallChanged);
    }

    [Fact]
    public void SettingItAgainMovesTheEndAndAClearStopsTheDeadline()
    {
        Prefer(Alice, PresenceState.Busy, In(TimeSpan.FromMinutes(5)));
        Prefer(Alice, PresenceState.Busy, In(TimeSpan.FromMinutes(20)));
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(PresenceState.Busy, Presence(Alice).Overall); // the first end no longer counts

        Assert.NotNull(_tracker.Apply(new ClearStatusUpdate(Alice, Protocols.Preferred)));
        Assert.Equal(PresenceState.Unavailable, Presence(Alice).Overall);
        Assert.Equal(0, _scheduler.Scheduled);
        Assert.Null(_tracker.Apply(new ClearStatusUpdate(Alice, Protocols.Preferred))); // nothing left to clear
    }

    [Fact]
    public void TheStatusMessageExpiresAndNeverChangesTheOverallState()
    {
        Spreed(Bob, PresenceState.Away);
        var set = _tracker.Apply(new PersonalStatusUpdate(Bob, Protocols.StatusMessage, PresenceState.Busy, "on holiday", In(TimeSpan.FromDays(2))))!;
        Assert.False(set.OverallChanged);
        Assert.Equal(PresenceState.Away, Presence(Bob).Overall);
        Assert.Equal("on holiday", Presence(Bob).StatusMessage!.Message);

        _time.Advance(TimeSpan.FromDays(2));
        Assert.Null(Presence(Bob).StatusMessage);
    }

    [Fact]
    public void AnEndMonthsAheadIsKeptThroughShorterTimerWaits()
    {
        _tracker.Apply(new PersonalStatusUpdate(Bob, Protocols.StatusMessage, PresenceState.Unavailable, "sabbatical", In(TimeSpan.FromDays(200))));
        Prefer(Bob, PresenceState.Away, In(TimeSpan.FromDays(60)));
        _time.Advance(TimeSpan.FromDays(60) - TimeSpan.FromSeconds(1));
        Assert.NotNull(Presence(Bob).Preferred);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(Presence(Bob).Preferred);
        _time.Advance(TimeSpan.FromDays(140) - TimeSpan.FromSeconds(1));
        Assert.NotNull(Presence(Bob).StatusMessage);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(Presence(Bob).StatusMessage);
    }

    [Fact]
    public void ARealTimerAcceptsAnEndBeyondItsLongestWait()
    {
        var tracker = new PresenceTracker(TimeProvider.System);
        using var scheduler = new StatusDeadlineScheduler(tracker);
        var change = tracker.Apply(new PersonalStatusUpdate(Bob, Protocols.StatusMessage, PresenceState.Unavailable, "sabbatical", DateTimeOffset.UtcNow.AddDays(400)));
        Assert.NotNull(change);
        Assert.Equal(1, scheduler.Scheduled);
    }

    [Fact]
    public void AStatusMessageWithoutEndStaysUntilCleared()
    {
        _tracker.Apply(new PersonalStatusUpdate(Bob, Protocols.StatusMessage, PresenceState.Unavailable, "ask me about X", null));
        _time.Advance(TimeSpan.FromDays(400));
        Assert.Equal("ask me about X", Presence(Bob).StatusMessage!.Message);
        Assert.Equal(0, _scheduler.Scheduled);
    }

    [Fact]
    public void RestoredEndsAreScheduledAndAPastOneEndsAtOnce()
    {
        var at = _time.GetUtcNow();
        var restored = new UserPresence(Alice, [
            new ProtocolStatus(Protocols.Preferred, PresenceState.Busy, "", at.AddHours(-2), Until: at.AddHours(1)),
            new ProtocolStatus(Protocols.Spreed, PresenceState.Available, "", at.AddHours(-2)),
            new ProtocolStatus(Protocols.StatusMessage, PresenceState.Unavailable, "old", at.AddHours(-2), Until: at.AddMinutes(-1)),
        ], at.AddHours(-2));
        _tracker.Restore([restored]);
        _time.Advance(TimeSpan.Zero); // the past end is due at once
        Assert.Null(Presence(Alice).StatusMessage);
        Assert.Equal(PresenceState.Busy, Presence(Alice).Overall);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Null(Presence(Alice).StatusMessage);
        Assert.Null(Presence(Alice).Preferred);
        Assert.Equal(PresenceState.Available, Presence(Alice).Overall);
    }

    [Fact]
    public void SinceIsWhenTheOverallStateLastChangedAndLastSeenWhenItWasLastNotUnavailable()
    {
        var t0 = _time.GetUtcNow();
        Spreed(Alice, PresenceState.Unavailable);
        Assert.Null(Presence(Alice).LastSeen);
        Assert.Equal(t0, Presence(Alice).OverallSince);

        _time.Advance(TimeSpan.FromMinutes(1));
        var t1 = _time.GetUtcNow();
        Spreed(Alice, PresenceState.Available);
        Assert.Equal(t1, Presence(Alice).OverallSince);

        _time.Advance(TimeSpan.FromMinutes(1));
        _tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Available, "still here"));
        Assert.Equal(t1, Presence(Alice).OverallSince); // same overall state: since does not move

        _time.Advance(TimeSpan.FromMinutes(1));
        var t3 = _time.GetUtcNow();
        Spreed(Alice, PresenceState.Unavailable);
        Assert.Equal(t3, Presence(Alice).OverallSince);
        Assert.Equal(t3, Presence(Alice).LastSeen);

        _time.Advance(TimeSpan.FromMinutes(1));
        _tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Spreed, PresenceState.Unavailable, "gone"));
        Assert.Equal(t3, Presence(Alice).LastSeen); // unavailable all along: not seen again
    }

    [Fact]
    public void ReservedNamesAreNotUserProtocols()
    {
        Assert.NotNull(Protocols.Validate(Protocols.Preferred));
        Assert.NotNull(Protocols.Validate(Protocols.StatusMessage));
        Assert.Null(Protocols.ValidateStored(Protocols.Preferred));
        Assert.Throws<ArgumentException>(() => _tracker.Apply(new ProtocolStatusUpdate(Alice, Protocols.Preferred, PresenceState.Busy, "")));
        Assert.Throws<ArgumentException>(() => _tracker.Apply(new PersonalStatusUpdate(Alice, Protocols.Spreed, PresenceState.Busy, "", null)));
    }

    [Fact]
    public void AClearReplicatedFromAnotherNodeRemovesTheStatusAndItsDeadline()
    {
        Prefer(Alice, PresenceState.Busy, In(TimeSpan.FromHours(1)));
        var change = _tracker.Apply(new ReplicatedStatusUpdate(Alice, Protocols.Preferred, null, ChangeCause.Api, _time.GetUtcNow()))!;
        Assert.True(change.Replicated);
        Assert.Null(Presence(Alice).Preferred);
        Assert.Equal(0, _scheduler.Scheduled);
    }
}
