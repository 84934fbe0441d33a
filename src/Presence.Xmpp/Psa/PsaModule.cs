using Presence.Xmpp.Component;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Psa;

/// <summary>
/// Presence state annotations (XEP-0310) as a module: advertises <c>urn:xmpp:psa</c>. The annotations themselves are
/// made by <see cref="PresenceAnnotator"/> and travel inside the pubsub items.
/// </summary>
public sealed class PsaModule : IComponentModule
{
    /// <inheritdoc />
    public void Register(ModuleRegistry registry) => registry.Feature(Namespaces.Psa.NamespaceName);
}
