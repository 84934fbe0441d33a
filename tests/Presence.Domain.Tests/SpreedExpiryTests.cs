using Microsoft.Extensions.Time.Testing;
using Presence.Domain.Model;
using Presence.Domain.Spreed;
using Presence.Domain.Tracking;

namespace Presence.Domain.Tests;

public class SpreedExpiryTests : IDisposable
{
    private static readonly UserId Alice = UserId.Parse("alice@example.com");
    private static readonly UserId Bob = UserId.Parse("bob@example.com");
    private readonly FakeTimeProvider _time = new();
    private readonly PresenceTracker _tracker;
    private readonly SpreedExpiryScheduler _scheduler;

    public SpreedExpiryTests()
    {
        _tracker = new PresenceTracker(_time);
        _scheduler = new SpreedExpiryScheduler(_tracker, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), "pubpresence.example.com");
    }

    public void Dispose() => _scheduler.Dispose();

    private ProtocolStatus Spreed(UserId user) => _tracker.Get(user)!.Get(Protocols.Spreed)!;

    private void Put(UserId user, PresenceState state, string message = "in a call") =>
        _tracker.Apply(new ProtocolStatusUpdate(user, Protocols.Spreed, state, message));

    [Fact]
    public void AStatusNotRefreshedIsPausedThenUnavailable()
    {
        Put(Alice, PresenceState.Busy);
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(Spreed(Alice).Annotation);
        _time.Advance(TimeSpan.FromSeconds(1));
        var a = Spreed(Alice).Annotation!;
        Assert.Equal(AnnotationKind.ConnectionPaused, a.Kind);
        Assert.Equal("pubpresence.example.com", a.From);
        Assert.Equal(PresenceState.Busy, Spreed(Alice).State); // kept, only doubted
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(PresenceState.Busy, Spreed(Alice).State);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(PresenceState.Unavailable, Spreed(Alice).State);
        Assert.Equal("", Spreed(Alice).Message);
        Assert.Null(Spreed(Alice).Annotation);
        Assert.Equal(0, _scheduler.Scheduled);
    }

    [Fact]
    public void ARefreshClearsThePausedAnnotationAndRestartsTheClock()
    {
        Put(Alice, PresenceState.Available);
        _time.Advance(TimeSpan.FromSeconds(90));
        Assert.NotNull(Spreed(Alice).Annotation);
        Put(Alice, PresenceState.Available); // same status: a refresh
        Assert.Null(Spreed(Alice).Annotation);
        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(PresenceState.Available, Spreed(Alice).State);
        Assert.NotNull(Spreed(Alice).Annotation);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(PresenceState.Unavailable, Spreed(Alice).State);
    }

    [Fact]
    public void ARefreshWithoutChangeStillPostponesExpiry()
    {
        Put(Alice, PresenceState.Away);
        _time.Advance(TimeSpan.FromSeconds(50));
        Put(Alice, PresenceState.Away);
        _time.Advance(TimeSpan.FromSeconds(50));
        Assert.Null(Spreed(Alice).Annotation);
    }

    [Fact]
    public void UnavailableCancelsTheDeadlines()
    {
        Put(Alice, PresenceState.Busy);
        Put(Alice, PresenceState.Unavailable, "");
        Assert.Equal(0, _scheduler.Scheduled);
        var seq = _tracker.Sequence;
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(seq, _tracker.Sequence);
    }

    [Fact]
    public void OneSchedulerServesManyUsersInDeadlineOrder()
    {
        Put(Alice, PresenceState.Busy);
        _time.Advance(TimeSpan.FromSeconds(30));
        Put(Bob, PresenceState.Busy);
        Assert.Equal(2, _scheduler.Scheduled);
        _time.Advance(TimeSpan.FromSeconds(95)); // t=125: Alice expired (120), Bob paused (90)
        Assert.Equal(PresenceState.Unavailable, Spreed(Alice).State);
        Assert.Equal(PresenceState.Busy, Spreed(Bob).State);
        Assert.NotNull(Spreed(Bob).Annotation);
        _time.Advance(TimeSpan.FromSeconds(25)); // t=150: Bob expired
        Assert.Equal(PresenceState.Unavailable, Spreed(Bob).State);
    }

    [Fact]
    public void ExpiryChangesCarryTheExpiryCause()
    {
        var (sub, _) = _tracker.Subscribe("t", 16);
        Put(Alice, PresenceState.Busy);
        _time.Advance(TimeSpan.FromSeconds(60)); // paused (a timer callback sees the clock at the end of an Advance)
        _time.Advance(TimeSpan.FromSeconds(60)); // expired
        var causes = new List<ChangeCause>();
        while (sub.TryRead(out var c)) causes.Add(c.Cause);
        Assert.Equal([ChangeCause.Api, ChangeCause.Expiry, ChangeCause.Expiry], causes);
    }

    [Fact]
    public void XmppChangesDoNotSchedule()
    {
        _tracker.Apply(new ResourceAvailableUpdate(Alice, "r", XmppShow.Online, 0, ""));
        Assert.Equal(0, _scheduler.Scheduled);
    }

    [Fact]
    public void RestoredSpreedStatusesGetAFreshDeadline()
    {
        var at = _time.GetUtcNow();
        _tracker.Restore([new UserPresence(Alice, [new ProtocolStatus(Protocols.Spreed, PresenceState.Busy, "m", at)], at)]);
        Assert.Equal(1, _scheduler.Scheduled);
        _time.Advance(TimeSpan.FromSeconds(120));
        Assert.Equal(PresenceState.Unavailable, Spreed(Alice).State);
    }
}
