namespace Presence.Xmpp.Component;

/// <summary>The component's link to the server ended (closed stream, socket error, keepalive timeout); the message says how.</summary>
public sealed class XmppLinkLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">How the link ended.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public XmppLinkLostException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>An iq request got no answer within its timeout (RFC 6120 §8.2.3 requires one).</summary>
public sealed class XmppIqTimeoutException(string id, string to, TimeSpan timeout)
    : TimeoutException($"No answer from {to} to iq '{id}' within {timeout.TotalSeconds:0.###} s.");

/// <summary>An iq request was answered with an error (RFC 6120 §8.3).</summary>
public sealed class XmppIqErrorException(Stanzas.StanzaError error, string to)
    : Exception($"{to} answered with the error {error}")
{
    /// <summary>The error.</summary>
    public Stanzas.StanzaError Error { get; } = error;
}
