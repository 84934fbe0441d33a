using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Component;

/// <summary>
/// The component's own presence (docs/ARCHITECTURE.md §7; what a consumer probes first): unavailable while the node is being
/// repopulated after a (re)connect, available once it is up to date. Probes are answered with it.
/// </summary>
/// <param name="componentJid">The component's JID (the <c>from</c>).</param>
public sealed class ServicePresence(string componentJid)
{
    private volatile bool _available;

    /// <summary>True once the node is up to date.</summary>
    public bool Available { get => _available; set => _available = value; }

    /// <summary>The presence to send to <paramref name="to"/> now.</summary>
    public PresenceStanza For(string to) => PresenceStanza.Build(componentJid, to, _available ? PresenceType.Available : PresenceType.Unavailable,
        status: _available ? "The pubpresence node is up to date" : "Repopulating the pubpresence node");
}
