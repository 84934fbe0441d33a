using System.Xml.Linq;
using Presence.Xmpp.Component;

namespace Presence.Xmpp.Privilege;

/// <summary>
/// Privileged entity (XEP-0356) as a module: reads the server's permission advertisement message (§4.2) into the
/// <see cref="PrivilegeNegotiation"/>, and forgets the permissions when the link session ends (a server grants them per
/// connection). The presence mode it yields is decided by the repopulation.
/// </summary>
/// <param name="negotiation">The component's negotiation state.</param>
/// <param name="serverDomain">The server's domain: only its advertisement counts.</param>
public sealed class PrivilegeModule(PrivilegeNegotiation negotiation, string serverDomain) : IComponentModule
{
    /// <inheritdoc />
    public void Register(ModuleRegistry registry)
    {
        registry.Message(OnMessage);
        registry.Disconnected(negotiation.Reset);
    }

    private bool OnMessage(XElement message)
    {
        if (!PrivilegeAdvertisement.TryRead(message, serverDomain, out var advertisement)) return false;
        negotiation.OnAdvertisement(advertisement);
        return true;
    }
}
