namespace Presence.Web.Model;

/// <summary>
/// The user page's timeline chart: per protocol (overall first), the state as a level sampled at evenly spaced times
/// from the first change in the range to the end of the range.
/// </summary>
/// <param name="Labels">The sample times as axis labels (UTC, <c>MM-dd HH:mm</c>); every label is kept so a tooltip can name it.</param>
/// <param name="Series">One series per protocol: its level at each label, or <c>null</c> before its first change.</param>
internal sealed record TimelineChart(IReadOnlyList<string> Labels, IReadOnlyList<(string Protocol, IReadOnlyList<double?> Levels)> Series)
{
    /// <summary>A chart with nothing to plot.</summary>
    public static TimelineChart Empty { get; } = new([], []);

    /// <summary>True when there is no series.</summary>
    public bool IsEmpty => Series.Count == 0;
}
