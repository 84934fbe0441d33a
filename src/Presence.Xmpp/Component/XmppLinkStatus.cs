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

/// <summary>An immutable picture of the link, for the dashboard and <c>/healthz</c>.</summary>
/// <param name="State">Current state.</param>
/// <param name="Since">When <paramref name="State"/> was entered (UTC).</param>
/// <param name="Reconnects">Connection attempts after the first.</param>
/// <param name="LastError">Last error text (with the server's text for stream errors), or <c>null</c>.</param>
/// <param name="StanzasReceived">Stanzas read since start.</param>
/// <param name="StanzasSent">Stanzas written since start.</param>
/// <param name="NodeItems">Items currently published in the node (one per online user).</param>
/// <param name="Repopulating">True while the node is being repopulated after a (re)connect.</param>
/// <param name="PresenceMode">How users' presence reaches the component in this link session: privileged (XEP-0356),
/// subscription (roster), or unknown while not connected or waiting for the server's permission advertisement.</param>
public sealed record XmppLinkSnapshot(
    XmppLinkState State,
    DateTimeOffset Since,
    long Reconnects,
    string? LastError,
    long StanzasReceived,
    long StanzasSent,
    int NodeItems,
    bool Repopulating,
    Privilege.PresenceMode PresenceMode = Privilege.PresenceMode.Unknown);

/// <summary>Observable link status (registered as a singleton by the component's hosting).</summary>
public interface IXmppLinkStatus
{
    /// <summary>The current picture.</summary>
    XmppLinkSnapshot Current { get; }

    /// <summary>Raised after every state change and at most once a second for counter changes.</summary>
    event Action<XmppLinkSnapshot>? Changed;
}
