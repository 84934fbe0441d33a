namespace Presence.Xmpp.Xml;

/// <summary>The peer violated the stream protocol or a limit (RFC 6120 §4.9.3: e.g. policy-violation, not-well-formed); the stream must be closed.</summary>
public sealed class XmppProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="inner">The parser's exception, when there is one.</param>
    public XmppProtocolException(string message, Exception? inner = null) : base(message, inner) { }
}
