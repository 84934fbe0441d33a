namespace Presence.Xmpp.Stanzas;

/// <summary>The server closed the stream with a stream error (RFC 6120 §4.9); the message carries the server's text.</summary>
public sealed class XmppStreamErrorException(StreamError error)
    : Exception($"The XMPP server sent the stream error {error}")
{
    /// <summary>The error.</summary>
    public StreamError Error { get; } = error;
}
