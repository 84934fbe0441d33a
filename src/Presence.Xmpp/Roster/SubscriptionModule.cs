using Presence.Xmpp.Component;

namespace Presence.Xmpp.Roster;

/// <summary>
/// Presence and roster subscriptions (RFC 6121 §3, §4) as a module: every presence stanza goes to the
/// <see cref="PresenceCollector"/> (tracked presence, the subscription handshake, probes answered with the service presence).
/// </summary>
/// <param name="collector">The component's collector.</param>
public sealed class SubscriptionModule(PresenceCollector collector) : IComponentModule
{
    /// <inheritdoc />
    public void Register(ModuleRegistry registry) => registry.Presence(collector.Handle);
}
