using System.Collections.Immutable;
using Presence.Domain.Model;

namespace Presence.Domain.Tests;

public class StateMappingTests
{
    [Theory]
    [InlineData(null, PresenceState.Available, "online")]
    [InlineData("", PresenceState.Available, "online")]
    [InlineData("chat", PresenceState.Available, "chat")]
    [InlineData("dnd", PresenceState.Busy, "dnd")]
    [InlineData("away", PresenceState.Away, "away")]
    [InlineData("xa", PresenceState.Away, "xa")]
    public void EveryShowValueMapsToItsState(string? show, PresenceState state, string itemStatus)
    {
        Assert.True(XmppShows.TryParse(show, out var parsed));
        Assert.Equal(state, parsed.ToState());
        Assert.Equal(itemStatus, parsed.ToStatusText());
    }

    [Theory]
    [InlineData("busy")]
    [InlineData("DND")]
    [InlineData("unavailable")]
    public void UnknownShowValuesAreRefused(string show)
    {
        Assert.False(XmppShows.TryParse(show, out _));
    }

    [Fact]
    public void OnlineHasNoShowElement()
    {
        Assert.Null(XmppShow.Online.ToShowElement());
        Assert.Equal("dnd", XmppShow.Dnd.ToShowElement());
    }

    [Theory]
    [InlineData("available", PresenceState.Available)]
    [InlineData("busy", PresenceState.Busy)]
    [InlineData("away", PresenceState.Away)]
    [InlineData("unavailable", PresenceState.Unavailable)]
    public void StatesRoundTripThroughTheirWireNames(string wire, PresenceState state)
    {
        Assert.True(PresenceStates.TryParse(wire, out var parsed));
        Assert.Equal(state, parsed);
        Assert.Equal(wire, state.ToWire());
    }

    [Theory]
    [InlineData("Available")]
    [InlineData("offline")]
    [InlineData("")]
    [InlineData(null)]
    public void UnknownStatesAreRefused(string? wire)
    {
        Assert.False(PresenceStates.TryParse(wire, out _));
    }

    [Theory]
    [InlineData(PresenceState.Busy, PresenceState.Available, PresenceState.Busy)]
    [InlineData(PresenceState.Available, PresenceState.Busy, PresenceState.Busy)]
    [InlineData(PresenceState.Available, PresenceState.Away, PresenceState.Available)]
    [InlineData(PresenceState.Away, PresenceState.Unavailable, PresenceState.Away)]
    [InlineData(PresenceState.Unavailable, PresenceState.Unavailable, PresenceState.Unavailable)]
    public void OverallFollowsBusyAvailableAwayUnavailablePrecedence(PresenceState xmpp, PresenceState spreed, PresenceState overall)
    {
        var at = DateTimeOffset.UnixEpoch;
        var user = new UserPresence(UserId.Parse("a@b"), ImmutableArray.Create(
            new ProtocolStatus(Protocols.Spreed, spreed, "", at),
            new ProtocolStatus(Protocols.Xmpp, xmpp, "", at)), at);
        Assert.Equal(overall, user.Overall);
    }

    [Fact]
    public void AUserWithoutProtocolsIsUnavailable()
    {
        Assert.Equal(PresenceState.Unavailable, UserPresence.Empty(UserId.Parse("a@b"), DateTimeOffset.UnixEpoch).Overall);
    }

    [Theory]
    [InlineData("spreed", null)]
    [InlineData("asterisk", null)]
    [InlineData("irc-2", null)]
    [InlineData("", "empty")]
    [InlineData("Spreed", "lower-case")]
    [InlineData("sp reed", "a-z, 0-9")]
    [InlineData("overall", "derived")]
    public void ProtocolNamesAreValidated(string name, string? errorPart)
    {
        var error = Protocols.Validate(name);
        if (errorPart is null) Assert.Null(error);
        else Assert.Contains(errorPart, error);
    }
}
