using Presence.Xmpp.Component;

namespace Presence.Xmpp.AdHoc;

/// <summary>
/// Ad-hoc commands (XEP-0050) to the server's service administration (XEP-0133) as a module: per link session, the
/// <see cref="SessionDetailsResolver"/> asks for new sessions' IPs.
/// </summary>
/// <param name="details">The resolver.</param>
public sealed class AdHocModule(SessionDetailsResolver details) : IComponentModule
{
    /// <inheritdoc />
    public void Register(ModuleRegistry registry) => registry.Connected((link, token) => details.RunSessionAsync(link, token));
}
