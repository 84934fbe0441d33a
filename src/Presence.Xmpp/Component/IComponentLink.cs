namespace Presence.Xmpp.Component;

/// <summary>The component's stream of one link session as modules see it: send stanzas, send iq requests and await answers.</summary>
public interface IComponentLink : IStanzaSender, IIqRequester
{
    /// <summary>Stanzas read from the server on this link so far (≥ 0); a change shows the server is alive.</summary>
    long StanzasReceived { get; }
}
