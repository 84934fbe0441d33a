namespace Presence.Xmpp.Component;

/// <summary>An iq request was answered with an error (RFC 6120 §8.3).</summary>
public sealed class XmppIqErrorException(Stanzas.StanzaError error, string to)
    : Exception($"{to} answered with the error {error}")
{
    /// <summary>The error.</summary>
    public Stanzas.StanzaError Error { get; } = error;
}
