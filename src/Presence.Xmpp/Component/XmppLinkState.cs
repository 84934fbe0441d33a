namespace Presence.Xmpp.Component;

/// <summary>State of the component's link to the XMPP server (XEP-0114), as shown on the link page.</summary>
public enum XmppLinkState
{
    /// <summary>Not connected and not trying (disabled or stopped).</summary>
    Disconnected,
    /// <summary>Opening the TCP connection and stream.</summary>
    Connecting,
    /// <summary>Handshake sent, waiting for the server's answer.</summary>
    Authenticating,
    /// <summary>Handshake accepted; stanzas flow.</summary>
    Online,
    /// <summary>Waiting before the next connection attempt (capped exponential backoff with jitter).</summary>
    Backoff,
    /// <summary>
    /// Not connected on purpose: another node of the cluster holds the component's lease and runs the link; this node
    /// takes over when that lease is released or lost (<see cref="Hosting.IComponentLeadership"/>).
    /// </summary>
    Standby,
}
