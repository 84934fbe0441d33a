using System.Collections.Immutable;
using Presence.Domain.Model;

namespace Presence.Web.Tests.Support;

/// <summary>Builds <see cref="UserPresence"/> values for view tests.</summary>
public static class Presences
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public static UserPresence Spreed(string user, PresenceState state, string message = "", DateTimeOffset? at = null, StateAnnotation? annotation = null)
    {
        var when = at ?? T0;
        return UserPresence.Empty(UserId.Parse(user), when)
            .With(new ProtocolStatus(Protocols.Spreed, state, message, when, annotation), when);
    }

    public static UserPresence XmppUser(string user, XmppShow show, string message = "", DateTimeOffset? at = null, StateAnnotation? annotation = null, params string[] resources)
    {
        var when = at ?? T0;
        var names = resources.Length == 0 ? ["laptop"] : resources;
        var res = names.Select((r, i) => new ResourcePresence(r, show, 10 - i, message, when, "192.0.2." + (i + 1), "host" + i + ".example.com", annotation)).ToImmutableArray();
        return UserPresence.Empty(UserId.Parse(user), when)
            .With(new ProtocolStatus(Protocols.Xmpp, show.ToState(), message, when, annotation, show, res), when);
    }

    public static UserPresence Unavailable(string user, DateTimeOffset? at = null)
    {
        var when = at ?? T0;
        return UserPresence.Empty(UserId.Parse(user), when)
            .With(new ProtocolStatus(Protocols.Xmpp, PresenceState.Unavailable, "", when), when);
    }

    public static StateAnnotation LinkLost(DateTimeOffset since) =>
        new(AnnotationKind.ServerUnavailable, "pubpresence.example.com", "link to the XMPP server lost", since);
}
