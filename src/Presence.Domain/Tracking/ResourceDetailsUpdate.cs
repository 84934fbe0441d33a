using Presence.Domain.Model;

namespace Presence.Domain.Tracking;

/// <summary>Session details of an available resource (XEP-0133 admin commands, reverse DNS). <c>null</c> keeps a value.</summary>
/// <param name="User">Bare JID.</param>
/// <param name="Resource">Resource.</param>
/// <param name="Ip">IP address text, or <c>null</c> to keep.</param>
/// <param name="Hostname">Host name, or <c>null</c> to keep.</param>
public sealed record ResourceDetailsUpdate(UserId User, string Resource, string? Ip, string? Hostname)
    : PresenceUpdate(User, ChangeCause.SessionDetails)
{
    /// <inheritdoc />
    public override string Protocol => Model.Protocols.Xmpp;
}
