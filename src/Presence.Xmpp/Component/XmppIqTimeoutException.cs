namespace Presence.Xmpp.Component;

/// <summary>An iq request got no answer within its timeout (RFC 6120 §8.2.3 requires one).</summary>
public sealed class XmppIqTimeoutException(string id, string to, TimeSpan timeout)
    : TimeoutException($"No answer from {to} to iq '{id}' within {timeout.TotalSeconds:0.###} s.");
