using Presence.Domain.Model;

namespace Presence.Web.Hubs;

/// <summary>
/// SignalR group names of <see cref="PresenceHub"/>: one group for subscribers of every user and one group per user
/// (docs/ARCHITECTURE.md §9). A connection is in one of the all-users groups or in per-user groups, never in two, so it never receives a
/// change twice.
/// </summary>
internal static class PresenceGroups
{
    /// <summary>The group of connections subscribed to every user.</summary>
    public const string All = "presence:all";

    /// <summary>The group of connections subscribed to every user in batches (<see cref="IPresenceClient.PresenceChangedBatch"/>).</summary>
    public const string AllBatched = "presence:all:batched";

    /// <summary>The group of connections subscribed to <paramref name="user"/>: <c>presence:user:{bare JID}</c>.</summary>
    public static string ForUser(UserId user) => "presence:user:" + user.Value;
}
