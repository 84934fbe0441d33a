namespace Presence.Web.Api;

/// <summary>XMPP link (XEP-0114).</summary>
/// <param name="State">Link state name.</param>
/// <param name="Since">Since when (UTC).</param>
/// <param name="Reconnects">Reconnect attempts.</param>
/// <param name="LastError">Last error.</param>
/// <param name="NodeItems">Items in the pubsub node.</param>
/// <param name="Repopulating">Repopulating the node after a (re)connect.</param>
/// <param name="PresenceMode"><c>Privileged</c> (XEP-0356 presence permission), <c>Subscription</c> (roster subscriptions) or <c>Unknown</c> (not connected yet).</param>
/// <param name="Node">This node's name (<c>Presence:Cluster:NodeName</c>), or <c>null</c> when no leadership is registered.</param>
/// <param name="Role"><c>holder</c> (this node runs the component), <c>standby</c> (another node does) or <c>null</c> (not running).</param>
internal sealed record XmppHealthDto(string State, DateTimeOffset Since, long Reconnects, string? LastError, int NodeItems, bool Repopulating, string PresenceMode,
    string? Node = null, string? Role = null);
