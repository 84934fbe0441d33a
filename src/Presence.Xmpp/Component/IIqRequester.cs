using System.Xml.Linq;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Component;

/// <summary>Sends iq requests and returns their answers matched by id (implemented by <see cref="ComponentConnection"/>).</summary>
public interface IIqRequester
{
    /// <summary>Sends a get/set request to <paramref name="to"/> and returns the result or error answer.</summary>
    /// <exception cref="XmppIqTimeoutException">No answer within <paramref name="timeout"/>.</exception>
    /// <exception cref="XmppLinkLostException">The link closed first.</exception>
    Task<IqStanza> RequestAsync(IqType type, string to, XElement payload, TimeSpan timeout);
}

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
