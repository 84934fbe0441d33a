using System.ComponentModel.DataAnnotations;

namespace Presence.Web.Configuration;

/// <summary>Spreed expiry, section <c>Presence:Spreed</c> (zarafa <c>spreed_auto_unavailable</c>).</summary>
internal sealed class SpreedOptions
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
