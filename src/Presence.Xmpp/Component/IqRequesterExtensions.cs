using System.Xml.Linq;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Component;

/// <summary>Helpers over <see cref="IIqRequester"/>.</summary>
public static class IqRequesterExtensions
{
    /// <summary>Like <see cref="IIqRequester.RequestAsync"/> but throws <see cref="XmppIqErrorException"/> for an error answer (RFC 6120 §8.3).</summary>
    /// <exception cref="XmppIqErrorException">The answer is an error.</exception>
    /// <exception cref="XmppIqTimeoutException">No answer within <paramref name="timeout"/>.</exception>
    public static async Task<IqStanza> RequestResultAsync(this IIqRequester requester, IqType type, string to, XElement payload, TimeSpan timeout)
    {
        var answer = await requester.RequestAsync(type, to, payload, timeout).ConfigureAwait(false);
        if (answer.Type == IqType.Error) throw new XmppIqErrorException(answer.Error ?? new StanzaError("", "undefined-condition", null), to);
        return answer;
    }
}
