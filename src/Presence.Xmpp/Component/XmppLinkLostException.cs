namespace Presence.Xmpp.Component;

/// <summary>The component's link to the server ended (closed stream, socket error, keepalive timeout); the message says how.</summary>
public sealed class XmppLinkLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">How the link ended.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public XmppLinkLostException(string message, Exception? inner = null) : base(message, inner) { }
}
