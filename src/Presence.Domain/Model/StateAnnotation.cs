namespace Presence.Domain.Model;

/// <summary>Why a cached presence may be stale (XEP-0310 §4).</summary>
public enum AnnotationKind
{
    /// <summary>
    /// The server holding the presence cannot be reached (XEP-0310 §4.1 <c>server-unavailable</c>):
    /// the component's link is down or a remote domain answered remote-server-not-found/timeout.
    /// </summary>
    ServerUnavailable,

    /// <summary>
    /// The client's session is paused (XEP-0310 §4.2 <c>connection-paused</c>): a resource stopped
    /// answering pings, or a spreed client stopped refreshing.
    /// </summary>
    ConnectionPaused,
}

/// <summary>
/// An XEP-0310 presence state annotation as data. "Cleared" is the absence of an annotation
/// (an empty <c>&lt;state-annotation/&gt;</c> on the wire).
/// </summary>
/// <param name="Kind">Reason for the doubt.</param>
/// <param name="From">The annotating entity's JID (the component, e.g. <c>pubpresence.example.com</c>).</param>
/// <param name="Description">Optional human-readable detail.</param>
/// <param name="Since">When the doubt started (UTC).</param>
public sealed record StateAnnotation(AnnotationKind Kind, string From, string? Description, DateTimeOffset Since)
{
    /// <summary>The XEP-0310 element name of the kind: <c>server-unavailable</c> or <c>connection-paused</c>.</summary>
    public string KindName => Kind.ToWire();
}

/// <summary>Wire names of <see cref="AnnotationKind"/> (XEP-0310 §4).</summary>
public static class AnnotationKinds
{
    /// <summary><c>server-unavailable</c> or <c>connection-paused</c>.</summary>
    public static string ToWire(this AnnotationKind kind) =>
        kind == AnnotationKind.ServerUnavailable ? "server-unavailable" : "connection-paused";

    /// <summary>Parses <c>server-unavailable</c> or <c>connection-paused</c>.</summary>
    public static bool TryParse(string? text, out AnnotationKind kind)
    {
        switch (text)
        {
            case "server-unavailable": kind = AnnotationKind.ServerUnavailable; return true;
            case "connection-paused": kind = AnnotationKind.ConnectionPaused; return true;
            default: kind = default; return false;
        }
    }
}
