using System.ComponentModel.DataAnnotations;

namespace Presence.Web.Hubs;

/// <summary>SignalR hub settings, section <c>Presence:Hub</c> (docs/ARCHITECTURE.md §9). All optional.</summary>
public sealed class PresenceHubOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:Hub";

    /// <summary>
    /// Minimum time between two pushes of the broadcaster; changes arriving meanwhile are coalesced per user (only the
    /// latest state is sent). A change after an idle period is pushed at once. 0 .. 10 s, default 50 ms.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10", ErrorMessage = "Presence:Hub:FlushInterval must be between 00:00:00 and 00:00:10.")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Capacity of the broadcaster's change-feed queue in changes; when it overflows the broadcaster resyncs and
    /// re-sends every user. 16 .. 10,000,000, default 65,536.
    /// </summary>
    [Range(16, 10_000_000, ErrorMessage = "Presence:Hub:FeedCapacity must be between 16 and 10000000.")]
    public int FeedCapacity { get; set; } = 65_536;

    /// <summary>Most user ids one <c>Subscribe</c> call accepts. 1 .. 1,000,000, default 10,000.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Presence:Hub:MaxUsersPerSubscribe must be between 1 and 1000000.")]
    public int MaxUsersPerSubscribe { get; set; } = 10_000;

    /// <summary>
    /// Most open hub connections per API client (all tokens signed with its secrets, whatever their user). 1 ..
    /// 1,000,000, default 1,000: generous for an application whose browsers each hold a connection with tokens signed by
    /// one client secret, yet a bound on a client that opens connections in a loop.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "Presence:Hub:MaxConnectionsPerClient must be between 1 and 1000000.")]
    public int MaxConnectionsPerClient { get; set; } = 1_000;

    /// <summary>
    /// Most open hub connections per user of the legacy shared secret (per token user) and per dashboard account (sign-in
    /// cookie). 1 .. 1,000,000, default 20: a person's tabs and devices.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "Presence:Hub:MaxConnectionsPerUser must be between 1 and 1000000.")]
    public int MaxConnectionsPerUser { get; set; } = 20;

    /// <summary>
    /// Authentication scheme of the dashboard's sign-in cookie accepted by the hub besides API tokens; ignored while no
    /// such scheme is registered. Default <c>Identity.Application</c> (ASP.NET Core Identity's application cookie).
    /// </summary>
    public string CookieScheme { get; set; } = Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme;
}
