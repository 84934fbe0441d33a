using System.ComponentModel.DataAnnotations;

namespace Presence.Web.Configuration;

/// <summary>HTTP API limits, section <c>Presence:Api</c> (docs/ARCHITECTURE.md §8).</summary>
internal sealed class ApiOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:Api";

    /// <summary>Largest accepted request body in bytes (413 above it); 256 .. 16 MiB, default 64 KiB.</summary>
    [Range(256, 16 * 1024 * 1024, ErrorMessage = "Presence:Api:MaxBodyBytes must be between 256 and 16777216.")]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Sustained requests per second allowed per client or token user (token bucket refill); 1 .. 10,000,000, default 50.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Presence:Api:RateLimit:PermitsPerSecond must be between 1 and 10000000.")]
    public int PermitsPerSecond { get; set; } = 50;

    /// <summary>Burst size per client or token user (token bucket size); 1 .. 10,000,000, default 200.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Presence:Api:RateLimit:Burst must be between 1 and 10000000.")]
    public int Burst { get; set; } = 200;

    /// <summary>Largest number of users in one request; 1 .. 100,000, default 1,000.</summary>
    [Range(1, 100_000, ErrorMessage = "Presence:Api:MaxUsersPerRequest must be between 1 and 100000.")]
    public int MaxUsersPerRequest { get; set; } = 1000;

    /// <summary>Largest status message in characters; 0 .. 10,000, default 1,024.</summary>
    [Range(0, 10_000, ErrorMessage = "Presence:Api:MaxMessageLength must be between 0 and 10000.")]
    public int MaxMessageLength { get; set; } = 1024;

    /// <summary>How long a write waits for its history to be committed before answering 503; 1 s .. 5 min, default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Presence:Api:CommitTimeout must be between 00:00:01 and 00:05:00.")]
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
