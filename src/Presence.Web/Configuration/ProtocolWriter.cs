namespace Presence.Web.Configuration;

/// <summary>Who may set a protocol's status.</summary>
internal enum ProtocolWriter
{
    /// <summary>Only the XMPP component, from the XMPP server's presence (RFC 6121 §4); the API refuses to set it.</summary>
    Component,

    /// <summary>API tokens (compat <c>/presence</c> and REST v1), within their scopes (write-own, write-any).</summary>
    Api,
}
