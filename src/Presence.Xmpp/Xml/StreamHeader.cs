namespace Presence.Xmpp.Xml;

/// <summary>The attributes of the peer's stream header (RFC 6120 §4.7, XEP-0114 §3).</summary>
/// <param name="Id">The stream id (used in the component handshake), or <c>null</c> when missing.</param>
/// <param name="From">The <c>from</c> attribute, or <c>null</c>.</param>
/// <param name="DefaultNamespace">The stream's default namespace (<c>jabber:component:accept</c> for a component).</param>
public sealed record StreamHeader(string? Id, string? From, string DefaultNamespace);
