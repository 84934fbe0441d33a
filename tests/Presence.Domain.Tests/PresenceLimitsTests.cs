using Microsoft.Extensions.Time.Testing;
using Presence.Domain.Model;
using Presence.Domain.Tracking;

namespace Presence.Domain.Tests;

/// <summary>One user's traffic cannot grow that user's state without bound (issue 9 §3).</summary>
public class PresenceLimitsTests
{
    private static readonly UserId Alice = UserId.Parse("alice@example.com");
    private readonly PresenceTracker _tracker = new(new FakeTimeProvider(), new PresenceLimits(MaxResourcesPerUser: 3, MaxMessageLength: 10));

    [Fact]
    public void AUserWithThousandsOfResourcesKeepsOnlyTheConfiguredNumber()
    {
        for (var i = 0; i < 5000; i++) _tracker.Apply(new ResourceAvailableUpdate(Alice, $"r{i}", XmppShow.Online, 0, ""));
        var xmpp = _tracker.Get(Alice)!.Get(Protocols.Xmpp)!;
        Assert.Equal(["r0", "r1", "r2"], xmpp.Resources.Select(r => r.Resource).Order());
        Assert.Equal(4997, _tracker.ResourcesRefused);
    }

    [Fact]
    public void AKnownResourceStillUpdatesAtTheLimit()
    {
        for (var i = 0; i < 3; i++) _tracker.Apply(new ResourceAvailableUpdate(Alice, $"r{i}", XmppShow.Online, 0, ""));
        Assert.NotNull(_tracker.Apply(new ResourceAvailableUpdate(Alice, "r1", XmppShow.Dnd, 5, "busy")));
        Assert.Equal(PresenceState.Busy, _tracker.Get(Alice)!.Get(Protocols.Xmpp)!.State);
    }

    [Fact]
    public void AResourceThatLeftFreesItsPlace()
    {
        for (var i = 0; i < 3; i++) _tracker.Apply(new ResourceAvailableUpdate(Alice, $"r{i}", XmppShow.Online, 0, ""));
        _tracker.Apply(new ResourceUnavailableUpdate(Alice, "r0"));
        Assert.NotNull(_tracker.Apply(new ResourceAvailableUpdate(Alice, "r3", XmppShow.Online, 0, "")));
    }

    [Fact]
    public void AnOverLongXmppStatusMessageIsCutToTheLimit()
    {
        _tracker.Apply(new ResourceAvailableUpdate(Alice, "laptop", XmppShow.Away, 0, new string('m', 5000)));
        Assert.Equal(new string('m', 10), _tracker.Get(Alice)!.Get(Protocols.Xmpp)!.Resources[0].Message);
    }

    [Fact]
    public void CuttingNeverSplitsASurrogatePair()
    {
        var limits = new PresenceLimits(MaxMessageLength: 3);
        Assert.Equal("ab", limits.Cut("ab\U0001F600"));
    }
}
