namespace Presence.Xmpp.Stanzas;

/// <summary>The <c>type</c> of a presence stanza (RFC 6121 §4.7.1, §3).</summary>
public enum PresenceType
{
    /// <summary>No type attribute: the sender is available (RFC 6121 §4.7.1).</summary>
    Available,
    /// <summary><c>unavailable</c>.</summary>
    Unavailable,
    /// <summary><c>subscribe</c> (RFC 6121 §3.1).</summary>
    Subscribe,
    /// <summary><c>subscribed</c> (RFC 6121 §3.1.5).</summary>
    Subscribed,
    /// <summary><c>unsubscribe</c> (RFC 6121 §3.3).</summary>
    Unsubscribe,
    /// <summary><c>unsubscribed</c> (RFC 6121 §3.2).</summary>
    Unsubscribed,
    /// <summary><c>probe</c> (RFC 6121 §4.3).</summary>
    Probe,
    /// <summary><c>error</c> (RFC 6120 §8.3).</summary>
    Error,
    /// <summary>Any other value (ignored, RFC 6121 §4.7.1).</summary>
    Unknown,
}
