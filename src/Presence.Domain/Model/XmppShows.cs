namespace Presence.Domain.Model;

/// <summary>Mapping between XMPP show values, wire text and unified states.</summary>
public static class XmppShows
{
    /// <summary>
    /// Unified state of a show value: none and chat → available, dnd → busy, away and xa → away
    /// (zarafa-presence XMPP plugin; docs/ARCHITECTURE.md §3).
    /// </summary>
    public static PresenceState ToState(this XmppShow show) => show switch
    {
        XmppShow.Chat or XmppShow.Online => PresenceState.Available,
        XmppShow.Dnd => PresenceState.Busy,
        _ => PresenceState.Away,
    };

    /// <summary>
    /// The pubpresence item status: <c>online</c>, <c>chat</c>, <c>away</c>, <c>xa</c>, <c>dnd</c>.
    /// </summary>
    public static string ToStatusText(this XmppShow show) => show switch
    {
        XmppShow.Chat => "chat",
        XmppShow.Away => "away",
        XmppShow.Xa => "xa",
        XmppShow.Dnd => "dnd",
        _ => "online",
    };

    /// <summary>
    /// The <c>&lt;show/&gt;</c> element text, or <c>null</c> for <see cref="XmppShow.Online"/> (no element).
    /// </summary>
    public static string? ToShowElement(this XmppShow show) => show == XmppShow.Online ? null : show.ToStatusText();

    /// <summary>
    /// Parses a <c>&lt;show/&gt;</c> value (RFC 6121 §4.7.2.1); <c>null</c> or empty means <see cref="XmppShow.Online"/>.
    /// Also accepts <c>online</c> (the pubpresence item form).
    /// </summary>
    /// <returns><c>false</c> for any other text.</returns>
    public static bool TryParse(string? text, out XmppShow show)
    {
        switch (text)
        {
            case null or "" or "online": show = XmppShow.Online; return true;
            case "chat": show = XmppShow.Chat; return true;
            case "away": show = XmppShow.Away; return true;
            case "xa": show = XmppShow.Xa; return true;
            case "dnd": show = XmppShow.Dnd; return true;
            default: show = XmppShow.Online; return false;
        }
    }
}
