namespace Presence.Xmpp.Stanzas;

/// <summary>The <c>type</c> of an iq stanza (RFC 6120 §8.2.3).</summary>
public enum IqType
{
    /// <summary><c>get</c>.</summary>
    Get,
    /// <summary><c>set</c>.</summary>
    Set,
    /// <summary><c>result</c>.</summary>
    Result,
    /// <summary><c>error</c>.</summary>
    Error,
    /// <summary>Missing or unknown (a protocol violation, answered with bad-request when it is a request).</summary>
    Unknown,
}
