using Microsoft.Extensions.Time.Testing;
using Presence.Domain.Model;
using Presence.Domain.Tracking;

namespace Presence.Domain.Tests;

public class AggregationTests
{
    private static readonly UserId Alice = UserId.Parse("alice@example.com");
    private readonly FakeTimeProvider _time = new();
    private readonly PresenceTracker _tracker;

    public AggregationTests() => _tracker = new PresenceTracker(_time);

    private ProtocolStatus Xmpp => _tracker.Get(Alice)!.Get(Protocols.Xmpp)!;

    private void Available(string resource, XmppShow show, int priority, string message = "")
    {
        _tracker.Apply(new ResourceAvailableUpdate(Alice, resource, show, priority, message));
        _time.Advance(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void TheHighestPriorityResourceWins()
    {
        Available("laptop", XmppShow.Chat, 1, "at desk");
        Available("phone", XmppShow.Away, 5, "on the move");
        Assert.Equal(PresenceState.Away, Xmpp.State);
        Assert.Equal(XmppShow.Away, Xmpp.Show);
        Assert.Equal("on the move", Xmpp.Message);
        Assert.Equal("phone", Xmpp.WinningResource!.Resource);
        Assert.Equal(2, Xmpp.Resources.Length);
    }

    [Fact]
    public void EqualPriorityGoesToTheMoreAvailableShow()
    {
        Available("a", XmppShow.Xa, 0);
        Available("b", XmppShow.Dnd, 0);
        Available("c", XmppShow.Away, 0);
        Assert.Equal(XmppShow.Dnd, Xmpp.Show);
        Available("d", XmppShow.Online, 0);
        Assert.Equal(XmppShow.Online, Xmpp.Show);
        Available("e", XmppShow.Chat, 0);
        Assert.Equal(XmppShow.Chat, Xmpp.Show);
    }

    [Fact]
    public void EqualPriorityAndShowGoesToTheMostRecentChange()
    {
        Available("a", XmppShow.Online, 3, "first");
        Available("b", XmppShow.Online, 3, "second");
        Assert.Equal("second", Xmpp.Message);
        Available("a", XmppShow.Online, 3, "third");
        Assert.Equal("third", Xmpp.Message);
    }

    [Fact]
    public void RemovingTheWinnerPromotesTheNextResource()
    {
        Available("laptop", XmppShow.Dnd, 10, "meeting");
        Available("phone", XmppShow.Away, 1);
        _tracker.Apply(new ResourceUnavailableUpdate(Alice, "laptop"));
        Assert.Equal(PresenceState.Away, Xmpp.State);
        Assert.Single(Xmpp.Resources);
    }

    [Fact]
    public void RemovingTheLastResourceMakesTheUserUnavailableWithTheStatusText()
    {
        Available("laptop", XmppShow.Online, 0);
        _tracker.Apply(new ResourceUnavailableUpdate(Alice, "laptop", "Disconnected: Hibernating too long"));
        Assert.Equal(PresenceState.Unavailable, Xmpp.State);
        Assert.Null(Xmpp.Show);
        Assert.Equal("Disconnected: Hibernating too long", Xmpp.Message);
        Assert.Empty(Xmpp.Resources);
        Assert.Equal(PresenceState.Unavailable, _tracker.Get(Alice)!.Overall);
    }

    [Fact]
    public void UnavailableForAnUnknownResourceKeepsTheOthers()
    {
        Available("laptop", XmppShow.Online, 0);
        Assert.Null(_tracker.Apply(new ResourceUnavailableUpdate(Alice, "ghost")));
        Assert.Single(Xmpp.Resources);
    }

    [Fact]
    public void BareUnavailableRemovesEveryResource()
    {
        Available("laptop", XmppShow.Online, 0);
        Available("phone", XmppShow.Online, 0);
        _tracker.Apply(new ResourceUnavailableUpdate(Alice, null));
        Assert.Empty(Xmpp.Resources);
    }

    [Fact]
    public void PriorityIsClampedToTheRfcRange()
    {
        Available("a", XmppShow.Online, 1000);
        Assert.Equal(127, Xmpp.WinningResource!.Priority);
        Available("a", XmppShow.Online, -1000);
        Assert.Equal(-128, Xmpp.WinningResource!.Priority);
    }

    [Fact]
    public void RepeatingTheSamePresenceIsNotAChange()
    {
        _tracker.Apply(new ResourceAvailableUpdate(Alice, "a", XmppShow.Away, 1, "x"));
        var seq = _tracker.Sequence;
        Assert.Null(_tracker.Apply(new ResourceAvailableUpdate(Alice, "a", XmppShow.Away, 1, "x")));
        Assert.Equal(seq, _tracker.Sequence);
    }

    [Fact]
    public void SinceMovesOnlyWhenTheReportedStatusChanges()
    {
        Available("laptop", XmppShow.Online, 5);
        var since = Xmpp.Since;
        Available("phone", XmppShow.Away, 1); // lower priority: the reported status stays
        Assert.Equal(since, Xmpp.Since);
        Available("laptop", XmppShow.Dnd, 5);
        Assert.True(Xmpp.Since > since);
    }

    [Fact]
    public void SessionDetailsAreKeptAcrossPresenceUpdates()
    {
        Available("laptop", XmppShow.Online, 0);
        _tracker.Apply(new ResourceDetailsUpdate(Alice, "laptop", "192.0.2.7", "host.example"));
        Available("laptop", XmppShow.Away, 0);
        var r = Xmpp.WinningResource!;
        Assert.Equal(("192.0.2.7", "host.example"), (r.Ip, r.Hostname));
    }

    [Fact]
    public void AnnotationIsPerResourceAndClearedByFreshPresence()
    {
        Available("laptop", XmppShow.Online, 5);
        Available("phone", XmppShow.Away, 1);
        var paused = new StateAnnotation(AnnotationKind.ConnectionPaused, "pubpresence.example.com", null, _time.GetUtcNow());
        _tracker.Apply(new AnnotationUpdate(Alice, Protocols.Xmpp, "laptop", paused, ChangeCause.PingTimeout));
        Assert.Equal(paused, Xmpp.Annotation);
        Assert.Null(Xmpp.Resources.Single(r => r.Resource == "phone").Annotation);
        Available("laptop", XmppShow.Online, 5);
        Assert.Null(Xmpp.Annotation);
    }

    [Fact]
    public void AnnotatingAllResourcesKeepsTheFirstSinceOfTheSameDoubt()
    {
        Available("laptop", XmppShow.Online, 5);
        var first = new StateAnnotation(AnnotationKind.ServerUnavailable, "c", null, _time.GetUtcNow());
        _tracker.Apply(new AnnotationUpdate(Alice, Protocols.Xmpp, null, first, ChangeCause.LinkLoss));
        var later = first with { Since = first.Since.AddMinutes(1) };
        Assert.Null(_tracker.Apply(new AnnotationUpdate(Alice, Protocols.Xmpp, null, later, ChangeCause.LinkLoss)));
        Assert.Equal(first.Since, Xmpp.Annotation!.Since);
    }
}
