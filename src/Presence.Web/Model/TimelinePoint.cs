using Presence.Domain.Model;

namespace Presence.Web.Model;

/// <summary>One point of the user page's timeline chart.</summary>
/// <param name="At">When (UTC).</param>
/// <param name="Level">The state as a level: available 3, busy 2, away 1, unavailable 0.</param>
public sealed record TimelinePoint(DateTime At, double Level);

/// <summary>Turns history into per-protocol step series for the timeline chart.</summary>
public static class Timeline
{
    /// <summary>Level of a state on the chart's axis: available 3, busy 2, away 1, unavailable 0.</summary>
    public static double Level(PresenceState state) => state switch
    {
        PresenceState.Available => 3,
        PresenceState.Busy => 2,
        PresenceState.Away => 1,
        _ => 0,
    };

    /// <summary>The axis label of a level (inverse of <see cref="Level"/>).</summary>
    public static string LevelName(object value) => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) switch
    {
        >= 2.5 => "available",
        >= 1.5 => "busy",
        >= 0.5 => "away",
        _ => "unavailable",
    };

    /// <summary>
    /// One series per protocol (overall first), oldest first; each series is extended to <paramref name="until"/> with
    /// its last state so the chart shows the current state up to now.
    /// </summary>
    public static IReadOnlyList<(string Protocol, IReadOnlyList<TimelinePoint> Points)> Series(IEnumerable<HistoryEntry> entries, DateTimeOffset until)
    {
        var series = entries
            .GroupBy(e => e.Protocol)
            .OrderBy(g => g.Key == Protocols.Overall ? "" : g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var points = g.OrderBy(e => e.At).Select(e => new TimelinePoint(e.At.UtcDateTime, Level(e.State))).ToList();
                if (points.Count > 0 && points[^1].At < until.UtcDateTime) points.Add(points[^1] with { At = until.UtcDateTime });
                return (g.Key, (IReadOnlyList<TimelinePoint>)points);
            })
            .ToList();
        return series;
    }
}
