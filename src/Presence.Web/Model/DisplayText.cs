using System.Globalization;
using Presence.Domain.Model;
using Presence.Xmpp.Component;

namespace Presence.Web.Model;

/// <summary>The words and formats the dashboard shows, in one place (so views and tests agree).</summary>
internal static class DisplayText
{
    /// <summary>Format of every time on the dashboard: UTC, to the second (e.g. <c>2026-11-21 15:04:05 UTC</c>).</summary>
    public const string TimeFormat = "yyyy-MM-dd HH:mm:ss 'UTC'";

    /// <summary>A time in <see cref="TimeFormat"/>, converted to UTC.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>An ISO 8601 UTC time for <c>&lt;time datetime&gt;</c> (e.g. <c>2026-11-21T15:04:05Z</c>).</summary>
    public static string IsoTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The state as a word: Available, Busy, Away, Unavailable.</summary>
    public static string State(PresenceState state) => state switch
    {
        PresenceState.Available => "Available",
        PresenceState.Busy => "Busy",
        PresenceState.Away => "Away",
        _ => "Unavailable",
    };

    /// <summary>
    /// A preferred presence with its end and who set it (e.g. <c>busy until 2026-12-08 14:00:00 UTC, set by the user</c>;
    /// unavailable reads <c>appearing offline</c>).
    /// </summary>
    public static string Preferred(ProtocolStatus preferred)
    {
        var state = preferred.State == PresenceState.Unavailable ? "appearing offline" : preferred.State.ToWire();
        var until = preferred.Until is { } u ? " until " + Time(u) : "";
        var message = preferred.Message.Length > 0 ? $" ({preferred.Message})" : "";
        return $"{state}{until}, set by the user{message}";
    }

    /// <summary>A status message with its end, if any (e.g. <c>“Out of office” until 2026-12-14 08:00:00 UTC</c>).</summary>
    public static string StatusMessage(ProtocolStatus message) =>
        $"“{message.Message}”" + (message.Until is { } u ? " until " + Time(u) : "");

    /// <summary>
    /// When the user was last seen: <c>online now</c> while the overall state is not unavailable, else <c>last seen</c>
    /// and the time (<see cref="UserPresence.LastSeen"/>, or <paramref name="fallback"/> for a user kept before it was),
    /// or <c>never seen</c>.
    /// </summary>
    public static string LastSeen(UserPresence presence, DateTimeOffset? fallback = null) =>
        presence.Overall != PresenceState.Unavailable ? "online now"
        : (presence.LastSeen ?? fallback) is { } at ? "last seen " + Time(at) : "never seen";

    /// <summary>CSS class carrying the state's colour (<c>state-available</c>, …).</summary>
    public static string StateClass(PresenceState state) => "state-" + state.ToWire();

    /// <summary>The XEP-0310 reason in words: "server unavailable" or "connection paused".</summary>
    public static string Reason(AnnotationKind kind) =>
        kind == AnnotationKind.ServerUnavailable ? "server unavailable" : "connection paused";

    /// <summary>
    /// An annotation as the board shows it: <c>stale since 2026-11-21 15:04:05 UTC (server unavailable: link lost)</c>.
    /// </summary>
    public static string Annotation(StateAnnotation annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        var reason = Reason(annotation.Kind);
        if (!string.IsNullOrWhiteSpace(annotation.Description)) reason += ": " + annotation.Description;
        return $"stale since {Time(annotation.Since)} ({reason})";
    }

    /// <summary>The XMPP show as shown next to the state (<c>chat</c>, <c>online</c>, <c>away</c>, <c>xa</c>, <c>dnd</c>).</summary>
    public static string Show(XmppShow show) => show.ToStatusText();

    /// <summary>The link state as words.</summary>
    public static string Link(XmppLinkState state) => state switch
    {
        XmppLinkState.Online => "online",
        XmppLinkState.Connecting => "connecting",
        XmppLinkState.Authenticating => "authenticating",
        XmppLinkState.Backoff => "waiting to reconnect",
        XmppLinkState.Standby => "standby",
        _ => "disconnected",
    };
}
