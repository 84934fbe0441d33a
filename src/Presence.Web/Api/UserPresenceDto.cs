using Presence.Domain.Model;

namespace Presence.Web.Api;

/// <summary>
/// A user's presence in REST v1 (docs/ARCHITECTURE.md §8); the REST GETs and the hub's snapshots and <c>PresenceChanged</c> share it.
/// </summary>
/// <param name="User">Normalised bare JID.</param>
/// <param name="Overall">Derived overall state: <c>available</c>, <c>busy</c>, <c>away</c>, <c>unavailable</c> — the
/// preferred presence while one is set, otherwise computed from the protocols.</param>
/// <param name="LastChange">Last change (ISO 8601 UTC), or <c>null</c> for an unknown user.</param>
/// <param name="Protocols">Per-protocol status by protocol name (<c>xmpp</c>, <c>spreed</c>, …); the preferred presence
/// and the status message are not listed here.</param>
/// <param name="Preferred">The presence the user set (Microsoft Graph setUserPreferredPresence), or <c>null</c>.</param>
/// <param name="StatusMessage">The user's status message (Microsoft Graph presence statusMessage), or <c>null</c>.</param>
/// <param name="Since">When the current overall state began (UTC), or <c>null</c> for an unknown user.</param>
/// <param name="LastSeen">The last moment the overall state was not unavailable (UTC; while it is not unavailable, the
/// time of the latest change), or <c>null</c> when never seen.</param>
/// <param name="AvailableAgainAt">The preferred presence's end (UTC) while it is <c>busy</c>, <c>away</c> or
/// <c>unavailable</c>, else <c>null</c>.</param>
public sealed record UserPresenceDto(string User, string Overall, DateTimeOffset? LastChange, Dictionary<string, ProtocolStatusDto> Protocols,
    PreferredPresenceDto? Preferred = null, StatusMessageDto? StatusMessage = null, DateTimeOffset? Since = null, DateTimeOffset? LastSeen = null,
    DateTimeOffset? AvailableAgainAt = null)
{
    /// <summary>The DTO of a presence.</summary>
    public static UserPresenceDto From(UserPresence p)
    {
        var protocols = new Dictionary<string, ProtocolStatusDto>(p.Protocols.Length, StringComparer.Ordinal);
        foreach (var s in p.UserProtocols) protocols[s.Protocol] = ProtocolStatusDto.From(s);
        var preferred = p.Preferred;
        var message = p.StatusMessage;
        return new UserPresenceDto(p.User.Value, p.Overall.ToWire(), p.LastChange, protocols,
            preferred is null ? null : new PreferredPresenceDto(preferred.State.ToWire(), preferred.Message, preferred.Until),
            message is null ? null : new StatusMessageDto(message.Message, message.Until, message.Since),
            p.OverallSince, p.LastSeen,
            preferred is { State: not PresenceState.Available } ? preferred.Until : null);
    }

    /// <summary>The DTO of a user nothing is known about (overall unavailable, no protocols).</summary>
    public static UserPresenceDto Unknown(UserId user) => new(user.Value, "unavailable", null, []);
}
