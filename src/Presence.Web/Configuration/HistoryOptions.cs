using System.ComponentModel.DataAnnotations;

namespace Presence.Web.Configuration;


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
