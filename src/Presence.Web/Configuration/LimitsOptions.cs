namespace Presence.Web.Configuration;

/// <summary>Per-user bounds, section <c>Presence:Limits</c> (issue 9 §3).</summary>
internal sealed class LimitsOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:Limits";

    /// <summary>Most XMPP resources kept per user; presences of further resources are ignored; 1 .. 10,000, default 64.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000, ErrorMessage = "Presence:Limits:MaxResourcesPerUser must be between 1 and 10000.")]
    public int MaxResourcesPerUser { get; set; } = 64;
}
