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
