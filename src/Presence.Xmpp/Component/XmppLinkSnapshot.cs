namespace Presence.Xmpp.Component;

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
