namespace Presence.Web.Api;

/// <summary>XMPP link (XEP-0114).</summary>
/// <param name="State">Link state name.</param>
/// <param name="Since">Since when (UTC).</param>
/// <param name="Reconnects">Reconnect attempts.</param>
/// <param name="LastError">Last error.</param>
/// <param name="NodeItems">Items in the pubsub node.</param>
/// <param name="Repopulating">Repopulating the node after a (re)connect.</param>
/// <param name="PresenceMode"><c>Privileged</c> (XEP-0356 presence permission), <c>Subscription</c> (roster subscriptions) or <c>Unknown</c> (not connected yet).</param>
internal sealed record XmppHealthDto(string State, DateTimeOffset Since, long Reconnects, string? LastError, int NodeItems, bool Repopulating, string PresenceMode);
