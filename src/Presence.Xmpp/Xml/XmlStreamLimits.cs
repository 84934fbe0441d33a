namespace Presence.Xmpp.Xml;

/// <summary>Bounds on what the stream reader accepts from the server (DESIGN §4: bounded stanza size and depth).</summary>
/// <param name="MaxStanzaBytes">Largest stanza in bytes read from the socket (and characters parsed), ≥ 1024. Default 4 MiB:
/// the admin command listing every online session (XEP-0133) is the largest stanza a server sends the component.</param>
/// <param name="MaxDepth">Deepest element nesting inside a stanza (the stanza itself is depth 1), ≥ 2. Default 32.</param>
public sealed record XmlStreamLimits(int MaxStanzaBytes = 4 * 1024 * 1024, int MaxDepth = 32)
{
    /// <summary>The defaults.</summary>
    public static XmlStreamLimits Default { get; } = new();

    /// <summary>Bytes the parser may have read ahead of the stanza it is building (its buffer), allowed on top of <see cref="MaxStanzaBytes"/>.</summary>
    internal const int ReadAheadSlack = 64 * 1024;
}

/// <summary>The peer violated the stream protocol or a limit (RFC 6120 §4.9.3: e.g. policy-violation, not-well-formed); the stream must be closed.</summary>
public sealed class XmppProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="inner">The parser's exception, when there is one.</param>
    public XmppProtocolException(string message, Exception? inner = null) : base(message, inner) { }
}
