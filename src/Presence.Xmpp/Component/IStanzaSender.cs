using System.Xml.Linq;

namespace Presence.Xmpp.Component;

/// <summary>Queues stanzas for the link's single writer (implemented by <see cref="ComponentConnection"/>); never blocks.</summary>
public interface IStanzaSender
{
    /// <summary>Queues <paramref name="stanza"/>; ignored once the link is closed.</summary>
    void Send(XElement stanza);
}
