using System.ComponentModel.DataAnnotations;
namespace Presence.Web.Configuration;

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
