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
