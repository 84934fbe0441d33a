using System.Globalization;
using Presence.Domain.Model;

namespace Presence.Web.Model;

/// <summary>Turns history into the timeline chart.</summary>
internal static class Timeline
{
    /// <summary>Samples of the chart (points per series, 2..).</summary>
    public const int Samples = 48;

    /// <summary>Level of a state on the chart's axis: available 3, busy 2, away 1, unavailable 0.</summary>
    public static double Level(PresenceState state) => state switch
    {
        PresenceState.Available => 3,
        PresenceState.Busy => 2,
        PresenceState.Away => 1,
        _ => 0,
    };

    /// <summary>The word of a level (inverse of <see cref="Level"/>): available, busy, away, unavailable.</summary>
    public static string LevelName(double level) => level switch
    {
        >= 2.5 => "available",
        >= 1.5 => "busy",
        >= 0.5 => "away",
        _ => "unavailable",
    };

    /// <summary>
    /// Samples <paramref name="entries"/> (any order) at <see cref="Samples"/> evenly spaced times from the oldest entry
    /// to <paramref name="until"/>: each series holds the state of its last change at or before each time (a step
    /// line), so a chart of the range ends with the current state.
    /// </summary>
    public static TimelineChart Chart(IReadOnlyCollection<HistoryEntry> entries, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0) return TimelineChart.Empty;
        var start = entries.Min(e => e.At);
        if (until < start) until = start;
        var step = (until - start) / (Samples - 1);
        var times = Enumerable.Range(0, Samples).Select(i => start + step * i).ToArray();
        var labels = times.Select(t => t.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture)).ToArray();
        var series = entries
            .Where(e => e.Protocol != Protocols.StatusMessage) // a message has no state to chart
            .GroupBy(e => e.Protocol)
            .OrderBy(g => g.Key == Protocols.Overall ? "" : g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var changes = g.OrderBy(e => e.At).ToArray();
                var levels = new double?[times.Length];
                var next = 0;
                double? current = null;
                for (var i = 0; i < times.Length; i++)
                {
                    while (next < changes.Length && changes[next].At <= times[i])
                    {
                        var change = changes[next++];
                        current = change.Cleared ? null : Level(change.State); // a gap while no preferred presence is set
                    }
                    levels[i] = current;
                }
                return (g.Key, (IReadOnlyList<double?>)levels);
            })
            .ToList();
        return new TimelineChart(labels, series);
    }
}
