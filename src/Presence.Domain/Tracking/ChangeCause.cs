namespace Presence.Domain.Tracking;

/// <summary>Why a presence changed; recorded with every change and history row (docs/ARCHITECTURE.md §2).</summary>
public enum ChangeCause
{
    /// <summary>An XMPP presence stanza (RFC 6121 §4) received by the component.</summary>
    XmppPresence,
    /// <summary>An HTTP API request (zarafa-compatible or REST).</summary>
    Api,
    /// <summary>The spreed expiry scheduler (paused step or auto-unavailable).</summary>
    Expiry,
    /// <summary>The component's link to the XMPP server was lost (XEP-0310 server-unavailable).</summary>
    LinkLoss,
    /// <summary>A resource did not answer an XEP-0199 ping in time (XEP-0310 connection-paused), or answered again.</summary>
    PingTimeout,
    /// <summary>A remote server answered remote-server-not-found or remote-server-timeout (RFC 6120 §8.3.3).</summary>
    RemoteServerError,
    /// <summary>State restored from the database at start, or resynchronised after reconnecting.</summary>
    Restore,
    /// <summary>Session details (IP, hostname) learnt through XEP-0133 admin commands or reverse DNS.</summary>
    SessionDetails,
}
