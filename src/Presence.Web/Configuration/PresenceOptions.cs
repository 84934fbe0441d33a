using System.ComponentModel.DataAnnotations;

namespace Presence.Web.Configuration;

/// <summary>Database settings, section <c>Presence:Database</c> (DESIGN §8, §9).</summary>
public sealed class DatabaseOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:Database";

    /// <summary><c>Sqlite</c> (default; WAL mode) or <c>Postgres</c>.</summary>
    [Required, RegularExpression("^(Sqlite|Postgres)$", ErrorMessage = "Presence:Database:Provider must be 'Sqlite' or 'Postgres'.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>
    /// SQLite durability (<c>PRAGMA synchronous</c> in WAL mode): <c>Normal</c> (default) keeps every acknowledged write
    /// through a process crash; <c>Full</c> also through a power loss or OS crash, at the cost of an fsync per commit.
    /// Ignored for PostgreSQL.
    /// </summary>
    [Required, RegularExpression("^(Normal|Full)$", ErrorMessage = "Presence:Database:Synchronous must be 'Normal' (survives a process crash) or 'Full' (also a power loss).")]
    public string Synchronous { get; set; } = "Normal";
}

/// <summary>Spreed expiry, section <c>Presence:Spreed</c> (zarafa <c>spreed_auto_unavailable</c>).</summary>
public sealed class SpreedOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:Spreed";

    /// <summary>Time without refresh before a spreed status becomes unavailable; 1 s .. 1 day, default 2 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Presence:Spreed:AutoUnavailable must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan AutoUnavailable { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Time without refresh before the connection-paused annotation; 1 s .. 1 day, default 1 minute; at or above <see cref="AutoUnavailable"/> skips the step.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Presence:Spreed:PausedAfter must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan PausedAfter { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Preferred presence, section <c>Presence:Preferred</c> (REST v1 <c>PUT /api/v1/presence/{user}/preferred</c>).
/// </summary>
public sealed class PreferredOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:Preferred";

    /// <summary>Default end of a preferred busy presence given without <c>until</c> (Microsoft Graph setUserPreferredPresence).</summary>
    public static readonly TimeSpan DefaultBusy = TimeSpan.FromDays(1);

    /// <summary>Default end of any other preferred presence given without <c>until</c> (Microsoft Graph setUserPreferredPresence).</summary>
    public static readonly TimeSpan DefaultOther = TimeSpan.FromDays(7);

    /// <summary>
    /// Longest a preferred presence may last: a later <c>until</c> is refused with 400 and the defaults (1 day busy,
    /// 7 days otherwise) are capped by it; 1 minute .. 365 days, default 7 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00", ErrorMessage = "Presence:Preferred:MaxDuration must be between 00:01:00 and 365.00:00:00.")]
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The end of a preferred <paramref name="state"/> set at <paramref name="now"/> without <c>until</c>.</summary>
    public DateTimeOffset DefaultUntil(Domain.Model.PresenceState state, DateTimeOffset now)
    {
        var duration = state == Domain.Model.PresenceState.Busy ? DefaultBusy : DefaultOther;
        return now + (duration < MaxDuration ? duration : MaxDuration);
    }
}

/// <summary>Token settings, section <c>Presence:Tokens</c> (DESIGN §5; zarafa <c>server_secret_key</c>, <c>server_token_expire</c>).</summary>
public sealed class TokenOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:Tokens";

    /// <summary>
    /// The legacy shared secret (zarafa <c>server_secret_key</c>): empty (default) turns tokens signed with a shared
    /// secret off; otherwise at least 16 characters and not the old placeholder (<see cref="SharedSecretPolicy"/>).
    /// </summary>
    public string SharedSecret { get; set; } = "";

    /// <summary>Token lifetime; 1 s .. 7 days, default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Presence:Tokens:Expiry must be between 00:00:01 and 7.00:00:00.")]
    public TimeSpan Expiry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Accepted future clock skew; 0 .. 1 hour, default 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Presence:Tokens:MaxClockSkew must be between 00:00:00 and 01:00:00.")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>First administrator, section <c>Presence:Admin</c> (DESIGN §7).</summary>
public sealed class AdminOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:Admin";

    /// <summary>User name of the first admin, default <c>admin</c>.</summary>
    public string UserName { get; set; } = "admin";

    /// <summary>Password of the first admin; empty means a generated one-time password written to <see cref="PasswordFile"/> on first start.</summary>
    public string? Password { get; set; }

    /// <summary>Default of <see cref="PasswordFile"/>.</summary>
    public const string DefaultPasswordFile = "first-admin-password.txt";

    /// <summary>Where a generated first-admin password is written (owner-only, 0600), relative to the working directory; default <c>first-admin-password.txt</c>.</summary>
    public string? PasswordFile { get; set; }
}

/// <summary>Board settings, section <c>Presence:Board</c>.</summary>
public sealed class BoardOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:Board";

    /// <summary>Show the board without sign-in (default <c>false</c>).</summary>
    public bool AllowAnonymous { get; set; }
}

/// <summary>History settings, section <c>Presence:History</c>: retention and the writer's group-commit tuning.</summary>
public sealed class HistoryOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:History";

    /// <summary>How long history rows are kept; 1 hour .. 3650 days, default 90 days.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00", ErrorMessage = "Presence:History:Retention must be between 01:00:00 and 3650.00:00:00.")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Change-feed queue capacity of the writer; 16 .. 10,000,000, default 65,536. A fuller queue forces a resync.</summary>
    [Range(16, 10_000_000, ErrorMessage = "Presence:History:QueueCapacity must be between 16 and 10000000.")]
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>Most changes committed in one transaction; 1 .. 100,000, default 2,000.</summary>
    [Range(1, 100_000, ErrorMessage = "Presence:History:BatchSize must be between 1 and 100000.")]
    public int BatchSize { get; set; } = 2_000;

    /// <summary>Interval between retention prunes; 1 min .. 1 day, default 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Presence:History:PruneInterval must be between 00:01:00 and 1.00:00:00.")]
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);
}
