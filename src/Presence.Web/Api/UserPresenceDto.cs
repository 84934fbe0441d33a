using Presence.Domain.Model;

namespace Presence.Web.Api;

/// <summary>A user's presence in REST v1 (docs/ARCHITECTURE.md §8).</summary>
/// <param name="User">Normalised bare JID.</param>
/// <param name="Overall">Derived overall state: <c>available</c>, <c>busy</c>, <c>away</c>, <c>unavailable</c>.</param>
/// <param name="LastChange">Last change (ISO 8601 UTC), or <c>null</c> for an unknown user.</param>
/// <param name="Protocols">Per-protocol status by protocol name (<c>xmpp</c>, <c>spreed</c>, …).</param>
public sealed record UserPresenceDto(string User, string Overall, DateTimeOffset? LastChange, Dictionary<string, ProtocolStatusDto> Protocols)
{
    /// <summary>The DTO of a presence.</summary>
    public static UserPresenceDto From(UserPresence p)
    {
        var protocols = new Dictionary<string, ProtocolStatusDto>(p.Protocols.Length, StringComparer.Ordinal);
        foreach (var s in p.Protocols) protocols[s.Protocol] = ProtocolStatusDto.From(s);
        return new UserPresenceDto(p.User.Value, p.Overall.ToWire(), p.LastChange, protocols);
    }

    /// <summary>The DTO of a user nothing is known about (overall unavailable, no protocols).</summary>
    public static UserPresenceDto Unknown(UserId user) => new(user.Value, "unavailable", null, []);
}
